import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { describe, it } from 'node:test'
import { promisify } from 'node:util'
import { messagingTargets, ratio } from '../src/messaging/messaging-report.js'
import type { LatencyCaseResult } from '../src/messaging/pubsub-workload.js'
import { findRedis } from '../src/queues/redis-server.js'

const run = promisify(execFile)
const cli = new URL('../src/cli.js', import.meta.url).pathname

function latency(p50Ms: number): LatencyCaseResult {
  return {
    subscribers: 1,
    published: 10,
    acknowledged: 10,
    samples: 10,
    late: 0,
    p50Ms,
    p99Ms: p50Ms * 2,
    maxMs: p50Ms * 3,
    duplicates: 0,
  }
}

function killed(lost: number) {
  return {
    published: 10,
    acknowledged: 10,
    givenUp: 0,
    failedAttempts: 0,
    lost,
    lostDeliveries: lost,
    unacknowledgedDelivered: 0,
    duplicates: 0,
    maxPublishMs: 1,
    errorSamples: [],
    victim: 'x',
  }
}

describe('messaging report', () => {
  it('judges p50 against 2 × Redis and losses against zero; a failed case misses', () => {
    const targets = messagingTargets(
      [
        {
          subscribers: 1,
          results: { ringdht: latency(2), redis: latency(1), gossipsub: latency(5) },
        },
        {
          subscribers: 50,
          results: { ringdht: latency(3), redis: latency(1), gossipsub: { error: 'boom' } },
        },
        {
          subscribers: 2,
          results: { ringdht: { error: 'boom' }, redis: latency(1), gossipsub: latency(1) },
        },
      ],
      { ringdht: killed(0), redis: killed(4), gossipsub: { error: 'no relay' } },
    )
    assert.deepEqual(
      targets.map((t) => t.met),
      [true, false, false, true],
    )
    assert.match(targets[3]?.detail ?? '', /Redis 4 of 10, gossipsub not measured/)
    assert.equal(ratio(3, 0), undefined)
    assert.equal(ratio(3, 2), 1.5)
  })
})

describe('pnpm bench -- messaging --quick (small counts)', () => {
  const redis = findRedis()
  const reason = 'redis-server is not installed (Debian: apt-get install redis-server)'
  if (redis === undefined) process.stdout.write(`# skipped messaging run: ${reason}\n`)

  it('runs ringdht, Redis pub/sub and gossipsub side by side, kills a member of each', {
    skip: redis === undefined ? reason : false,
  }, async () => {
    const { stdout, stderr } = await run(
      process.execPath,
      [
        cli,
        '--',
        'messaging',
        '--quick',
        '--latency-messages',
        '20',
        '--messages',
        '100',
        '--kill-messages',
        '100',
      ],
      { timeout: 120_000 },
    )
    const latencyRows = stdout.split('\n').filter((line) => /^\| (1|5) \| [\d.]+ \//.test(line))
    assert.equal(latencyRows.length, 2, `${stdout}\n${stderr}`)
    const throughputRows = stdout
      .split('\n')
      .filter((line) => /^\| (1|10) \| [\d.]+ \| /.test(line))
    assert.equal(throughputRows.length, 2, stdout)
    for (const system of ['ringdht', 'Redis', 'gossipsub']) {
      const row = stdout.split('\n').find((line) => line.startsWith(`| ${system} | `))
      assert.ok(row !== undefined && !row.includes('failed:'), `${system} kill: ${row}`)
    }
    // ringdht never loses an acknowledged message, whatever the others do
    const ringdhtKill = stdout.split('\n').find((line) => line.startsWith('| ringdht | '))
    assert.match(ringdhtKill ?? '', /\| \*\*0\*\* \|/)
    assert.match(stdout, /Targets/)
  })
})
