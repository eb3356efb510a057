import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { FencedError, LockNotHeldError, PeerBusyError } from '../../src/errors.js'
import { WorkerRoster } from '../../src/tasks/dispatch-policy.js'
import { decodeEntry, encodeEntry } from '../../src/tasks/entry-codec.js'
import type { QueueEntry, QueueSettings } from '../../src/tasks/queue-entries.js'
import { DEFAULT_QUEUE_LIMITS, type QueueLimits } from '../../src/tasks/queue-limits.js'
import { QueueState } from '../../src/tasks/queue-state.js'

const bytes = (text: string) => new TextEncoder().encode(text)

/** A queue and the log it has written, as the home keeps them. */
class Home {
  readonly log: QueueEntry[] = []
  readonly state: QueueState
  constructor(readonly limits: QueueLimits = DEFAULT_QUEUE_LIMITS) {
    this.state = new QueueState(limits)
  }
  write(entry: QueueEntry) {
    this.log.push(entry)
    return this.state.apply(entry)
  }
  enqueue(payload: string, now: number, options = {}) {
    const proposal = this.state.proposeEnqueue(bytes(payload), options, now)
    if ('duplicateOf' in proposal) return proposal.duplicateOf
    const { taskId } = this.write(proposal.entry)
    return taskId as number
  }
  lease(worker: string, now: number) {
    const entry = this.state.proposeLease(worker, now)
    if (entry !== undefined) this.write(entry)
    return entry
  }
  configure(settings: Partial<QueueSettings>, now = 0) {
    this.write({ kind: 'configure', at: now, settings: { ...this.state.settings, ...settings } })
  }
}

function replayed(log: readonly QueueEntry[], limits = DEFAULT_QUEUE_LIMITS): QueueState {
  const state = new QueueState(limits)
  for (const entry of log) state.apply(decodeEntry(encodeEntry(entry)))
  return state
}

