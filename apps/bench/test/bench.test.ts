import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { describe, it } from 'node:test'
import { promisify } from 'node:util'
import type { BenchReport } from '../src/results.js'
import { percentile, summarizeLatencies } from '../src/stats.js'
import { runWorkload } from '../src/workload.js'

const run = promisify(execFile)
const cli = new URL('../src/cli.js', import.meta.url).pathname

describe('stats', () => {
  it('takes nearest-rank percentiles', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1)
    assert.equal(percentile(sorted, 0.5), 50)
    assert.equal(percentile(sorted, 0.9), 90)
    assert.equal(percentile(sorted, 0.99), 99)
    assert.equal(percentile([], 0.5), 0)
    const summary = summarizeLatencies([3, 1, 2])
    assert.deepEqual([summary.p50, summary.max, summary.mean], [2, 3, 2])
  })
})

describe('workload', () => {
  it('runs each operation once, at most `concurrency` at a time, and counts failures', async () => {
    let running = 0
    let peak = 0
    const seen = new Set<number>()
    const result = await runWorkload({
      count: 50,
      concurrency: 4,
      timeLimitMs: 10_000,
      operationTimeoutMs: 1_000,
      operation: async (index) => {
        assert.ok(!seen.has(index), `operation ${index} ran twice`)
        seen.add(index)
        running++
        peak = Math.max(peak, running)
        await new Promise((resolve) => setImmediate(resolve))
        running--
        if (index % 10 === 0) throw new Error(`planned failure ${index}`)
        return { ok: true, hops: 2 }
      },
    })
    assert.equal(seen.size, 50)
    assert.equal(peak, 4)
    assert.equal(result.failures, 5)
    assert.equal(result.completed, 45)
    assert.equal(result.notRun, 0)
    assert.equal(result.meanHops, 2)
    assert.ok(result.errorSamples.some((e) => e.includes('planned failure')))
  })

  it('stops starting operations at the time limit', async () => {
    const result = await runWorkload({
      count: 1_000_000,
      concurrency: 2,
      timeLimitMs: 50,
      operationTimeoutMs: 1_000,
      operation: async () => {
        await new Promise((resolve) => setTimeout(resolve, 5))
        return { ok: true }
      },
    })
    assert.ok(result.notRun > 0, 'expected unstarted operations')
    assert.equal(result.completed + result.failures + result.notRun, 1_000_000)
  })
})

describe('pnpm bench -- --json (floor only, tiny counts)', () => {
  it('prints one JSON object with floor blocks, CPU cost and the targets list', async () => {
    const { stdout } = await run(
      process.execPath,
      [
        cli,
        '--',
        '--json',
        '--quick',
        '--only',
        'floor',
        '--blocks',
        '2',
        '--block-ops',
        '30',
        '--no-history',
      ],
      { timeout: 60_000 },
    )
    const report = JSON.parse(stdout) as BenchReport
    assert.ok(report.floor !== undefined, 'floor cases missing')
    assert.deepEqual(
      report.floor.map((f) => `${f.op}@${f.concurrency}`),
      ['open-stream@1', 'new-stream@1', 'new-stream@32'],
    )
    for (const figures of report.floor) {
      const name = `${figures.op}@${figures.concurrency}`
      assert.equal(figures.blocks, 2, `${name} blocks`)
      assert.equal(figures.completed, 2 * figures.opsPerBlock, `${name} completed`)
      assert.equal(figures.failures, 0, `${name} failures`)
      assert.ok(figures.p50Ms > 0, `${name} p50 must be positive`)
      assert.ok(figures.p99Ms >= figures.p50Ms, `${name} p99 >= p50`)
      // 60 operations may take less than one clock tick (10 ms) of CPU in /proc: 0 is a
      // valid reading at these counts, a negative or missing one is not
      const { server, client } = figures.cpuSPer1kOps
      assert.ok(Number.isFinite(server) && server >= 0, `${name} server cpu ${server}`)
      assert.ok(Number.isFinite(client) && client >= 0, `${name} client cpu ${client}`)
    }
    assert.ok(report.targets.length >= 4, 'targets list')
    for (const target of report.targets) {
      assert.equal(typeof target.met, 'boolean', `${target.name}: met`)
      // ringdht did not run, so no target can be met
      assert.equal(target.met, false, `${target.name}: met without ringdht`)
    }
    assert.match(report.meta.versions['@libp2p/kad-dht'] ?? '', /^16\./)
    assert.match(report.meta.commit, /^[0-9a-f]{7,}|unknown/)
  })
})
