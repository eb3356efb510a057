import type { Logger } from 'pino'
import type { Counters } from '../counters.js'
import { InvalidInputError, NotReadyError, PeerBusyError, ValueTooLargeError } from '../errors.js'
import { dispatch, WorkerRoster, type WorkerSlot } from './dispatch-policy.js'
import { decodeEntry, encodeEntry } from './entry-codec.js'
import type {
  Assignment,
  LeaseEntry,
  QueueEntry,
  QueueSettings,
  TaskId,
  TaskRecord,
} from './queue-entries.js'
import {
  checkEnqueue,
  checkSettings,
  type EnqueueOptions,
  type QueueLimits,
} from './queue-limits.js'
import { QueueState } from './queue-state.js'
import type { QueueStats } from './queue-stats.js'

export type { Assignment }

/**
 * The queue's replicated log, as its home sees it (a home log of space 'queue').
 * Appends are ordered as they are called.
 */
export interface QueueLog {
  /** Resolves with the entry's seq once a write quorum holds it; rejects when this member is no longer home. */
  append(data: Uint8Array): Promise<number>
  /** Entries before `seq` are no longer needed to rebuild the state (a snapshot is at `seq`). */
  retainFrom?(seq: number): void
}

interface Take {
  /** Taken by a lease: waiting ends, the answer comes once the lease is written. */
  claimed: boolean
  resolve(assignment: Assignment | undefined): void
  reject(err: Error): void
}

export interface QueueHomeInit {
  readonly name: string
  readonly log: QueueLog
  readonly limits: QueueLimits
  readonly logger: Logger
  /** The member's counters: what this home took in, leased, saw settled and expire. */
  readonly counters?: Pick<
    Counters,
    'tasksEnqueued' | 'tasksLeased' | 'tasksAcked' | 'tasksNacked' | 'leasesExpired'
  >
  /** A snapshot entry is written after this many entries (bounded replay and retention). */
  readonly snapshotEvery?: number
  /** The log's largest entry: a larger task is refused, a larger snapshot not written. Default 1 MiB. */
  readonly maxEntryBytes?: number
  readonly now?: () => number
  /** The state can no longer be trusted (an append failed): the caller drops this home. */
  readonly failed?: (err: Error) => void
}

/**
 * One queue at its home: the state rebuilt from the log, the workers registered here,
 * and the slots they asked to fill. Every change is applied here first and appended to
 * the log in the same order; a caller is answered, and a worker handed a task, only once
 * the entry is on a write quorum. An append that fails leaves this state ahead of the
 * log, so the home stops serving (`failed`) and the next home replays what was kept.
 */
export class QueueHome {
  readonly name: string
  readonly #init: QueueHomeInit
  readonly #state: QueueState
  readonly #roster = new WorkerRoster()
  readonly #takes = new Map<string, Take[]>()
  readonly #now: () => number
  #timer: NodeJS.Timeout | undefined
  #dueAt: number | undefined
  #sinceSnapshot = 0
  #failure: Error | undefined

  constructor(init: QueueHomeInit) {
    this.name = init.name
    this.#init = init
    this.#state = new QueueState(init.limits)
    this.#now = init.now ?? Date.now
  }

  /** Rebuilds the state from the log's entries (oldest first), then starts dispatching. */
  restore(entries: Iterable<Uint8Array>): void {
    let skipped = 0
    for (const data of entries) {
      try {
        this.#state.apply(decodeEntry(data))
      } catch {
        skipped++
      }
    }
    if (skipped > 0)
      this.#init.logger.warn({ queue: this.name, skipped }, 'unreadable queue entries')
    this.#changed()
  }

  get failed(): boolean {
    return this.#failure !== undefined
  }

