import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { describe, it } from 'node:test'
import { promisify } from 'node:util'
import {
  coordinationTargets,
  type MeasuredBlock,
  median,
  pairCase,
} from '../src/coordination/coordination-report.js'
import { findEtcd } from '../src/coordination/etcd-cluster.js'

const run = promisify(execFile)
const cli = new URL('../src/cli.js', import.meta.url).pathname

/** A block of `completed` operations in `elapsedMs`, its latency percentiles given. */
function block(completed: number, elapsedMs: number, p50: number, failures = 0): MeasuredBlock {
  return {
    result: {
      count: completed + failures,
      concurrency: 1,
      completed,
      failures,
      notRun: 0,
      elapsedMs,
      opsPerSec: (completed * 1000) / elapsedMs,
      latencyMs: { count: completed, mean: p50, p50, p90: p50 * 2, p99: p50 * 3, max: p50 * 4 },
      errorSamples: failures > 0 ? ['planned'] : [],
      casSucceeded: completed,
    },
    serverCpuS: completed / 1000,
    clientCpuS: completed / 2000,
    othersCpuShare: 0.5,
  }
}

describe('coordination report', () => {
  it('pairs rounds: totals for throughput, median ratios, and the two targets', () => {
    const uncontended = pairCase(
      { name: 'cas 1000 keys c=1', kind: 'cas', keys: 1000, concurrency: 1 },
      [
        { etcd: block(100, 200, 2), ringdht: block(100, 400, 4) },
        { etcd: block(100, 100, 1), ringdht: block(100, 500, 5) },
        { etcd: block(100, 200, 2), ringdht: block(100, 200, 3) },
      ],
    )
    assert.equal(uncontended.rounds, 3)
    assert.equal(uncontended.etcd.opsPerSec, 600) // 300 operations in 0.5 s
    assert.equal(uncontended.etcd.p50Ms, 2)
    assert.equal(uncontended.etcd.serverCpuMsPerOp, 1)
    assert.equal(uncontended.etcd.clientCpuMsPerOp, 0.5)
    assert.equal(uncontended.etcd.casSuccessShare, 1)
    // round ratios 0.5, 0.2, 1 (ops/s) and 2, 5, 1.5 (p50): their medians
    assert.deepEqual(uncontended.ratio, { opsPerSec: 0.5, p50: 2, p99: 2 })
    const spread = pairCase(
      { name: 'cas 1000 keys c=32', kind: 'cas', keys: 1000, concurrency: 32 },
      [{ etcd: block(1000, 1000, 20), ringdht: block(1200, 1000, 20, 1) }],
    )
    assert.equal(spread.ringdht.failures, 1)
    assert.deepEqual(spread.ringdht.errorSamples, ['planned'])
    const targets = coordinationTargets([uncontended, spread])
    assert.deepEqual(
      targets.map((t) => [t.value, t.met]),
      // a case with failures does not meet its target, whatever its ratio
      [
        [2, true],
        [1.2, false],
      ],
    )
    assert.deepEqual(
      coordinationTargets([]).map((t) => t.met),
      [false, false],
    )
    assert.equal(median([3, 1, 2]), 2)
    assert.equal(median([4, 1, 2, 3]), 2.5)
  })
})

describe('pnpm bench -- coordination --quick (tiny counts)', () => {
  const etcd = findEtcd()
  const reason = 'etcd is not installed (Debian: apt-get install etcd-server)'
  if (etcd === undefined) process.stdout.write(`# skipped coordination run: ${reason}\n`)

  it('runs etcd and ringdht side by side and prints the ratios', {
    skip: etcd === undefined ? reason : false,
  }, async () => {
    const { stdout, stderr } = await run(
      process.execPath,
      [cli, '--', 'coordination', '--quick', '--ops', '32', '--single-ops', '8', '--trials', '1'],
      { timeout: 240_000 },
    )
    const rows = stdout.split('\n').filter((line) => /^\| (cas|lock) /.test(line))
    assert.deepEqual(
      rows.map((row) => row.split('|')[1]?.trim()),
      [
        'cas hot key c=1',
        'cas hot key c=32',
        'cas 1000 keys c=1',
        'cas 1000 keys c=32',
        'lock uncontended c=1',
        'lock uncontended c=32',
        'lock contended c=32',
      ],
    )
    for (const row of rows) {
      const cells = row.split('|').map((cell) => cell.trim())
      const [throughput, p50] = [cells[6], cells[7]].map((cell) =>
        Number(cell?.replaceAll('*', '')),
      )
      assert.ok(throughput !== undefined && throughput > 0, `${cells[1]}: ops/s ratio ${cells[6]}`)
      assert.ok(p50 !== undefined && p50 > 0, `${cells[1]}: p50 ratio ${cells[7]}`)
      assert.equal(cells[12], '0 / 0', `${cells[1]}: failed or not run`)
    }
    assert.match(stdout, /ratio ringdht\/etcd \(new leader\) \*\*[\d.]+\*\*/)
    assert.match(stdout, /uncontended CAS p50 .* \| (yes|no) \|/)
    // the etcd data folders are gone
    const root = /data in (\S+)/.exec(stderr)?.[1]
    assert.ok(root !== undefined, `no data folder in the progress lines: ${stderr}`)
    assert.equal(existsSync(root), false, `${root} left behind`)
  })
})
