import { InvalidInputError } from '../errors.js'
import type { DispatchPolicyName, LeaseEntry } from './queue-entries.js'
import type { QueueState } from './queue-state.js'

/** A worker registered with a queue's home. */
export interface WorkerSlot {
  readonly id: string
  /** Tasks it runs at once: the home never leases it more (back-pressure). */
  readonly concurrency: number
  /** Its speed relative to the others, for least-loaded (default: its concurrency). */
  readonly capacity: number
}

export const MAX_WORKER_CONCURRENCY = 1_024

export function checkWorkerSlot(slot: WorkerSlot): void {
  if (!Number.isInteger(slot.concurrency) || slot.concurrency < 1) {
    throw new InvalidInputError(`concurrency must be a positive integer, not ${slot.concurrency}`)
  }
  if (slot.concurrency > MAX_WORKER_CONCURRENCY) {
    throw new InvalidInputError(`concurrency is at most ${MAX_WORKER_CONCURRENCY}`)
  }
  if (!Number.isFinite(slot.capacity) || slot.capacity <= 0) {
    throw new InvalidInputError(`capacity must be a positive number, not ${slot.capacity}`)
  }
}

/**
 * The workers of one queue in order of registration, and whose turn it is. Both
 * policies only pick a worker with room (fewer tasks in flight than its concurrency):
 * - round-robin: the next worker with room after the last one picked;
 * - least-loaded: the worker with the fewest tasks in flight per unit of capacity; ties
 *   go to the first of them in turn, so equal workers alternate.
 */
export class WorkerRoster {
  private readonly slots: WorkerSlot[] = []
  /** Index of the worker whose turn comes next. */
  private turn = 0

  get size(): number {
    return this.slots.length
  }

  get workers(): readonly WorkerSlot[] {
    return this.slots
  }

  /** Adds a worker, or updates one registered under the same id (it keeps its place). */
  add(slot: WorkerSlot): void {
    checkWorkerSlot(slot)
    const index = this.slots.findIndex((known) => known.id === slot.id)
    if (index >= 0) this.slots[index] = slot
    else this.slots.push(slot)
  }

  remove(id: string): void {
    const index = this.slots.findIndex((known) => known.id === id)
    if (index < 0) return
    this.slots.splice(index, 1)
    if (index < this.turn) this.turn -= 1
    if (this.turn >= this.slots.length) this.turn = 0
  }

  has(id: string): boolean {
    return this.slots.some((slot) => slot.id === id)
  }

  /**
   * The worker to give the next task to, or undefined when none has room. `waiting` says
   * whether a worker is ready to take one now (a free slot it asked to fill).
   */
  pick(
    policy: DispatchPolicyName,
    inFlight: (worker: string) => number,
    waiting: (worker: string) => boolean = () => true,
  ): string | undefined {
    const count = this.slots.length
    let chosen = -1
    let chosenLoad = Number.POSITIVE_INFINITY
    for (let step = 0; step < count; step += 1) {
      const index = (this.turn + step) % count
      const slot = this.slots[index] as WorkerSlot
      const held = inFlight(slot.id)
      if (held >= slot.concurrency || !waiting(slot.id)) continue
      if (policy === 'round-robin') {
        chosen = index
        break
      }
      const load = held / slot.capacity
      if (load < chosenLoad) {
        chosen = index
        chosenLoad = load
      }
    }
    if (chosen < 0) return undefined
    this.turn = (chosen + 1) % count
    return (this.slots[chosen] as WorkerSlot).id
  }
}

/**
 * Leases ready tasks to workers with room (and, given `waiting`, a free slot asked
 * for), by the queue's policy, until either runs out. Each entry is applied to `state` as it is made (the home appends them in this
 * order, and hands a task to its worker once its lease entry is acknowledged).
 */
export function dispatch(
  state: QueueState,
  roster: WorkerRoster,
  now: number,
  waiting?: (worker: string) => boolean,
  leased?: (lease: LeaseEntry) => void,
): LeaseEntry[] {
  const leases: LeaseEntry[] = []
  while (state.hasReady(now)) {
    const worker = roster.pick(state.settings.policy, (id) => state.inFlight(id), waiting)
    if (worker === undefined) break
    const lease = state.proposeLease(worker, now)
    if (lease === undefined) break
    state.apply(lease)
    leases.push(lease)
    // the caller hands the lease on before the next pick (a waiting slot is used up)
    leased?.(lease)
  }
  return leases
}