  async enqueue(
    payload: Uint8Array,
    options: EnqueueOptions,
  ): Promise<{ taskId: TaskId; duplicate: boolean }> {
    this.#serving()
    checkEnqueue(payload, options, this.#init.limits)
    const proposal = this.#state.proposeEnqueue(payload, options, this.#now())
    if ('duplicateOf' in proposal) return { taskId: proposal.duplicateOf, duplicate: true }
    // refused before it is applied: a log that cannot take the entry must not find the state ahead of it
    const data = encodeEntry(proposal.entry)
    const maxEntryBytes = this.#init.maxEntryBytes ?? 1024 * 1024
    if (data.byteLength > maxEntryBytes) {
      throw new ValueTooLargeError(
        `the task takes ${data.byteLength} bytes in the queue's log; its entries are at most ${maxEntryBytes}`,
      )
    }
    const { taskId } = this.#state.apply(proposal.entry)
    const written = this.#append(proposal.entry, data)
    // its lease, if a worker is waiting, follows it into the log at once
    this.#changed()
    await written
    return { taskId: taskId as TaskId, duplicate: false }
  }

  join(slot: WorkerSlot): void {
    this.#serving()
    const { maxWorkers } = this.#init.limits
    if (!this.#roster.has(slot.id) && this.#roster.size >= maxWorkers) {
      throw new PeerBusyError(`queue ${this.name} has ${maxWorkers} workers, its limit`)
    }
    this.#roster.add(slot)
    this.#changed()
  }

  /** The worker's stream closed: no more tasks for it; its leases run to their deadlines. */
  leave(worker: string): void {
    this.#roster.remove(worker)
    for (const take of this.#takes.get(worker) ?? []) take.resolve(undefined)
    this.#takes.delete(worker)
  }

  /**
   * A free slot of `worker`: resolves with a task leased to it, or undefined after
   * `waitMs` (or when `signal` aborts) with none.
   */
  take(worker: string, waitMs: number, signal: AbortSignal): Promise<Assignment | undefined> {
    this.#serving()
    if (!this.#roster.has(worker)) {
      throw new InvalidInputError('this worker has not joined the queue on this stream')
    }
    return new Promise<Assignment | undefined>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer)
        signal.removeEventListener('abort', giveUp)
        const takes = this.#takes.get(worker)
        const index = takes?.indexOf(take) ?? -1
        if (index >= 0) takes?.splice(index, 1)
      }
      const take: Take = {
        claimed: false,
        resolve: (assignment) => {
          done()
          resolve(assignment)
        },
        reject: (err) => {
          done()
          reject(err)
        },
      }
      const giveUp = () => {
        if (!take.claimed) take.resolve(undefined)
      }
      const timer = setTimeout(giveUp, waitMs)
      signal.addEventListener('abort', giveUp, { once: true })
      const takes = this.#takes.get(worker) ?? []
      takes.push(take)
      this.#takes.set(worker, takes)
      this.#pump()
      // no wait (a settlement's take_next): none leased now is none, without a timer turn
      if (waitMs <= 0 && !take.claimed) take.resolve(undefined)
    })
  }

  /**
   * An ack or nack from `worker` under `token`; refused (nothing changed) unless it holds
   * the lease. With `takeNext`, the slot it frees asks for its next task at once, without
   * waiting: resolves (once both entries are on a write quorum) with the task leased to it,
   * or undefined when none was ready.
   */
  async settle(
    worker: string,
    settlement: { taskId: TaskId; token: number; ack: boolean; reason?: string },
    takeNext?: { signal: AbortSignal },
  ): Promise<Assignment | undefined> {
    this.#serving()
    const { taskId, token } = settlement
    this.#state.checkHolder(taskId, token, worker)
    const at = this.#now()
    const reason = (settlement.reason ?? '').slice(0, this.#init.limits.maxReasonChars)
    const entry: QueueEntry = settlement.ack
      ? { kind: 'ack', at, taskId, token }
      : { kind: 'nack', at, taskId, token, reason }
    this.#state.apply(entry)
    const written = this.#append(entry)
    // the slot the task held is free again: its TAKE, if it sent one, may fill it now
    const next =
      takeNext !== undefined && this.#roster.has(worker)
        ? this.take(worker, 0, takeNext.signal)
        : undefined
    next?.catch(() => {})
    this.#changed()
    await written
    return next
  }

  /** `worker` still runs the task: its lease lasts another leaseMs from now. Resolves with the new deadline. */
  async extend(worker: string, taskId: TaskId, token: number): Promise<number> {
    this.#serving()
    this.#state.checkHolder(taskId, token, worker)
    const at = this.#now()
    const deadline = at + this.#state.settings.leaseMs
    const entry: QueueEntry = { kind: 'extend', at, taskId, token, deadline }
    if (!this.#state.apply(entry).applied)
      return this.#state.task(taskId)?.lease?.deadline ?? deadline
    const written = this.#append(entry)
    this.#schedule()
    await written
    return deadline
  }

  async configure(settings: QueueSettings): Promise<void> {
    this.#serving()
    checkSettings(settings)
    const entry: QueueEntry = { kind: 'configure', at: this.#now(), settings }
    this.#state.apply(entry)
    await this.#append(entry)
    this.#changed()
  }

  /** Offers dead letters again (all when `taskIds` is empty); resolves with how many. */
  async replay(taskIds: readonly TaskId[]): Promise<number> {
    this.#serving()
    const dead = this.#state.deadLetters(Number.POSITIVE_INFINITY).map((task) => task.id)
    const chosen = taskIds.length === 0 ? dead : taskIds.filter((id) => dead.includes(id))
    if (chosen.length === 0) return 0
    const entry: QueueEntry = { kind: 'replay', at: this.#now(), taskIds: chosen }
    this.#state.apply(entry)
    await this.#append(entry)
    this.#changed()
    return chosen.length
  }

  deadLetters(limit: number): TaskRecord[] {
    this.#serving()
    return this.#state.deadLetters(limit)
  }

  stats(): QueueStats & { connected: number } {
    this.#serving()
    return { ...this.#state.stats(this.#now()), connected: this.#roster.size }
  }

  /** Stop serving: every waiting slot is answered with an error, the timer ends. */
  close(
    reason: Error = new NotReadyError(`this member is no longer the home of queue ${this.name}`),
  ): void {
    this.#failure ??= reason
    clearTimeout(this.#timer)
    this.#timer = undefined
    for (const takes of this.#takes.values()) for (const take of [...takes]) take.reject(reason)
    this.#takes.clear()
  }

  #serving(): void {
    if (this.#failure !== undefined) throw this.#failure
  }

  #append(entry: QueueEntry, data = encodeEntry(entry)): Promise<number> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure)
    this.#count(entry)
    const written = this.#init.log.append(data)
    written.catch((err: unknown) => this.#fail(err as Error))
    this.#sinceSnapshot++
    if (this.#sinceSnapshot >= (this.#init.snapshotEvery ?? 1_000)) this.#snapshot()
    return written
  }

  #count(entry: QueueEntry): void {
    const counters = this.#init.counters
    if (counters === undefined) return
    if (entry.kind === 'enqueue') counters.tasksEnqueued++
    else if (entry.kind === 'lease') counters.tasksLeased++
    else if (entry.kind === 'ack') counters.tasksAcked++
    else if (entry.kind === 'nack') counters.tasksNacked++
    else if (entry.kind === 'expire') counters.leasesExpired++
  }

  #snapshot(): void {
    this.#sinceSnapshot = 0
    const entry: QueueEntry = { kind: 'snapshot', at: this.#now(), state: this.#state.snapshot() }
    const data = encodeEntry(entry)
    if (data.byteLength > (this.#init.maxEntryBytes ?? 1024 * 1024)) return
    const written = this.#init.log.append(data)
    written.then(
      (seq) => this.#init.log.retainFrom?.(seq),
      (err: unknown) => this.#fail(err as Error),
    )
  }

  #fail(err: Error): void {
    if (this.#failure !== undefined) return
    this.#init.logger.warn(
      { queue: this.name, err: err.message },
      'queue home stops: append failed',
    )
    this.close(new NotReadyError(`queue ${this.name} lost its home (${err.message}); retry`))
    this.#init.failed?.(err)
  }

  /** Something changed: lease what can be leased, expire what is due, wake up when next due. */
  #changed(): void {
    if (this.#failure !== undefined) return
    const now = this.#now()
    for (const expired of this.#state.expiredLeases(now)) {
      this.#state.apply(expired)
      void this.#append(expired).catch(() => {})
    }
    this.#pump()
    this.#schedule()
  }

  #pump(): void {
    if (this.#failure !== undefined) return
    const waiting = (worker: string) => (this.#takes.get(worker)?.length ?? 0) > 0
    dispatch(this.#state, this.#roster, this.#now(), waiting, (lease) => this.#hand(lease))
    this.#schedule()
  }

  /** Hands a lease to the slot that asked, once its entry is on a write quorum. */
  #hand(lease: LeaseEntry): void {
    const take = this.#takes.get(lease.worker)?.shift()
    const task = this.#state.task(lease.taskId)
    const written = this.#append(lease)
    if (take === undefined || task === undefined) return
    take.claimed = true
    const assignment: Assignment = {
      taskId: lease.taskId,
      token: lease.token,
      deadline: lease.deadline,
      payload: task.payload,
      attempts: task.attempts,
      priority: task.priority,
      enqueuedAt: task.enqueuedAt,
    }
    written.then(
      () => take.resolve(assignment),
      (err: unknown) => take.reject(err as Error),
    )
  }

  #schedule(): void {
    const due = this.#state.nextDueAt()
    if (due === this.#dueAt && this.#timer !== undefined) return
    clearTimeout(this.#timer)
    this.#timer = undefined
    this.#dueAt = due
    if (due === undefined || this.#failure !== undefined) return
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined
        this.#changed()
      },
      Math.max(0, due - this.#now()),
    )
    this.#timer.unref?.()
  }
}
