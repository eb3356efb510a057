import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { createPartitioner, type RingId, ringIdOf } from '@ringdht/ring'
import { ChordNetwork, Prng, simulate } from '../src/index.js'
import { type PlacementRow, placementTable } from '../src/placement-table.js'

const run = promisify(execFile)
const cli = fileURLToPath(new URL('../src/cli.js', import.meta.url))

function nodeIds(count: number, prefix = 'node'): RingId[] {
  return Array.from({ length: count }, (_, i) => ringIdOf(`${prefix}-${i}`))
}

function keyIds(count: number): RingId[] {
  return Array.from({ length: count }, (_, i) => ringIdOf(`key-${i}`))
}

describe('ChordNetwork', () => {
  for (const virtualNodes of [1, 4]) {
    it(`routes every key to its owner from every start, V=${virtualNodes}`, () => {
      const nodes = nodeIds(24)
      const partitioner = createPartitioner({ kind: 'chord', virtualNodes, nodes })
      const network = new ChordNetwork({ nodes, virtualNodes, successorListLength: 3 })
      assert.equal(network.members.length, 24 * virtualNodes)
      let lookups = 0
      for (const key of keyIds(40)) {
        for (const start of network.members) {
          const { owner } = network.lookup(start.index, key)
          assert.equal(owner.node, partitioner.ownerOf(key), `key ${key} from ${start.id}`)
          lookups++
        }
      }
      assert.equal(lookups, 40 * 24 * virtualNodes)
    })
  }

  for (const successorListLength of [1, 8]) {
    it(`stays within ceil(log2 N) + 1 hops, successor list ${successorListLength}`, () => {
      for (const n of [16, 100, 500]) {
        const network = new ChordNetwork({ nodes: nodeIds(n), successorListLength })
        const prng = new Prng(n)
        const bound = Math.ceil(Math.log2(n)) + 1
        let worst = 0
        for (const key of keyIds(2000)) {
          const { hops } = network.lookup(prng.below(n), key)
          assert.ok(hops <= bound, `N=${n}: ${hops} hops for ${key}, bound ${bound}`)
          worst = Math.max(worst, hops)
        }
        assert.ok(
          worst >= Math.floor(Math.log2(n)) - 1,
          `N=${n}: worst ${worst} is implausibly low`,
        )
      }
    })
  }

  it('routes with fingers and the successor list, never itself', () => {
    const network = new ChordNetwork({ nodes: nodeIds(64), successorListLength: 4 })
    for (const member of network.members) {
      const routes = network.routesOf(member.index)
      assert.ok(!routes.includes(member), `member ${member.index} routes to itself`)
      for (let s = 1; s <= 4; s++) {
        const successor = network.members[(member.index + s) % 64]
        assert.ok(successor && routes.includes(successor), `member ${member.index} successor ${s}`)
      }
    }
  })
})

describe('simulate', () => {
  it('is deterministic for a seed and changes with it', () => {
    const init = { nodes: 50, keys: 2000, samples: 10 }
    assert.deepEqual(simulate({ ...init, seed: 7 }), simulate({ ...init, seed: 7 }))
    assert.notDeepEqual(simulate({ ...init, seed: 7 }), simulate({ ...init, seed: 8 }))
  })

  it('meets the hop bar and moves about K/N keys at N = 1000', () => {
    const report = simulate({ nodes: 1000, keys: 10_000, samples: 100, seed: 3 })
    assert.ok(report.hops.mean <= 0.55 * Math.log2(1000), `hops.mean ${report.hops.mean}`)
    assert.ok(report.hops.p99 <= Math.ceil(Math.log2(1000)) + 1, `hops.p99 ${report.hops.p99}`)
    for (const move of [report.moveOnJoin, report.moveOnLeave]) {
      assert.ok(move.ratioToIdeal > 0.6 && move.ratioToIdeal < 1.4, `ratio ${move.ratioToIdeal}`)
      assert.equal(move.samples, 100)
    }
  })

  it('balances better with virtual nodes, and rendezvous better still', () => {
    const base = { nodes: 100, keys: 20_000, samples: 5, seed: 1 }
    const v1 = simulate({ ...base, virtualNodes: 1 }).load.maxOverMean
    const v32 = simulate({ ...base, virtualNodes: 32 }).load.maxOverMean
    const hrw = simulate({ ...base, partitioner: 'rendezvous' }).load.maxOverMean
    assert.ok(v32 < v1, `V=32 ${v32} vs V=1 ${v1}`)
    assert.ok(hrw < v32, `rendezvous ${hrw} vs V=32 ${v32}`)
  })

  it('reports one hop for rendezvous, and says why', () => {
    const report = simulate({ nodes: 40, keys: 4000, partitioner: 'rendezvous', samples: 10 })
    assert.equal(report.hops.max, 1)
    assert.ok(report.hops.mean > 0.9 && report.hops.mean <= 1, `mean ${report.hops.mean}`)
    assert.match(report.note, /1 hop by construction/)
  })

  it('ranks a sample of the keys for rendezvous beyond the weight budget, and says so', () => {
    const init = { nodes: 100, keys: 10_000, partitioner: 'rendezvous' as const, samples: 300 }
    const exact = simulate(init)
    const sampled = simulate({ ...init, maxWeights: 100 * 2000 })
    assert.equal(exact.placedKeys, 10_000)
    assert.equal(sampled.placedKeys, 2000)
    assert.match(sampled.note, /sampled: 2000 of 10000 keys/)
    // Scaled to K: the estimate sits near the exact figure, within a few standard errors.
    const { ratioToIdeal, standardError } = sampled.moveOnJoinReplicated
    const gap = Math.abs(ratioToIdeal - exact.moveOnJoinReplicated.ratioToIdeal)
    assert.ok(gap < 4 * standardError + 0.05, `${ratioToIdeal} ± ${standardError} vs exact`)
  })

  it('refuses nonsense sizes', () => {
    assert.throws(() => simulate({ nodes: 0, keys: 10 }), RangeError)
    assert.throws(() => simulate({ nodes: 10, keys: 1.5 }), RangeError)
  })
})

