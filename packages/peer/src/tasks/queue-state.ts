import { FencedError, LockNotHeldError, PeerBusyError } from '../errors.js'
import {
  DEFAULT_QUEUE_SETTINGS,
  type EnqueueEntry,
  type ExpireEntry,
  type LeaseEntry,
  type QueueEntry,
  type QueueSettings,
  type QueueSnapshot,
  type ReplayEntry,
  type TaskId,
  type TaskRecord,
} from './queue-entries.js'
import type { EnqueueOptions, QueueLimits } from './queue-limits.js'
import { type QueueStats, queueStats } from './queue-stats.js'
import { TaskIndex } from './task-index.js'

/** What applying an entry did: `taskId` names the task an enqueue added. */
export interface Applied {
  readonly applied: boolean
  readonly taskId?: TaskId
}

/**
 * A queue's state: the entries of its log applied in order. `apply` never reads a clock
 * and ignores an entry that does not fit the state (a stale token, a task already
 * gone), so replaying the same entries gives the same state on any member. The
 * `propose…` and `check…` methods are the home's side: they refuse bad commands with a
 * clear error before anything is written, and build the entry to append.
 *
 * Ready tasks come out by priority (higher first), then by order of arrival; a task
 * offered again (nack, expiry, replay) keeps its place of arrival.
 */
export class QueueState {
  private settingsNow: QueueSettings = DEFAULT_QUEUE_SETTINGS
  private nextTaskId: TaskId = 1
  private lastToken = 0
  private enqueued = 0
  private acked = 0
  /** Every task still held, in order of arrival (Map keeps insertion order). */
  private readonly tasks = new Map<TaskId, TaskRecord>()
  private readonly liveDedupeIds = new Map<string, TaskId>()
  private readonly recentDedupeIds = new Map<string, TaskId>()
  private readonly deadIds = new Set<TaskId>()
  private readonly doneByWorker = new Map<string, number>()
  private readonly inFlightByWorker = new Map<string, number>()
  private readonly index = new TaskIndex((id) => this.tasks.get(id))

  constructor(private readonly limits: QueueLimits) {}

  get settings(): QueueSettings {
    return this.settingsNow
  }

  get size(): number {
    return this.tasks.size
  }

  task(id: TaskId): Readonly<TaskRecord> | undefined {
    return this.tasks.get(id)
  }

  inFlight(worker: string): number {
    return this.inFlightByWorker.get(worker) ?? 0
  }

  apply(entry: QueueEntry): Applied {
    switch (entry.kind) {
      case 'enqueue':
        return this.applyEnqueue(entry)
      case 'lease': {
        const task = this.tasks.get(entry.taskId)
        if (task?.status !== 'waiting' || entry.token <= this.lastToken) return NOT_APPLIED
        this.lastToken = entry.token
        task.status = 'leased'
        task.attempts += 1
        task.lease = { worker: entry.worker, token: entry.token, deadline: entry.deadline }
        this.countInFlight(entry.worker, 1)
        this.index.leased(task.id, entry.token, entry.deadline)
        return APPLIED
      }
      case 'ack': {
        const task = this.leasedWith(entry.taskId, entry.token)
        if (task?.lease === undefined) return NOT_APPLIED
        const worker = task.lease.worker
        this.release(task)
        this.tasks.delete(task.id)
        this.index.forget(task.id)
        this.acked += 1
        const done = (this.doneByWorker.get(worker) ?? 0) + 1
        // re-inserted so the map's order is by latest ack: the least recent go first
        this.doneByWorker.delete(worker)
        this.doneByWorker.set(worker, done)
        trimOldest(this.doneByWorker, this.limits.rememberedWorkers)
        if (task.dedupeId !== undefined) {
          this.liveDedupeIds.delete(task.dedupeId)
          this.recentDedupeIds.set(task.dedupeId, task.id)
          trimOldest(this.recentDedupeIds, this.limits.rememberedDedupeIds)
        }
        return APPLIED
      }
      case 'nack':
      case 'expire': {
        const task = this.leasedWith(entry.taskId, entry.token)
        if (task === undefined) return NOT_APPLIED
        this.release(task)
        task.lastError = entry.kind === 'nack' ? entry.reason : 'lease expired'
        if (task.attempts >= this.settingsNow.maxAttempts) this.bury(task)
        else this.offer(task, entry.kind === 'nack' ? entry.at + this.backoff(task) : entry.at)
        return APPLIED
      }
      case 'extend': {
        const task = this.leasedWith(entry.taskId, entry.token)
        if (task?.lease === undefined || entry.deadline <= task.lease.deadline) return NOT_APPLIED
        task.lease = { ...task.lease, deadline: entry.deadline }
        this.index.leased(task.id, entry.token, entry.deadline)
        return APPLIED
      }
      case 'replay':
        return this.applyReplay(entry)
      case 'configure':
        this.settingsNow = entry.settings
        return APPLIED
      case 'snapshot':
        this.restore(entry.state)
        return APPLIED
    }
  }