describe('queue state', () => {
  it('leases by priority, then in order of arrival', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -3, max: 3 }), { maxLength: 60 }), (priorities) => {
        const home = new Home()
        const ids = priorities.map((priority, i) => home.enqueue(`t${i}`, 0, { priority }))
        const leased: number[] = []
        for (let entry = home.lease('w', 1); entry; entry = home.lease('w', 1)) {
          leased.push(entry.taskId)
        }
        const expected = ids
          .map((id, i) => ({ id, priority: priorities[i] as number }))
          .sort((a, b) => b.priority - a.priority || a.id - b.id)
          .map((task) => task.id)
        assert.deepEqual(leased, expected)
      }),
    )
  })

  it('keeps a delayed task back until its time', () => {
    const home = new Home()
    const later = home.enqueue('later', 0, { delayMs: 100 })
    const now = home.enqueue('now', 0)
    assert.equal(home.lease('w', 50)?.taskId, now)
    assert.equal(home.lease('w', 50), undefined)
    assert.equal(home.state.stats(50).delayed, 1)
    assert.equal(home.lease('w', 100)?.taskId, later)
  })

  it('refuses an ack with a stale token or from another worker, and changes nothing', () => {
    const home = new Home()
    home.configure({ leaseMs: 100 })
    const id = home.enqueue('x', 0)
    const first = home.lease('a', 0)
    assert.ok(first)
    for (const expired of home.state.expiredLeases(100)) home.write(expired)
    const second = home.lease('b', 100)
    assert.ok(second && second.token > first.token)
    const before = JSON.stringify(home.state.snapshot())
    assert.throws(() => home.state.checkHolder(id, first.token, 'a'), FencedError)
    assert.throws(() => home.state.checkHolder(id, second.token, 'a'), LockNotHeldError)
    assert.throws(() => home.state.checkHolder(id + 1, 1, 'a'), LockNotHeldError)
    assert.equal(
      home.state.apply({ kind: 'ack', at: 101, taskId: id, token: first.token }).applied,
      false,
    )
    assert.equal(JSON.stringify(home.state.snapshot()), before)
    home.state.checkHolder(id, second.token, 'b')
    assert.equal(
      home.write({ kind: 'ack', at: 101, taskId: id, token: second.token }).applied,
      true,
    )
    assert.equal(home.state.size, 0)
    assert.deepEqual(home.state.stats(101).workers, [{ worker: 'b', inFlight: 0, done: 1 }])
  })

  it('backs off a nacked task, dead-letters it after maxAttempts, and replays it', () => {
    const home = new Home()
    home.configure({ maxAttempts: 3, backoffMs: 10, maxBackoffMs: 15 })
    const id = home.enqueue('x', 0)
    const newer = home.enqueue('y', 0)
    let now = 0
    const retryAt: number[] = []
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const lease = home.lease('w', now)
      assert.equal(lease?.taskId, id, 'a retried task keeps its place of arrival')
      home.write({ kind: 'nack', at: now, taskId: id, token: lease.token, reason: 'boom' })
      retryAt.push(home.state.task(id)?.notBefore ?? -1)
      now = home.state.task(id)?.notBefore ?? now
    }
    assert.deepEqual(retryAt.slice(0, 2), [10, 10 + 15], '10 × 2 capped at 15')
    assert.equal(home.state.task(id)?.status, 'dead')
    assert.equal(home.state.task(id)?.lastError, 'boom')
    assert.equal(home.state.stats(now).dead, 1)
    assert.equal(home.lease('w', now)?.taskId, newer)
    home.write({ kind: 'replay', at: now, taskIds: [] })
    assert.equal(home.state.task(id)?.attempts, 0)
    assert.equal(home.lease('w', now)?.taskId, id)
  })

  it('gives an expired lease back at its place, to be leased again under a higher token', () => {
    const home = new Home()
    home.configure({ leaseMs: 50 })
    const first = home.enqueue('a', 0)
    home.enqueue('b', 0)
    const lease = home.lease('w1', 0)
    assert.deepEqual(home.state.expiredLeases(49), [])
    const expired = home.state.expiredLeases(50)
    assert.equal(expired.length, 1)
    for (const entry of expired) home.write(entry)
    assert.deepEqual(home.state.expiredLeases(1000), [])
    const again = home.lease('w2', 50)
    assert.equal(again?.taskId, first)
    assert.ok(lease && again && again.token > lease.token)
    assert.equal(home.state.nextDueAt(), 100)
  })

  it('extends a lease: the old deadline no longer ends it, the new one does', () => {
    const home = new Home()
    home.configure({ leaseMs: 50 })
    home.enqueue('a', 0)
    const lease = home.lease('w', 0)
    assert.ok(lease)
    const extend = { kind: 'extend', at: 40, taskId: lease.taskId, token: lease.token } as const
    assert.equal(home.write({ ...extend, deadline: 90 }).applied, true)
    assert.equal(home.write({ ...extend, deadline: 80 }).applied, false, 'never shortened')
    assert.equal(home.write({ ...extend, token: lease.token - 1, deadline: 95 }).applied, false)
    assert.deepEqual(home.state.expiredLeases(60), [])
    assert.equal(home.state.nextDueAt(), 90)
    assert.equal(home.state.expiredLeases(90).length, 1)
  })

  it('answers a repeated dedupe id with the first task, also after it was acked', () => {
    const home = new Home()
    const id = home.enqueue('x', 0, { dedupeId: 'job-1' })
    assert.equal(home.enqueue('x again', 0, { dedupeId: 'job-1' }), id)
    const lease = home.lease('w', 0)
    assert.ok(lease)
    home.write({ kind: 'ack', at: 1, taskId: id, token: lease.token })
    assert.equal(home.enqueue('x later', 2, { dedupeId: 'job-1' }), id)
    assert.equal(home.state.stats(2).enqueued, 1)
  })

  it('refuses an enqueue past the queue limit', () => {
    const home = new Home({ ...DEFAULT_QUEUE_LIMITS, maxTasks: 2 })
    home.enqueue('a', 0)
    home.enqueue('b', 0)
    assert.throws(() => home.enqueue('c', 0), PeerBusyError)
    assert.equal(home.state.size, 2)
  })

  it('drops the oldest dead letter past the limit', () => {
    const home = new Home({ ...DEFAULT_QUEUE_LIMITS, maxDeadLetters: 2 })
    home.configure({ maxAttempts: 1 })
    const ids = [home.enqueue('a', 0), home.enqueue('b', 0), home.enqueue('c', 0)]
    for (let lease = home.lease('w', 0); lease; lease = home.lease('w', 0)) {
      home.write({ kind: 'nack', at: 0, taskId: lease.taskId, token: lease.token, reason: '' })
    }
    assert.deepEqual(
      home.state.deadLetters(10).map((task) => task.id),
      ids.slice(1),
    )
  })
})

