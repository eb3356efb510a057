import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { InvalidInputError, KeyTooLargeError, ValueTooLargeError } from '../../src/errors.js'
import { dispatch, WorkerRoster, type WorkerSlot } from '../../src/tasks/dispatch-policy.js'
import type { QueueEntry } from '../../src/tasks/queue-entries.js'
import {
  checkEnqueue,
  checkQueueName,
  checkSettings,
  DEFAULT_QUEUE_LIMITS,
} from '../../src/tasks/queue-limits.js'
import { QueueState } from '../../src/tasks/queue-state.js'

const workers = fc.array(
  fc.record({
    concurrency: fc.integer({ min: 1, max: 5 }),
    capacity: fc.integer({ min: 1, max: 8 }),
  }),
  { minLength: 1, maxLength: 6 },
)

function rosterOf(slots: readonly Omit<WorkerSlot, 'id'>[]): WorkerRoster {
  const roster = new WorkerRoster()
  slots.forEach((slot, i) => {
    roster.add({ id: `w${i}`, ...slot })
  })
  return roster
}

describe('dispatch policies', () => {
  it('round-robin gives each worker within 1 of the same count', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.nat({ max: 200 }), (count, picks) => {
        const roster = rosterOf(
          Array.from({ length: count }, () => ({ concurrency: 1_000, capacity: 1 })),
        )
        const given = new Map<string, number>()
        for (let i = 0; i < picks; i += 1) {
          const worker = roster.pick('round-robin', (id) => given.get(id) ?? 0)
          assert.ok(worker)
          given.set(worker, (given.get(worker) ?? 0) + 1)
        }
        const counts = roster.workers.map((slot) => given.get(slot.id) ?? 0)
        assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, `counts ${counts}`)
      }),
    )
  })

  it('least-loaded picks a worker with room and the least load per capacity', () => {
    fc.assert(
      fc.property(
        workers,
        fc.array(fc.oneof(fc.constant(-1), fc.nat({ max: 5 })), { maxLength: 80 }),
        (slots, moves) => {
          const roster = rosterOf(slots)
          const held = new Map<string, number>()
          const inFlight = (id: string) => held.get(id) ?? 0
          for (const move of moves) {
            if (move >= 0) {
              // A worker finished a task.
              const id = `w${move % slots.length}`
              if (inFlight(id) > 0) held.set(id, inFlight(id) - 1)
              continue
            }
            const withRoom = roster.workers.filter((slot) => inFlight(slot.id) < slot.concurrency)
            const worker = roster.pick('least-loaded', inFlight)
            if (withRoom.length === 0) {
              assert.equal(worker, undefined)
              continue
            }
            const chosen = withRoom.find((slot) => slot.id === worker)
            assert.ok(chosen, 'never a worker at its concurrency while another has room')
            const least = Math.min(...withRoom.map((slot) => inFlight(slot.id) / slot.capacity))
            assert.equal(inFlight(chosen.id) / chosen.capacity, least)
            held.set(chosen.id, inFlight(chosen.id) + 1)
          }
        },
      ),
    )
  })

  it('least-loaded takes equal workers in turn', () => {
    const roster = rosterOf([
      { concurrency: 10, capacity: 1 },
      { concurrency: 10, capacity: 1 },
      { concurrency: 10, capacity: 1 },
    ])
    const picks = Array.from({ length: 6 }, () => roster.pick('least-loaded', () => 0))
    assert.deepEqual(picks, ['w0', 'w1', 'w2', 'w0', 'w1', 'w2'])
  })

  it('round-robin skips a full worker and keeps the turn after a worker leaves', () => {
    const roster = rosterOf([
      { concurrency: 1, capacity: 1 },
      { concurrency: 5, capacity: 1 },
      { concurrency: 5, capacity: 1 },
    ])
    const full = (id: string) => (id === 'w0' ? 1 : 0)
    assert.deepEqual(
      [1, 2, 3].map(() => roster.pick('round-robin', full)),
      ['w1', 'w2', 'w1'],
    )
    roster.remove('w1')
    assert.equal(
      roster.pick('round-robin', () => 0),
      'w2',
    )
  })

  it('leases ready tasks to workers until the tasks or the room runs out', () => {
    const state = new QueueState(DEFAULT_QUEUE_LIMITS)
    const log: QueueEntry[] = []
    for (let i = 0; i < 10; i += 1) {
      const proposal = state.proposeEnqueue(new Uint8Array([i]), {}, 0)
      assert.ok('entry' in proposal)
      state.apply(proposal.entry)
    }
    const roster = rosterOf([
      { concurrency: 2, capacity: 2 },
      { concurrency: 3, capacity: 3 },
    ])
    const leases = dispatch(state, roster, 0)
    log.push(...leases)
    assert.equal(leases.length, 5)
    assert.deepEqual(
      leases.map((lease) => lease.taskId),
      [1, 2, 3, 4, 5],
    )
    assert.equal(state.inFlight('w0'), 2)
    assert.equal(state.inFlight('w1'), 3)
    assert.deepEqual(dispatch(state, roster, 0), [])
  })
})

describe('queue input checks', () => {
  it('refuses bad enqueues and names with a clear error', () => {
    const limits = DEFAULT_QUEUE_LIMITS
    assert.throws(() => checkQueueName('', limits), InvalidInputError)
    assert.throws(
      () => checkQueueName('q'.repeat(limits.maxQueueNameBytes + 1), limits),
      KeyTooLargeError,
    )
    checkQueueName('q'.repeat(limits.maxQueueNameBytes), limits)
    const big = new Uint8Array(limits.maxPayloadBytes + 1)
    assert.throws(() => checkEnqueue(big, {}, limits), ValueTooLargeError)
    assert.throws(() => checkEnqueue(new Uint8Array(1), { delayMs: -1 }, limits), /delayMs/)
    assert.throws(() => checkEnqueue(new Uint8Array(1), { priority: 1.5 }, limits), /priority/)
    assert.throws(() => checkEnqueue(new Uint8Array(1), { dedupeId: '' }, limits), /dedupeId/)
    checkEnqueue(new Uint8Array(limits.maxPayloadBytes), { delayMs: 5, priority: -3 }, limits)
  })

  it('refuses bad queue settings', () => {
    const good = {
      policy: 'least-loaded',
      maxAttempts: 3,
      leaseMs: 1000,
      backoffMs: 10,
      maxBackoffMs: 100,
    } as const
    checkSettings(good)
    assert.throws(() => checkSettings({ ...good, policy: 'random' as never }), /policy/)
    assert.throws(() => checkSettings({ ...good, maxAttempts: 0 }), /maxAttempts/)
    assert.throws(() => checkSettings({ ...good, leaseMs: -5 }), /leaseMs/)
    assert.throws(() => checkSettings({ ...good, maxBackoffMs: 1 }), /maxBackoffMs/)
    assert.throws(
      () => new WorkerRoster().add({ id: 'w', concurrency: 0, capacity: 1 }),
      InvalidInputError,
    )
  })
})
