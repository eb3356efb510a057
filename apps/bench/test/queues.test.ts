import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { describe, it } from 'node:test'
import { promisify } from 'node:util'
import type { QueueCaseResult } from '../src/queues/queue-workload.js'
import { TaskLedger } from '../src/queues/queue-workload.js'
import {
  type MeasuredQueueBlock,
  pairQueueCase,
  policyRow,
  queuesTargets,
} from '../src/queues/queues-report.js'
import { findRedis } from '../src/queues/redis-server.js'

const run = promisify(execFile)
const cli = new URL('../src/cli.js', import.meta.url).pathname

function block(acked: number, elapsedMs: number, p50: number): MeasuredQueueBlock {
  const result: QueueCaseResult = {
    tasks: acked,
    enqueued: acked,
    enqueueFailures: 0,
    acked,
    elapsedMs,
    tasksPerSec: (acked * 1000) / elapsedMs,
    startLatencyMs: { p50, p99: p50 * 2, max: p50 * 3 },
    perWorker: { slow: acked / 4, fast1: acked / 4 },
    duplicates: 0,
    errorSamples: [],
  }
  return { result, serverCpuS: acked / 1000, clientCpuS: acked / 2000, othersCpuShare: 0.5 }
}

describe('queues report', () => {
  it('pairs rounds: totals for throughput, per-round ratios with their spread, the targets', () => {
    const paired = pairQueueCase('throughput', [
      { bullmq: block(1000, 500, 2), ringdht: block(1000, 1000, 4) },
      { bullmq: block(1000, 1000, 2), ringdht: block(1000, 1000, 3) },
      { bullmq: block(1000, 250, 1), ringdht: block(1000, 1000, 5) },
    ])
    assert.equal(paired.bullmq.tasksPerSec, round1((3000 * 1000) / 1750))
    assert.equal(paired.bullmq.serverCpuSPer1k, 1)
    assert.equal(paired.ringdht.clientCpuSPer1k, 0.5)
    // round ratios 0.5, 1, 0.25 (tasks/s); 2, 1.5, 5 (p50)
    assert.deepEqual(paired.ratio.tasksPerSec, { median: 0.5, min: 0.25, max: 1 })
    assert.deepEqual(paired.ratio.p50, { median: 2, min: 1.5, max: 5 })
    const met = queuesTargets([paired], {
      ringdht: { ...killResult(0), broker: 'home' },
    })
    assert.deepEqual(
      met.map((t) => [t.value, t.met]),
      [
        [0.5, true],
        [0, true],
      ],
    )
    const missed = queuesTargets([], { ringdht: { ...killResult(2), broker: 'home' } })
    assert.deepEqual(
      missed.map((t) => t.met),
      [false, false],
    )
  })

  it('sums a policy’s runs: median makespan, mean tasks per worker', () => {
    const row = policyRow(
      { system: 'ringdht', policy: 'least-loaded', slowCapacity: 1 },
      [block(100, 300, 5).result, block(100, 500, 7).result],
      100,
    )
    assert.deepEqual(row.makespanMs, { median: 400, min: 300, max: 500 })
    assert.deepEqual(row.perWorker, { slow: 25, fast1: 25 })
    assert.equal(row.slowCapacity, 1)
    assert.equal(row.acked, 200)
    const bull = policyRow({ system: 'bullmq', policy: 'round-robin', slowCapacity: 4 }, [], 0)
    assert.equal(bull.slowCapacity, undefined)
  })

  it('counts a task that started twice as one duplicate, and start latency from its first run', async () => {
    const ledger = new TaskLedger()
    const handler = ledger.handler({ name: 'w', concurrency: 1, handlerMs: 0 })
    ledger.enqueuedAt.set('a', performance.now())
    await handler('a')
    await handler('a')
    await handler('b')
    assert.equal(ledger.duplicates, 1)
    assert.equal(ledger.perWorker.w, 3)
    assert.equal(ledger.startLatency().p50 >= 0, true)
  })
})

function round1(value: number): number {
  return Math.round(value * 10) / 10
}

function killResult(lost: number) {
  return {
    tasks: 10,
    acknowledged: 10,
    givenUp: 0,
    retriedAttempts: 0,
    completed: 10 - lost,
    lost,
    lostSample: [],
    duplicates: 0,
    maxEnqueueMs: 1,
    drainMs: 1,
    brokerCounts: {},
    errorSamples: [],
  }
}

describe('pnpm bench -- queues --quick (small counts)', () => {
  const redis = findRedis()
  const reason = 'redis-server is not installed (Debian: apt-get install redis-server)'
  if (redis === undefined) process.stdout.write(`# skipped queues run: ${reason}\n`)

  it('runs BullMQ and ringdht daemons side by side, kills each broker, prints the ratios', {
    skip: redis === undefined ? reason : false,
  }, async () => {
    const { stdout, stderr } = await run(
      process.execPath,
      [cli, '--', 'queues', '--quick', '--tasks', '200', '--latency-tasks', '20'],
      { timeout: 120_000 },
    )
    const rows = stdout.split('\n').filter((line) => /^\| (throughput|latency)/.test(line))
    assert.equal(rows.length, 2, stdout)
    for (const row of rows) {
      const cells = row.split('|').map((cell) => cell.trim())
      const ratio = Number(/\*\*([\d.]+)\*\*/.exec(cells[6] ?? '')?.[1])
      assert.ok(ratio > 0, `${cells[1]}: tasks/s ratio ${cells[6]}`)
      // nothing unacked in a case without faults
      assert.match(cells[11] ?? '', /^0, \d+, \d+ \/ 0, \d+, \d+$/, `${cells[1]}: ${cells[11]}`)
    }
    const policies = stdout
      .split('\n')
      .filter((line) => /^\| (ringdht|bullmq) \| (round-robin|least-loaded|none)/.test(line))
    assert.deepEqual(
      policies.map((line) => line.split('|')[2]?.trim()),
      ['round-robin', 'least-loaded', 'least-loaded', 'none: workers fetch'],
    )
    const kills = stdout
      .split('\n')
      .filter((line) => /^\| (bullmq \| redis-server|ringdht \| ringdht-\d)/.test(line))
    assert.equal(kills.length, 2, stdout)
    // ringdht's target: no acknowledged task lost when the queue's home is SIGKILLed
    assert.match(
      stdout,
      /acknowledged tasks lost by ringdht when the home is SIGKILLed = 0 \| 0 \| yes/,
    )
    // the redis folder is gone
    const root = /data in (\S+)/.exec(stderr)?.[1]
    assert.ok(root !== undefined, `no data folder in the progress lines: ${stderr}`)
    assert.equal(existsSync(root), false, `${root} left behind`)
  })
})
