import {
  ErrorCode,
  MessageType,
  type PeerInfo,
  type Request,
  type Response,
} from '@ringdht/protocol'
import type { Logger } from 'pino'
import { errorFromWire, InvalidInputError, PeerUnreachableError } from '../errors.js'
import { checkWorkerSlot } from './dispatch-policy.js'
import type { Assignment } from './queue-home.js'
import { assignmentFromWire, queueOp } from './queue-wire.js'

/** A task as a worker's handler gets it. */
export interface Task extends Assignment {
  readonly queue: string
}

/** Resolves: the task is acked. Throws: it is nacked (retried after a backoff, or dead-lettered). */
export type TaskHandler = (task: Task) => Promise<void> | void

export interface WorkOptions {
  /** Tasks run at once; the home never leases this worker more. Default 1. */
  concurrency?: number
  /** Relative speed for the least-loaded policy. Default: `concurrency`. */
  capacity?: number
  /** Unique among this peer's workers of the queue. Default: a random one. */
  name?: string
  /** How long one TAKE may wait at the home for a task, ms. Default 20000. */
  takeWaitMs?: number
  /** Extend a task's lease while its handler runs, so a long task is not run twice. Default true. */
  extendLeases?: boolean
}

/** A request/response channel to the queue's home on the tasks protocol. */
export interface WorkerChannel {
  request(
    request: Partial<Request>,
    options: { signal?: AbortSignal; timeoutMs: number },
  ): Promise<Response>
  close(): void
}

/** How a worker reaches its queue's home: find it (it moves), open a channel to it. */
export interface WorkerTransport {
  /** The home of `queue` now (a QUEUE_STATS request routed to it). */
  locate(queue: string, signal: AbortSignal): Promise<PeerInfo>
  connect(home: PeerInfo): WorkerChannel
  readonly requestTimeoutMs: number
  readonly logger: Logger
}

const MAX_BACKOFF_MS = 2_000
/** Answers that mean the task is not this worker's any more: settling it again cannot help. */
const FINAL = new Set<number>([ErrorCode.LOCK_NOT_HELD, ErrorCode.FENCED, ErrorCode.INVALID_INPUT])

interface Session {
  readonly channel: WorkerChannel
  alive: boolean
}

/**
 * A worker of one queue: it finds the queue's home, JOINs it on the tasks protocol and
 * keeps one TAKE waiting per free slot, so the home pushes a task as soon as there is
 * one and never more than the worker can run (back-pressure). Each task is acked or
 * nacked under its lease token. When the home moves (failover, ring change) or the
 * connection drops, it finds the new home and joins again under the same id; tasks it
 * was running are settled there, and the new home, having replayed the log, knows their
 * leases.
 */
export class QueueWorker {
  readonly queue: string
  readonly name: string
  /** Resolves once the worker has joined the queue's home the first time. */
  readonly ready: Promise<void>
  #done = 0
  #failed = 0
  #lost = 0
  #joins = 0
  readonly #transport: WorkerTransport
  readonly #handler: TaskHandler
  readonly #concurrency: number
  readonly #capacity: number
  readonly #takeWaitMs: number
  readonly #extendLeases: boolean
  readonly #stopping = new AbortController()
  #closed = false
  #session: Session | undefined
  #connecting: Promise<Session> | undefined
  #slots: Promise<void>[] = []
  #joined: () => void = () => {}

  readonly #stopped: () => void

