import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  createPartitioner,
  type Partitioner,
  type PartitionerKind,
  placeTokens,
  type RingId,
  ringIdOf,
} from '@ringdht/ring'
import fc from 'fast-check'
import { ChordPlacement } from '../src/chord-placement.js'
import { ChordNetwork, Prng } from '../src/index.js'
import type { KeyPositions } from '../src/keys.js'
import { hashKeysInParallel, placeTokensInParallel } from '../src/parallel-hash.js'
import { RendezvousPlacement } from '../src/rendezvous-placement.js'
import { TokenRouter } from '../src/token-router.js'

const LOW_32 = 0xffffffffn
const ringId = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })

function split(keys: readonly RingId[]): KeyPositions {
  return {
    high: Uint32Array.from(keys, (k) => Number(k >> 32n)),
    low: Uint32Array.from(keys, (k) => Number(k & LOW_32)),
  }
}

/** The definition: keys whose owner, or set of r replicas, differs after the change. */
function literalMoved(
  before: Partitioner,
  after: Partitioner,
  keys: readonly RingId[],
  replicas: number,
): { owner: number; replicated: number } {
  let owner = 0
  let replicated = 0
  for (const key of keys) {
    if (before.ownerOf(key) !== after.ownerOf(key)) owner++
    const was = new Set(before.replicasOf(key, replicas))
    const is = after.replicasOf(key, replicas)
    if (is.length !== was.size || is.some((n) => !was.has(n))) replicated++
  }
  return { owner, replicated }
}

const ringArb = fc.record({
  nodes: fc.uniqueArray(ringId, { minLength: 1, maxLength: 12 }),
  joiner: ringId,
  keys: fc.array(ringId, { minLength: 1, maxLength: 200 }),
  virtualNodes: fc.integer({ min: 1, max: 6 }),
  replicas: fc.integer({ min: 1, max: 5 }),
})

for (const kind of ['chord', 'rendezvous'] as PartitionerKind[]) {
  describe(`${kind} placement`, () => {
    it('counts join and leave moves exactly as placing every key again would', () => {
      fc.assert(
        fc.property(ringArb, fc.nat(), ({ nodes, joiner, keys, virtualNodes, replicas }, pick) => {
          fc.pre(!nodes.includes(joiner))
          const v = kind === 'chord' ? virtualNodes : 1
          const placement =
            kind === 'chord'
              ? new ChordPlacement(nodes, split(keys), v, replicas)
              : new RendezvousPlacement(nodes, split(keys), replicas, Number.MAX_SAFE_INTEGER)
          const base = createPartitioner({ kind, virtualNodes: v, nodes })
          const joined = createPartitioner({ kind, virtualNodes: v, nodes: [...nodes, joiner] })
          assert.deepEqual(placement.joinMoves(joiner), literalMoved(base, joined, keys, replicas))

          const leaver = nodes[pick % nodes.length] as RingId
          if (nodes.length > 1) {
            const left = createPartitioner({
              kind,
              virtualNodes: v,
              nodes: nodes.filter((n) => n !== leaver),
            })
            const i = placement.table.nodes.indexOf(leaver)
            assert.deepEqual(
              { owner: placement.ownerLoads[i], replicated: placement.replicaLoads[i] },
              literalMoved(base, left, keys, replicas),
            )
          }
          const owners = keys.map((k) => base.ownerOf(k))
          for (const [i, node] of placement.table.nodes.entries()) {
            assert.equal(placement.ownerLoads[i], owners.filter((o) => o === node).length)
          }
        }),
        { numRuns: 150 },
      )
    })
  })
}

describe('chord ring share', () => {
  it('is each node’s arcs over 1/N, the wrap-around arc included', () => {
    const nodes = [0n, 1n << 62n, 1n << 63n]
    const placement = new ChordPlacement(nodes, split([5n]), 1, 1)
    // Node 0 owns (2^63, 2^64]: half the ring, 1.5 × 1/3; the others a quarter each.
    assert.deepEqual(placement.ringShare(), { maxOverMean: 1.5, minOverMean: 0.75 })
  })
})

describe('rendezvous placement over a key budget', () => {
  it('ranks only the first floor(budget / N) keys, and at least one', () => {
    const nodes = Array.from({ length: 10 }, (_, i) => ringIdOf(`node-${i}`))
    const keys = split(Array.from({ length: 100 }, (_, i) => ringIdOf(`key-${i}`)))
    assert.equal(new RendezvousPlacement(nodes, keys, 3, 250).placed, 25)
    assert.equal(new RendezvousPlacement(nodes, keys, 3, 1).placed, 1)
    assert.equal(new RendezvousPlacement(nodes, keys, 3, 10_000).placed, 100)
  })
})

describe('TokenRouter', () => {
  it('takes the same hops as the finger-table network, from every start', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(ringId, { minLength: 1, maxLength: 10 }),
        fc.array(ringId, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 9 }),
        (nodes, keys, virtualNodes, successorListLength) => {
          const network = new ChordNetwork({ nodes, virtualNodes, successorListLength })
          const placement = new ChordPlacement(nodes, split(keys), virtualNodes, 1)
          const router = new TokenRouter(placement.table, successorListLength)
          for (const key of keys) {
            for (const start of network.members) {
              const expected = network.lookup(start.index, key).hops
              const hops = router.hops(start.index, Number(key >> 32n), Number(key & LOW_32))
              assert.equal(hops, expected, `key ${key} from ${start.index}`)
            }
          }
        },
      ),
      { numRuns: 200 },
    )
  })

  it('agrees on a ring of a thousand positions with wide gaps and dense runs', () => {
    const nodes = Array.from({ length: 250 }, (_, i) => ringIdOf(`node-${i}`))
    const keys = Array.from({ length: 300 }, (_, i) => ringIdOf(`key-${i}`))
    const network = new ChordNetwork({ nodes, virtualNodes: 4, successorListLength: 8 })
    const router = new TokenRouter(new ChordPlacement(nodes, split(keys), 4, 1).table, 8)
    keys.forEach((key, k) => {
      const start = (k * 7919) % network.members.length
      const hops = router.hops(start, Number(key >> 32n), Number(key & LOW_32))
      assert.equal(hops, network.lookup(start, key).hops, `key ${key}`)
    })
  })
})

describe('parallel hashing', () => {
  it('places the same tokens and keys on every core as on one', () => {
    const nodes = Array.from({ length: 2000 }, (_, i) => ringIdOf(`node-${i}`)).sort((a, b) =>
      a < b ? -1 : 1,
    )
    // 2000 × 128 hashes: above the threshold, so workers run.
    const parallel = placeTokensInParallel(nodes, 128)
    const serial = placeTokens(nodes, 128)
    assert.deepEqual(parallel.high, serial.high)
    assert.deepEqual(parallel.low, serial.low)

    const prng = new Prng(9)
    const bytes = prng.bytes(16 * 250_000)
    const keys = hashKeysInParallel(bytes)
    for (const k of [0, 1, 124_999, 125_000, 249_999]) {
      const expected = ringIdOf(bytes.subarray(k * 16, k * 16 + 16))
      assert.equal(
        (BigInt(keys.high[k] as number) << 32n) | BigInt(keys.low[k] as number),
        expected,
      )
    }
  })
})