  // The home's side: check a command, build the entry to append.

  /** An enqueue entry, or the task an earlier enqueue with the same dedupe id added. */
  proposeEnqueue(
    payload: Uint8Array,
    options: EnqueueOptions,
    now: number,
  ): { entry: EnqueueEntry } | { duplicateOf: TaskId } {
    if (options.dedupeId !== undefined) {
      const known =
        this.liveDedupeIds.get(options.dedupeId) ?? this.recentDedupeIds.get(options.dedupeId)
      if (known !== undefined) return { duplicateOf: known }
    }
    if (this.tasks.size >= this.limits.maxTasks) {
      throw new PeerBusyError(`the queue holds ${this.tasks.size} tasks, its limit`)
    }
    const entry: EnqueueEntry = {
      kind: 'enqueue',
      at: now,
      payload,
      priority: options.priority ?? 0,
      notBefore: now + (options.delayMs ?? 0),
      ...(options.dedupeId === undefined ? {} : { dedupeId: options.dedupeId }),
    }
    return { entry }
  }

  /** True when a task can be leased at `now`. */
  hasReady(now: number): boolean {
    return this.index.firstReady(now) !== undefined
  }

  /** A lease of the first ready task to `worker`, or undefined when none is ready. */
  proposeLease(worker: string, now: number): LeaseEntry | undefined {
    const taskId = this.index.firstReady(now)
    if (taskId === undefined) return undefined
    const deadline = now + this.settingsNow.leaseMs
    const token = this.lastToken + 1
    return { kind: 'lease', at: now, taskId, worker, token, deadline }
  }

  /**
   * Refuses an ack or nack of a task `worker` does not hold under `token`: a clear error,
   * nothing written. A token below the task's current lease is a stale lease (FENCED).
   */
  checkHolder(taskId: TaskId, token: number, worker: string): void {
    const task = this.tasks.get(taskId)
    const lease = task?.status === 'leased' ? task.lease : undefined
    if (lease !== undefined && token < lease.token) {
      throw new FencedError(
        `lease token ${token} of task ${taskId} is stale: the task was leased again with token ${lease.token}`,
      )
    }
    if (lease === undefined || lease.token !== token || lease.worker !== worker) {
      throw new LockNotHeldError(`task ${taskId} is not held by this worker under token ${token}`)
    }
  }

  /**
   * An expire entry for every lease whose deadline is at or before `now`, each given
   * once: the caller applies them (and appends them) before it asks again.
   */
  expiredLeases(now: number): ExpireEntry[] {
    return this.index
      .takeExpired(now)
      .map(({ id, token }) => ({ kind: 'expire', at: now, taskId: id, token }))
  }

  /** The next time something falls due (a delayed task, a lease deadline), if any. */
  nextDueAt(): number | undefined {
    return this.index.nextDueAt()
  }

  /** Dead letters, oldest first, at most `limit`. */
  deadLetters(limit: number): TaskRecord[] {
    const letters: TaskRecord[] = []
    for (const id of this.deadIds) {
      if (letters.length >= limit) break
      const task = this.tasks.get(id)
      if (task !== undefined) letters.push(task)
    }
    return letters
  }

  /** Tasks leased to `worker`, to hand back to it when it registers again. */
  leasesOf(worker: string): TaskRecord[] {
    return [...this.tasks.values()].filter((task) => task.lease?.worker === worker)
  }

  stats(now: number): QueueStats {
    return queueStats(this.tasks.values(), now, {
      settings: this.settingsNow,
      enqueued: this.enqueued,
      acked: this.acked,
      inFlight: this.inFlightByWorker,
      done: this.doneByWorker,
    })
  }

  snapshot(): QueueSnapshot {
    return {
      settings: this.settingsNow,
      nextTaskId: this.nextTaskId,
      lastToken: this.lastToken,
      enqueued: this.enqueued,
      acked: this.acked,
      tasks: [...this.tasks.values()].map(copyTask),
      deadIds: [...this.deadIds],
      recentDedupeIds: [...this.recentDedupeIds],
      doneByWorker: [...this.doneByWorker],
    }
  }