  constructor(
    queue: string,
    handler: TaskHandler,
    transport: WorkerTransport,
    options: WorkOptions,
    stopped: () => void = () => {},
  ) {
    this.#stopped = stopped
    this.queue = queue
    this.#handler = handler
    this.#transport = transport
    this.#concurrency = options.concurrency ?? 1
    this.#capacity = options.capacity ?? this.#concurrency
    this.name = options.name ?? Math.random().toString(36).slice(2, 12)
    this.#takeWaitMs = options.takeWaitMs ?? 20_000
    this.#extendLeases = options.extendLeases ?? true
    checkWorkerSlot({ id: this.name, concurrency: this.#concurrency, capacity: this.#capacity })
    if (this.name.length === 0 || this.name.length > 64) {
      throw new InvalidInputError('a worker name is 1 to 64 characters')
    }
    this.ready = new Promise((resolve) => {
      this.#joined = resolve
    })
    this.#slots = Array.from({ length: this.#concurrency }, () => this.#slot())
  }

  /** Tasks acked, nacked, and settled too late (the lease had moved on), and joins so far. */
  get counts(): { done: number; failed: number; lost: number; joins: number } {
    return { done: this.#done, failed: this.#failed, lost: this.#lost, joins: this.#joins }
  }

  /** Take no more tasks, let the running ones finish and settle, then leave. */
  async stop(): Promise<void> {
    this.#stopping.abort(new Error('the worker stopped'))
    await Promise.allSettled(this.#slots)
    this.#closed = true
    const session = this.#session
    this.#session = undefined
    session?.channel.close()
    this.#stopped()
  }

  /** Stop at once (the member or client closes): running tasks are not settled; their leases expire. */
  close(): void {
    this.#stopping.abort(new Error('the worker closed'))
    this.#closed = true
    const session = this.#session
    this.#session = undefined
    session?.channel.close()
    this.#stopped()
  }

  /**
   * One slot: TAKE, run, settle. The settlement asks for the slot's next task as well
   * (take_next): the home frees the slot when it applies the ack and leases the next task
   * in the same log batch, so a busy slot's turn is one request and one replication round;
   * a TAKE is sent only when none was ready. A task leased just as the worker stops is
   * still run and settled.
   */
  async #slot(): Promise<void> {
    const stopping = this.#stopping.signal
    let next: Assignment | undefined
    while (!this.#closed && (!stopping.aborted || next !== undefined)) {
      const task = next ?? (await this.#take())
      next = task === undefined ? undefined : await this.#run(task)
    }
  }

  /** One TAKE on the live session: a task leased to this slot, or undefined (none, or retry). */
  async #take(): Promise<Assignment | undefined> {
    const stopping = this.#stopping.signal
    const session = await this.#live()
    if (session === undefined) return undefined
    let response: Response
    try {
      response = await session.channel.request(
        {
          type: MessageType.QUEUE_TAKE,
          queueOp: queueOp({ queue: this.queue, waitMs: this.#takeWaitMs }),
        },
        { signal: stopping, timeoutMs: this.#takeWaitMs + this.#transport.requestTimeoutMs },
      )
    } catch (err) {
      if (!stopping.aborted) this.#broken(session, err)
      return undefined
    }
    if (response.error !== 0) {
      this.#broken(session, errorFromWire(response.error, response.message))
      return undefined
    }
    const task = response.queueResult?.task
    return task === undefined ? undefined : assignmentFromWire(task)
  }

  /** Runs the handler and settles the task; resolves with the slot's next task, if leased. */
  async #run(assignment: Assignment): Promise<Assignment | undefined> {
    let reason: string | undefined
    const lease = { deadline: assignment.deadline }
    const stopKeeping = this.#extendLeases ? this.#keepLease(assignment, lease) : () => {}
    try {
      await this.#handler({ ...assignment, queue: this.queue })
    } catch (err) {
      reason = err instanceof Error ? err.message : String(err)
    } finally {
      stopKeeping()
    }
    return this.#settle({ ...assignment, deadline: lease.deadline }, reason)
  }

  /**
   * While the handler runs, extend the task's lease every third of it, so a long task
   * is not offered to another worker meanwhile. The period is measured on this clock
   * from the home's deadline, kept within [100 ms, 10 s] against a skew between them.
   */
  #keepLease(task: Assignment, lease: { deadline: number }): () => void {
    let timer: NodeJS.Timeout | undefined
    let kept = true
    const period = Math.min(10_000, Math.max(100, (task.deadline - Date.now()) / 3))
    const beat = async () => {
      const session = this.#session
      if (session?.alive) {
        const op = queueOp({
          queue: this.queue,
          taskId: BigInt(task.taskId),
          token: BigInt(task.token),
          extend: true,
        })
        try {
          const response = await session.channel.request(
            { type: MessageType.QUEUE_SETTLE, queueOp: op },
            { timeoutMs: this.#transport.requestTimeoutMs },
          )
          const deadline = response.queueResult?.task?.deadline
          if (response.error === 0 && deadline !== undefined) lease.deadline = Number(deadline)
        } catch {
          // the session is broken: the slot loops notice; the next beat tries the next home
        }
      }
      if (kept && !this.#closed) timer = setTimeout(() => void beat(), period).unref()
    }
    timer = setTimeout(() => void beat(), period).unref()
    return () => {
      kept = false
      clearTimeout(timer)
    }
  }

  /**
   * Ack (no reason) or nack the task, through whichever home serves the queue by then;
   * unless the worker is stopping, ask for the slot's next task too (resolves with it).
   */
  async #settle(task: Assignment, reason: string | undefined): Promise<Assignment | undefined> {
    const ack = reason === undefined
    // past its deadline the lease is gone: the home has offered the task again
    const settleBy = task.deadline + this.#transport.requestTimeoutMs
    for (;;) {
      const session = await this.#live(settleBy)
      if (session === undefined) {
        this.#lost++
        return undefined
      }
      const op = queueOp({
        queue: this.queue,
        taskId: BigInt(task.taskId),
        token: BigInt(task.token),
        ack,
        reason: reason ?? '',
        takeNext: !this.#stopping.signal.aborted,
      })
      try {
        const response = await session.channel.request(
          { type: MessageType.QUEUE_SETTLE, queueOp: op },
          { timeoutMs: this.#transport.requestTimeoutMs },
        )
        if (response.error === 0) {
          if (ack) this.#done++
          else this.#failed++
          const next = response.queueResult?.task
          return next === undefined ? undefined : assignmentFromWire(next)
        }
        if (FINAL.has(response.error)) {
          this.#lost++
          this.#transport.logger.debug(
            { queue: this.queue, task: task.taskId, message: response.message },
            'settle refused',
          )
          return undefined
        }
        this.#broken(session, errorFromWire(response.error, response.message))
      } catch (err) {
        this.#broken(session, err)
      }
    }
  }

  /**
   * The session to the home, connecting (with backoff) when there is none; undefined once
   * the worker stops (for a TAKE) or, for a settlement, once `settleBy` has passed.
   */
  async #live(settleBy?: number): Promise<Session | undefined> {
    const wanted = () =>
      settleBy === undefined ? !this.#stopping.signal.aborted : Date.now() < settleBy
    for (let attempt = 0; !this.#closed && wanted(); attempt++) {
      if (this.#session?.alive) return this.#session
      this.#connecting ??= this.#connect().finally(() => {
        this.#connecting = undefined
      })
      try {
        return await this.#connecting
      } catch (err) {
        this.#transport.logger.debug(
          { queue: this.queue, err: (err as Error).message },
          'worker cannot join',
        )
        const pause = Math.min(MAX_BACKOFF_MS, 50 * 2 ** attempt) * (0.5 + Math.random() / 2)
        await new Promise((resolve) => setTimeout(resolve, pause))
      }
    }
    return undefined
  }

  async #connect(): Promise<Session> {
    const { requestTimeoutMs } = this.#transport
    const home = await this.#transport.locate(this.queue, AbortSignal.timeout(requestTimeoutMs))
    const channel = this.#transport.connect(home)
    const session: Session = { channel, alive: true }
    try {
      const op = queueOp({
        queue: this.queue,
        worker: this.name,
        concurrency: this.#concurrency,
        capacity: this.#capacity,
      })
      const response = await channel.request(
        { type: MessageType.QUEUE_JOIN, queueOp: op },
        { timeoutMs: requestTimeoutMs },
      )
      if (response.error !== 0) throw errorFromWire(response.error, response.message)
    } catch (err) {
      channel.close()
      throw err
    }
    if (this.#closed) {
      channel.close()
      throw new PeerUnreachableError('the worker stopped')
    }
    this.#session = session
    this.#joins++
    this.#joined()
    return session
  }

  #broken(session: Session, err: unknown): void {
    if (!session.alive) return
    session.alive = false
    session.channel.close()
    if (this.#session === session) this.#session = undefined
    this.#transport.logger.debug(
      { queue: this.queue, err: (err as Error)?.message },
      'worker session ended',
    )
  }
}
