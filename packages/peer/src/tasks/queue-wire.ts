import type {
  QueueOp,
  QueueResult,
  QueueTask,
  WireQueueSettings,
  WireQueueStats,
} from '@ringdht/protocol'
import type { DispatchPolicyName, QueueSettings, TaskRecord } from './queue-entries.js'
import type { Assignment } from './queue-home.js'
import type { QueueStats } from './queue-stats.js'

/** Conversions between the queue's own types and its wire messages (QueueOp, QueueResult). */

/** QueueOp.admin: what a QUEUE_ADMIN request asks. */
export const QUEUE_ADMIN = { configure: 1, deadLetters: 2, replay: 3 } as const

/** A QueueOp with every field at its proto3 default but those given. */
export function queueOp(fields: Partial<QueueOp> & Pick<QueueOp, 'queue'>): QueueOp {
  return {
    payload: new Uint8Array(),
    delayMs: 0n,
    priority: 0,
    worker: '',
    concurrency: 0,
    capacity: 0,
    waitMs: 0,
    taskId: 0n,
    token: 0n,
    ack: false,
    reason: '',
    admin: 0,
    taskIds: [],
    limit: 0,
    extend: false,
    takeNext: false,
    items: [],
    ...fields,
  }
}

export function settingsToWire(settings: QueueSettings): WireQueueSettings {
  return {
    policy: settings.policy,
    maxAttempts: settings.maxAttempts,
    leaseMs: BigInt(settings.leaseMs),
    backoffMs: BigInt(settings.backoffMs),
    maxBackoffMs: BigInt(settings.maxBackoffMs),
  }
}

/** Wire settings over `current`: a field left at 0 (or an empty policy) keeps its value. */
export function settingsFromWire(
  wire: WireQueueSettings | undefined,
  current: QueueSettings,
): QueueSettings {
  if (wire === undefined) return current
  return {
    policy: wire.policy === '' ? current.policy : (wire.policy as DispatchPolicyName),
    maxAttempts: wire.maxAttempts || current.maxAttempts,
    leaseMs: Number(wire.leaseMs) || current.leaseMs,
    backoffMs: Number(wire.backoffMs) || current.backoffMs,
    maxBackoffMs: Number(wire.maxBackoffMs) || current.maxBackoffMs,
  }
}

export function assignmentToWire(task: Assignment): QueueTask {
  return {
    taskId: BigInt(task.taskId),
    payload: task.payload as Uint8Array<ArrayBuffer>,
    priority: task.priority,
    enqueuedAt: BigInt(task.enqueuedAt),
    attempts: task.attempts,
    token: BigInt(task.token),
    deadline: BigInt(task.deadline),
    error: '',
  }
}

export function assignmentFromWire(task: QueueTask): Assignment {
  return {
    taskId: Number(task.taskId),
    token: Number(task.token),
    deadline: Number(task.deadline),
    payload: task.payload,
    attempts: task.attempts,
    priority: task.priority,
    enqueuedAt: Number(task.enqueuedAt),
  }
}

/** A dead letter as a reader sees it. */
export interface DeadLetter {
  readonly taskId: number
  readonly payload: Uint8Array
  readonly priority: number
  readonly enqueuedAt: number
  readonly attempts: number
  readonly error: string
}

export function deadLetterToWire(task: TaskRecord): QueueTask {
  return {
    taskId: BigInt(task.id),
    payload: task.payload as Uint8Array<ArrayBuffer>,
    priority: task.priority,
    enqueuedAt: BigInt(task.enqueuedAt),
    attempts: task.attempts,
    token: 0n,
    deadline: 0n,
    error: task.lastError ?? '',
  }
}

export function deadLetterFromWire(task: QueueTask): DeadLetter {
  return {
    taskId: Number(task.taskId),
    payload: task.payload,
    priority: task.priority,
    enqueuedAt: Number(task.enqueuedAt),
    attempts: task.attempts,
    error: task.error,
  }
}

/** `queue stats`: the counts, and how many workers are registered with the home now. */
export interface QueueStatsView extends QueueStats {
  readonly connected: number
}

export function statsToWire(stats: QueueStatsView): WireQueueStats {
  return {
    queue: '',
    settings: settingsToWire(stats.settings),
    ready: BigInt(stats.ready),
    delayed: BigInt(stats.delayed),
    leased: BigInt(stats.leased),
    dead: BigInt(stats.dead),
    enqueued: BigInt(stats.enqueued),
    acked: BigInt(stats.acked),
    workers: stats.workers.map((worker) => ({
      worker: worker.worker,
      inFlight: worker.inFlight,
      done: BigInt(worker.done),
    })),
    connected: stats.connected,
  }
}

export function statsFromWire(wire: WireQueueStats, defaults: QueueSettings): QueueStatsView {
  return {
    settings: settingsFromWire(wire.settings, defaults),
    ready: Number(wire.ready),
    delayed: Number(wire.delayed),
    leased: Number(wire.leased),
    dead: Number(wire.dead),
    enqueued: Number(wire.enqueued),
    acked: Number(wire.acked),
    workers: wire.workers.map((worker) => ({
      worker: worker.worker,
      inFlight: worker.inFlight,
      done: Number(worker.done),
    })),
    connected: wire.connected,
  }
}

/** A QueueResult with every field at its default but those given. */
export function queueResult(fields: Partial<QueueResult>): QueueResult {
  return { taskId: 0n, duplicate: false, tasks: [], replayed: 0, enqueued: [], ...fields }
}