type Step =
  | { op: 'enqueue'; priority: number; delayMs: number; dedupe: number | undefined }
  | { op: 'dispatch'; workers: number }
  | { op: 'ack' | 'nack' | 'extend'; pick: number; stale: boolean }
  | { op: 'tick'; ms: number }
  | { op: 'snapshot' }

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    op: fc.constant('enqueue' as const),
    priority: fc.integer({ min: -2, max: 2 }),
    delayMs: fc.integer({ min: 0, max: 200 }),
    dedupe: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
  }),
  fc.record({ op: fc.constant('dispatch' as const), workers: fc.integer({ min: 1, max: 3 }) }),
  fc.record({
    op: fc.constantFrom('ack' as const, 'nack' as const, 'extend' as const),
    pick: fc.nat(),
    stale: fc.boolean(),
  }),
  fc.record({ op: fc.constant('tick' as const), ms: fc.integer({ min: 1, max: 400 }) }),
  fc.record({ op: fc.constant('snapshot' as const) }),
)

/** Runs random commands as a home would: checked first, then written. */
function run(steps: readonly Step[]): { home: Home; now: number; tokens: number[] } {
  const home = new Home({ ...DEFAULT_QUEUE_LIMITS, maxDeadLetters: 3 })
  home.configure({ leaseMs: 300, maxAttempts: 3, backoffMs: 20, maxBackoffMs: 100 })
  const roster = new WorkerRoster()
  for (const id of ['w0', 'w1', 'w2']) roster.add({ id, concurrency: 2, capacity: 2 })
  const tokens: number[] = []
  let now = 0
  for (const s of steps) {
    if (s.op === 'enqueue') {
      const dedupeId = s.dedupe === undefined ? {} : { dedupeId: `d${s.dedupe}` }
      home.enqueue('p', now, { priority: s.priority, delayMs: s.delayMs, ...dedupeId })
    } else if (s.op === 'dispatch') {
      for (let i = 0; i < s.workers; i += 1) {
        const worker = roster.pick('least-loaded', (id) => home.state.inFlight(id))
        const lease = worker === undefined ? undefined : home.lease(worker, now)
        if (lease) tokens.push(lease.token)
      }
    } else if (s.op === 'tick') {
      now += s.ms
      for (const expired of home.state.expiredLeases(now)) home.write(expired)
    } else if (s.op === 'snapshot') {
      home.write({ kind: 'snapshot', at: now, state: home.state.snapshot() })
    } else {
      const leased = home.state.stats(now).leased
      const held = [...home.log]
        .filter((e) => e.kind === 'lease')
        .map((e) => home.state.task(e.taskId))
        .filter((t) => t?.status === 'leased')
      if (leased === 0 || held.length === 0) continue
      const task = held[s.pick % held.length]
      if (task?.lease === undefined) continue
      const token = s.stale ? task.lease.token - 1 : task.lease.token
      try {
        home.state.checkHolder(task.id, token, task.lease.worker)
      } catch {
        assert.ok(s.stale)
        continue
      }
      if (s.op === 'extend') {
        const deadline = now + home.state.settings.leaseMs
        home.write({ kind: 'extend', at: now, taskId: task.id, token, deadline })
      } else if (s.op === 'ack') home.write({ kind: 'ack', at: now, taskId: task.id, token })
      else home.write({ kind: 'nack', at: now, taskId: task.id, token, reason: 'r' })
    }
  }
  return { home, now, tokens }
}

describe('queue state under random commands', () => {
  it('grants growing tokens, one lease per task, and counts every task once', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 120 }), (steps) => {
        const { home, now, tokens } = run(steps)
        for (let i = 1; i < tokens.length; i += 1) {
          assert.ok((tokens[i] as number) > (tokens[i - 1] as number))
        }
        const stats = home.state.stats(now)
        assert.equal(stats.ready + stats.delayed + stats.leased + stats.dead, home.state.size)
        const inFlight = stats.workers.reduce((sum, worker) => sum + worker.inFlight, 0)
        assert.equal(inFlight, stats.leased)
        for (const worker of stats.workers) assert.ok(worker.inFlight <= 2)
      }),
    )
  })

  it('gives the same state when the same entries are replayed, with or without snapshots', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 120 }), (steps) => {
        const { home, now } = run(steps)
        const replay = replayed(home.log)
        assert.deepEqual(replay.snapshot(), home.state.snapshot())
        assert.deepEqual(replay.stats(now), home.state.stats(now))
        const lastSnapshot = home.log.findLastIndex((entry) => entry.kind === 'snapshot')
        if (lastSnapshot >= 0) {
          const fromSnapshot = replayed(home.log.slice(lastSnapshot))
          assert.deepEqual(fromSnapshot.snapshot(), home.state.snapshot())
        }
        // A new home continues where the old one stopped: the same next lease.
        assert.deepEqual(replay.proposeLease('w9', now), home.state.proposeLease('w9', now))
        assert.deepEqual(replay.expiredLeases(now + 1000), home.state.expiredLeases(now + 1000))
      }),
    )
  })
})
