/**
 * The entries of a queue's log. A queue's replicated state is nothing but these entries
 * applied in log order (queue-state.ts): the home proposes an entry, appends it to the
 * queue's home log, and every later home rebuilds the same state by replaying them.
 * Entries carry every time they depend on (`at`, deadlines), stamped by the home that
 * wrote them, so applying them never reads a clock and replay is deterministic.
 */

export type DispatchPolicyName = 'round-robin' | 'least-loaded'

export const DISPATCH_POLICIES: readonly DispatchPolicyName[] = ['round-robin', 'least-loaded']

/** How a queue hands out and retries its tasks; set per queue by a `configure` entry. */
export interface QueueSettings {
  readonly policy: DispatchPolicyName
  /** Leases a task may be given; the lease after the last failed one is not granted: the task is dead-lettered. */
  readonly maxAttempts: number
  /** How long a worker holds a task before it is assigned again, ms. */
  readonly leaseMs: number
  /** Pause before a nacked task is offered again: backoffMs × 2^(attempts-1), at most maxBackoffMs. */
  readonly backoffMs: number
  readonly maxBackoffMs: number
}

export const DEFAULT_QUEUE_SETTINGS: QueueSettings = Object.freeze({
  policy: 'round-robin',
  maxAttempts: 5,
  leaseMs: 30_000,
  backoffMs: 1_000,
  maxBackoffMs: 60_000,
})

/** A task's place in its queue: the order of arrival (1, 2, …), never reused. */
export type TaskId = number

export interface EnqueueEntry {
  readonly kind: 'enqueue'
  readonly at: number
  readonly payload: Uint8Array
  readonly priority: number
  /** Not offered before this time (enqueue's delayMs added to `at`). */
  readonly notBefore: number
  readonly dedupeId?: string
}

/** A lease: `worker` holds `taskId` until `deadline`, fenced by `token`. */
export interface LeaseEntry {
  readonly kind: 'lease'
  readonly at: number
  readonly taskId: TaskId
  readonly worker: string
  /** Above every token granted before in this queue. */
  readonly token: number
  readonly deadline: number
}

export interface AckEntry {
  readonly kind: 'ack'
  readonly at: number
  readonly taskId: TaskId
  readonly token: number
}

/** The worker failed the task; it is offered again after a backoff, or dead-lettered. */
export interface NackEntry {
  readonly kind: 'nack'
  readonly at: number
  readonly taskId: TaskId
  readonly token: number
  readonly reason: string
}

/** The worker still runs the task: its lease lasts until `deadline` now. */
export interface ExtendEntry {
  readonly kind: 'extend'
  readonly at: number
  readonly taskId: TaskId
  readonly token: number
  readonly deadline: number
}

/** The lease's deadline passed without an ack or a nack. */
export interface ExpireEntry {
  readonly kind: 'expire'
  readonly at: number
  readonly taskId: TaskId
  readonly token: number
}

/** Dead letters offered again with their attempts reset (all of them when taskIds is empty). */
export interface ReplayEntry {
  readonly kind: 'replay'
  readonly at: number
  readonly taskIds: readonly TaskId[]
}

export interface ConfigureEntry {
  readonly kind: 'configure'
  readonly at: number
  readonly settings: QueueSettings
}

/** The whole state at this point of the log, so replay can start here. */
export interface SnapshotEntry {
  readonly kind: 'snapshot'
  readonly at: number
  readonly state: QueueSnapshot
}

export type QueueEntry =
  | EnqueueEntry
  | LeaseEntry
  | AckEntry
  | NackEntry
  | ExtendEntry
  | ExpireEntry
  | ReplayEntry
  | ConfigureEntry
  | SnapshotEntry

export type TaskStatus = 'waiting' | 'leased' | 'dead'

export interface TaskLease {
  readonly worker: string
  readonly token: number
  readonly deadline: number
}

export interface TaskRecord {
  readonly id: TaskId
  readonly payload: Uint8Array
  readonly priority: number
  readonly enqueuedAt: number
  readonly dedupeId?: string
  status: TaskStatus
  notBefore: number
  /** Leases granted so far (since the last replay from the dead letters). */
  attempts: number
  lease?: TaskLease
  /** Why the last attempt failed: a nack's reason or 'lease expired'. */
  lastError?: string
}

/** Everything a replay needs to continue from a snapshot entry. */
export interface QueueSnapshot {
  readonly settings: QueueSettings
  readonly nextTaskId: TaskId
  readonly lastToken: number
  readonly enqueued: number
  readonly acked: number
  readonly tasks: readonly TaskRecord[]
  /** Dead letters in the order they died (the oldest is dropped first). */
  readonly deadIds: readonly TaskId[]
  /** Dedupe ids of acked tasks still remembered, oldest first. */
  readonly recentDedupeIds: readonly (readonly [string, TaskId])[]
  /** Tasks each worker has acked, oldest worker first. */
  readonly doneByWorker: readonly (readonly [string, number])[]
}

/** A task leased to a worker, as the worker receives it. */
export interface Assignment {
  readonly taskId: TaskId
  readonly token: number
  readonly deadline: number
  readonly payload: Uint8Array
  readonly attempts: number
  readonly priority: number
  readonly enqueuedAt: number
}
