import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { pino } from 'pino'
import {
  FencedError,
  LockNotHeldError,
  NotReadyError,
  PeerBusyError,
  ValueTooLargeError,
} from '../../src/errors.js'
import { type Assignment, QueueHome, type QueueLog } from '../../src/tasks/queue-home.js'
import { DEFAULT_QUEUE_LIMITS, type QueueLimits } from '../../src/tasks/queue-limits.js'

/** A log in memory whose appends are acknowledged at once, or fail when told to. */
class MemoryLog implements QueueLog {
  readonly entries: Uint8Array[] = []
  failing = false
  retained = 1
  async append(data: Uint8Array): Promise<number> {
    if (this.failing) throw new FencedError('a newer home took the log over')
    this.entries.push(data)
    return this.entries.length
  }
  retainFrom(seq: number): void {
    this.retained = seq
  }
}

function homeOn(
  log: MemoryLog,
  now: () => number = Date.now,
  snapshotEvery = 1_000,
  limits: Partial<QueueLimits> = {},
) {
  let failed: Error | undefined
  const home = new QueueHome({
    name: 'q',
    log,
    limits: { ...DEFAULT_QUEUE_LIMITS, ...limits },
    logger: pino({ level: 'silent' }),
    snapshotEvery,
    now,
    failed: (err) => {
      failed = err
    },
  })
  return { home, failed: () => failed }
}

const bytes = (s: string) => new TextEncoder().encode(s)
const never = new AbortController().signal

describe('queue home', () => {
  it('hands tasks to the slots workers hold, and refuses settlements of tasks one does not hold', async () => {
    const log = new MemoryLog()
    const { home } = homeOn(log)
    home.join({ id: 'w1', concurrency: 1, capacity: 1 })
    home.join({ id: 'w2', concurrency: 1, capacity: 1 })
    await home.enqueue(bytes('a'), {})
    await home.enqueue(bytes('b'), {})
    const first = (await home.take('w1', 1_000, never)) as Assignment
    const second = (await home.take('w2', 1_000, never)) as Assignment
    assert.deepEqual([first.taskId, second.taskId], [1, 2])
    const before = log.entries.length
    await assert.rejects(
      home.settle('w2', { taskId: 1, token: first.token, ack: true }),
      LockNotHeldError,
    )
    await assert.rejects(
      home.settle('w1', { taskId: 1, token: first.token - 1, ack: true }),
      FencedError,
    )
    await assert.rejects(home.settle('w1', { taskId: 7, token: 1, ack: true }), LockNotHeldError)
    assert.equal(log.entries.length, before, 'nothing written')
    await home.settle('w1', { taskId: 1, token: first.token, ack: true })
    assert.equal(home.stats().acked, 1)
    assert.equal(await home.take('w1', 20, never), undefined, 'no task within the wait')
  })

  it('rebuilds the same queue from its log on a new home, leases and deadlines included', async () => {
    let now = 1_000
    const log = new MemoryLog()
    const { home } = homeOn(log, () => now, 5)
    home.join({ id: 'w', concurrency: 3, capacity: 3 })
    for (const name of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) await home.enqueue(bytes(name), {})
    const leased = (await home.take('w', 1_000, never)) as Assignment
    const expected = { ...home.stats(), connected: 0 }
    home.close()
    assert.ok(log.retained > 1, 'a snapshot let the log drop what came before it')
    const next = homeOn(log, () => now).home
    next.restore(log.entries)
    assert.deepEqual(next.stats(), expected)
    now = leased.deadline
    next.join({ id: 'other', concurrency: 1, capacity: 1 })
    const again = (await next.take('other', 1_000, never)) as Assignment
    assert.equal(again.taskId, leased.taskId, 'the lease expired at its deadline on the new home')
    assert.ok(again.token > leased.token)
  })

  it('refuses a task its log could not take, before anything changes', async () => {
    const log = new MemoryLog()
    const home = new QueueHome({
      name: 'q',
      log,
      limits: DEFAULT_QUEUE_LIMITS,
      logger: pino({ level: 'silent' }),
      maxEntryBytes: 1_000,
    })
    await assert.rejects(home.enqueue(new Uint8Array(900), {}), ValueTooLargeError)
    assert.equal(log.entries.length, 0)
    assert.equal(home.stats().enqueued, 0)
    assert.equal(home.failed, false)
  })

  it('refuses a worker past the limit of workers', () => {
    const { home } = homeOn(new MemoryLog(), Date.now, 1_000, { maxWorkers: 2 })
    home.join({ id: 'a', concurrency: 1, capacity: 1 })
    home.join({ id: 'b', concurrency: 1, capacity: 1 })
    home.join({ id: 'a', concurrency: 2, capacity: 2 })
    assert.throws(() => home.join({ id: 'c', concurrency: 1, capacity: 1 }), PeerBusyError)
    assert.equal(home.stats().connected, 2)
  })

  it('stops serving when an append fails: its state is ahead of the log', async () => {
    const log = new MemoryLog()
    const { home, failed } = homeOn(log)
    await home.enqueue(bytes('a'), {})
    log.failing = true
    await assert.rejects(home.enqueue(bytes('b'), {}), FencedError)
    assert.ok(failed() instanceof FencedError)
    assert.throws(() => home.stats(), NotReadyError)
  })
})