describe('cli', () => {
  const fields = [
    'nodes',
    'keys',
    'partitioner',
    'hops.mean',
    'hops.p99',
    'load.maxOverMean',
    'moveOnJoin.ratioToIdeal',
    'moveOnLeave.ratioToIdeal',
  ]

  for (const partitioner of ['chord', 'rendezvous']) {
    it(`prints one JSON object with the contract's fields, ${partitioner}`, async () => {
      const args = ['--', '--nodes', '30', '--keys', '500', '--partitioner', partitioner, '--json']
      const { stdout } = await run(process.execPath, [cli, ...args], { timeout: 30_000 })
      const report = JSON.parse(stdout) as Record<string, unknown>
      for (const field of fields) {
        const value = field
          .split('.')
          .reduce<unknown>((o, part) => (o as Record<string, unknown> | undefined)?.[part], report)
        assert.notEqual(value, undefined, `field ${field}`)
        if (field !== 'partitioner') assert.ok(Number.isFinite(value), `field ${field} = ${value}`)
      }
      assert.equal(report.partitioner, partitioner)
      assert.equal(report.nodes, 30)
    })
  }

  it('prints a summary for people and fails with one line on bad input', async () => {
    const { stdout } = await run(process.execPath, [cli, '-n', '20', '-k', '100'], {
      timeout: 30_000,
    })
    assert.match(stdout, /hops\s+mean/)
    const bad = [
      ['--nodes', '10', '--keys', '100', '--partitioner', 'rendezvous', '--vnodes', '8'],
      ['--nodes', 'ten', '--keys', '100'],
      ['--nodes', '10'],
    ]
    for (const args of bad) {
      await assert.rejects(run(process.execPath, [cli, ...args], { timeout: 30_000 }), (error) => {
        assert.equal((error as { code?: number }).code, 1, `exit code for ${args.join(' ')}`)
        return true
      })
    }
  })
})

describe('placement table', () => {
  it('runs chord per V and rendezvous, marking the targets', () => {
    const init = { nodes: 16, keys: 20_000, virtualNodes: [1, 256], replicas: 3, samples: 20 }
    const rows = placementTable({ ...init, seeds: 2, firstSeed: 1 })
    assert.deepEqual(
      rows.map((r) => [r.partitioner, r.virtualNodes, r.tokens]),
      [
        ['chord', 1, 16],
        ['chord', 256, 4096],
        ['rendezvous', 1, 16],
      ],
    )
    const [v1, v256, hrw] = rows as [PlacementRow, PlacementRow, PlacementRow]
    assert.equal(v1.loadMet, false, `V = 1 load ${v1.loadMaxOverMean}`)
    assert.ok(v256.loadMaxOverMean < v1.loadMaxOverMean)
    assert.ok(v256.ringShareMaxOverMean !== undefined && v256.ringShareMaxOverMean < 1.25)
    assert.equal(hrw.ringShareMaxOverMean, undefined)
    for (const row of rows) {
      assert.ok(
        row.replicatedJoinRatio > 1.5 && row.replicatedJoinRatio < 4,
        `${row.replicatedJoinRatio}`,
      )
    }
  })

  it('prints the table from the command line', async () => {
    const args = ['placement', '--keys', '5000', '--vnodes', '4,64', '--samples', '10']
    const { stdout } = await run(process.execPath, [cli, ...args], { timeout: 60_000 })
    assert.match(stdout, /N = 16, K = 5000, r = 3/)
    assert.match(stdout, /\| chord +\| 64 +\| 1024/)
    assert.match(stdout, /\| rendezvous \| –/)
  })
})