  private applyEnqueue(entry: EnqueueEntry): Applied {
    if (entry.dedupeId !== undefined && this.liveDedupeIds.has(entry.dedupeId)) {
      return NOT_APPLIED
    }
    const id = this.nextTaskId
    this.nextTaskId += 1
    this.enqueued += 1
    const task: TaskRecord = {
      id,
      payload: entry.payload,
      priority: entry.priority,
      enqueuedAt: entry.at,
      status: 'waiting',
      notBefore: entry.notBefore,
      attempts: 0,
      ...(entry.dedupeId === undefined ? {} : { dedupeId: entry.dedupeId }),
    }
    this.tasks.set(id, task)
    if (entry.dedupeId !== undefined) this.liveDedupeIds.set(entry.dedupeId, id)
    this.index.offer(task)
    return { applied: true, taskId: id }
  }

  private applyReplay(entry: ReplayEntry): Applied {
    const ids = entry.taskIds.length === 0 ? [...this.deadIds] : entry.taskIds
    let applied = false
    for (const id of ids) {
      const task = this.tasks.get(id)
      if (task?.status !== 'dead') continue
      this.deadIds.delete(id)
      task.attempts = 0
      this.offer(task, entry.at)
      applied = true
    }
    return applied ? APPLIED : NOT_APPLIED
  }

  private leasedWith(taskId: TaskId, token: number): TaskRecord | undefined {
    const task = this.tasks.get(taskId)
    return task?.status === 'leased' && task.lease?.token === token ? task : undefined
  }

  private release(task: TaskRecord): void {
    if (task.lease !== undefined) this.countInFlight(task.lease.worker, -1)
    delete task.lease
  }

  private offer(task: TaskRecord, notBefore: number): void {
    task.status = 'waiting'
    task.notBefore = notBefore
    this.index.offer(task)
  }

  private bury(task: TaskRecord): void {
    task.status = 'dead'
    this.deadIds.add(task.id)
    if (this.deadIds.size <= this.limits.maxDeadLetters) return
    const [oldest] = this.deadIds
    if (oldest === undefined) return
    this.deadIds.delete(oldest)
    const dropped = this.tasks.get(oldest)
    this.tasks.delete(oldest)
    this.index.forget(oldest)
    if (dropped?.dedupeId !== undefined) this.liveDedupeIds.delete(dropped.dedupeId)
  }

  private backoff(task: TaskRecord): number {
    const { backoffMs, maxBackoffMs } = this.settingsNow
    return Math.min(maxBackoffMs, backoffMs * 2 ** Math.min(30, Math.max(0, task.attempts - 1)))
  }

  private countInFlight(worker: string, change: number): void {
    const count = (this.inFlightByWorker.get(worker) ?? 0) + change
    if (count <= 0) this.inFlightByWorker.delete(worker)
    else this.inFlightByWorker.set(worker, count)
  }

  private restore(snapshot: QueueSnapshot): void {
    for (const map of [this.tasks, this.liveDedupeIds, this.recentDedupeIds]) {
      map.clear()
    }
    this.deadIds.clear()
    this.doneByWorker.clear()
    this.inFlightByWorker.clear()
    this.index.clear()
    this.settingsNow = snapshot.settings
    this.nextTaskId = snapshot.nextTaskId
    this.lastToken = snapshot.lastToken
    this.enqueued = snapshot.enqueued
    this.acked = snapshot.acked
    for (const [id, taskId] of snapshot.recentDedupeIds) this.recentDedupeIds.set(id, taskId)
    for (const [worker, done] of snapshot.doneByWorker) this.doneByWorker.set(worker, done)
    for (const id of snapshot.deadIds) this.deadIds.add(id)
    for (const saved of snapshot.tasks) {
      const task = copyTask(saved)
      this.tasks.set(task.id, task)
      if (task.dedupeId !== undefined) this.liveDedupeIds.set(task.dedupeId, task.id)
      if (task.status === 'waiting') this.index.offer(task)
      if (task.status === 'leased' && task.lease !== undefined) {
        this.countInFlight(task.lease.worker, 1)
        this.index.leased(task.id, task.lease.token, task.lease.deadline)
      }
    }
  }
}

const APPLIED: Applied = Object.freeze({ applied: true })
const NOT_APPLIED: Applied = Object.freeze({ applied: false })

function copyTask(task: TaskRecord): TaskRecord {
  return { ...task, ...(task.lease === undefined ? {} : { lease: { ...task.lease } }) }
}

function trimOldest<K, V>(map: Map<K, V>, limit: number): void {
  while (map.size > limit) {
    const [oldest] = map.keys()
    if (oldest === undefined) return
    map.delete(oldest)
  }
}
