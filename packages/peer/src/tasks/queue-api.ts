import { MessageType, type QueueOp, type QueueResult } from '@ringdht/protocol'
import { PeerUnreachableError } from '../errors.js'
import { EnqueueBatcher } from './enqueue-batcher.js'
import { DEFAULT_QUEUE_SETTINGS, type QueueSettings, type TaskId } from './queue-entries.js'
import {
  checkEnqueue,
  checkQueueName,
  checkSettings,
  DEFAULT_QUEUE_LIMITS,
  type EnqueueOptions,
} from './queue-limits.js'
import {
  type DeadLetter,
  deadLetterFromWire,
  QUEUE_ADMIN,
  type QueueStatsView,
  queueOp,
  settingsToWire,
  statsFromWire,
} from './queue-wire.js'
import {
  QueueWorker,
  type TaskHandler,
  type WorkerTransport,
  type WorkOptions,
} from './queue-worker.js'

/** Sends a queue request routed to the queue's home; throws the home's error as its class. */
export type QueueCall = (
  type: MessageType,
  op: QueueOp,
  signal: AbortSignal | undefined,
) => Promise<QueueResult>

export interface EnqueueResult {
  /** The task's place in the queue (its order of arrival). */
  readonly taskId: TaskId
  /** An earlier enqueue with the same dedupe id added it. */
  readonly duplicate: boolean
}

export interface QueueStatsWithHome extends QueueStatsView {
  /** The peer id of the member serving the queue. */
  readonly home: string
}

type WithSignal = { signal?: AbortSignal }

/**
 * Work queues as a member or a client uses them: enqueue, work, stats, settings and dead
 * letters. Input is checked here with the default limits, and again at the home with
 * its own.
 */
export class Queues {
  readonly #call: QueueCall
  readonly #transport: WorkerTransport
  readonly #workers = new Set<QueueWorker>()
  readonly #batcher: EnqueueBatcher

  constructor(call: QueueCall, transport: WorkerTransport) {
    this.#call = call
    this.#batcher = new EnqueueBatcher(call)
    this.#transport = transport
  }

  /**
   * Add a task; resolves once it is on a write quorum of the queue's replicas. Enqueues
   * to one queue made in the same tick travel in one request (enqueue-batcher.ts).
   */
  async enqueue(
    queue: string,
    payload: Uint8Array | string,
    options: EnqueueOptions & WithSignal = {},
  ): Promise<EnqueueResult> {
    checkQueueName(queue, DEFAULT_QUEUE_LIMITS)
    const bytes = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload
    checkEnqueue(bytes, options, DEFAULT_QUEUE_LIMITS)
    return this.#batcher.enqueue(
      queue,
      {
        payload: bytes as Uint8Array<ArrayBuffer>,
        delayMs: BigInt(options.delayMs ?? 0),
        priority: options.priority ?? 0,
        ...(options.dedupeId === undefined ? {} : { dedupeId: options.dedupeId }),
      },
      options.signal,
    )
  }

  /**
   * Work on `queue`: `handler` runs for each task assigned to this worker (at most
   * `concurrency` at once); resolving acks the task, throwing nacks it. `stop()` on the
   * returned worker lets running tasks finish and leaves.
   */
  work(queue: string, handler: TaskHandler, options: WorkOptions = {}): QueueWorker {
    checkQueueName(queue, DEFAULT_QUEUE_LIMITS)
    const worker: QueueWorker = new QueueWorker(queue, handler, this.#transport, options, () =>
      this.#workers.delete(worker),
    )
    this.#workers.add(worker)
    return worker
  }

  /** Close every worker at once (the member or client is closing). */
  close(): void {
    for (const worker of this.#workers) worker.close()
    this.#workers.clear()
  }

  async stats(queue: string, options: WithSignal = {}): Promise<QueueStatsWithHome> {
    checkQueueName(queue, DEFAULT_QUEUE_LIMITS)
    const result = await this.#call(MessageType.QUEUE_STATS, queueOp({ queue }), options.signal)
    if (result.stats === undefined) throw new PeerUnreachableError('the queue home sent no stats')
    return {
      ...statsFromWire(result.stats, DEFAULT_QUEUE_SETTINGS),
      home: result.home?.peerId ?? '',
    }
  }

  /** Change how the queue dispatches and retries (fields not given keep their value). */
  async configure(
    queue: string,
    settings: Partial<QueueSettings>,
    options: WithSignal = {},
  ): Promise<QueueStatsView> {
    checkQueueName(queue, DEFAULT_QUEUE_LIMITS)
    const current = (await this.stats(queue, options)).settings
    const next = { ...current, ...settings }
    checkSettings(next)
    const op = queueOp({ queue, admin: QUEUE_ADMIN.configure, settings: settingsToWire(next) })
    const result = await this.#call(MessageType.QUEUE_ADMIN, op, options.signal)
    if (result.stats === undefined) throw new PeerUnreachableError('the queue home sent no stats')
    return statsFromWire(result.stats, next)
  }

  /** The queue's dead letters, oldest first. */
  async deadLetters(
    queue: string,
    options: WithSignal & { limit?: number } = {},
  ): Promise<DeadLetter[]> {
    checkQueueName(queue, DEFAULT_QUEUE_LIMITS)
    const op = queueOp({ queue, admin: QUEUE_ADMIN.deadLetters, limit: options.limit ?? 100 })
    const result = await this.#call(MessageType.QUEUE_ADMIN, op, options.signal)
    return result.tasks.map(deadLetterFromWire)
  }

  /** Offer dead letters again with their attempts reset (all of them when `taskIds` is empty). */
  async replay(
    queue: string,
    taskIds: readonly TaskId[] = [],
    options: WithSignal = {},
  ): Promise<number> {
    checkQueueName(queue, DEFAULT_QUEUE_LIMITS)
    const op = queueOp({ queue, admin: QUEUE_ADMIN.replay, taskIds: taskIds.map(BigInt) })
    return (await this.#call(MessageType.QUEUE_ADMIN, op, options.signal)).replayed
  }
}
