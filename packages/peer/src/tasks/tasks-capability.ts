import {
  MessageType,
  type QueueOp,
  type QueueTask,
  type Request,
  type Response,
  TASKS_PROTOCOL,
} from '@ringdht/protocol'
import { ringIdOf } from '@ringdht/ring'
import type { Capability, CapabilityContext, CapabilityProtocol } from '../core/capability.js'
import { peerInfoOf } from '../core/ring-node.js'
import type { RequestContext } from '../core/rpc/server.js'
import type { PeerStatus, QueueHomeStatus } from '../core/status.js'
import { ForbiddenError, InvalidInputError, NotReadyError, wireCodeOf } from '../errors.js'
import { MAX_WORKER_CONCURRENCY } from './dispatch-policy.js'
import type { QueueHome } from './queue-home.js'
import {
  checkEnqueue,
  checkQueueName,
  DEFAULT_QUEUE_LIMITS,
  type EnqueueOptions,
  type QueueLimits,
} from './queue-limits.js'
import { QUEUE_SPACE, type QueueHomeLogs, QueueHomes } from './queue-logs.js'
import {
  assignmentToWire,
  deadLetterToWire,
  QUEUE_ADMIN,
  queueResult,
  settingsFromWire,
  statsToWire,
} from './queue-wire.js'

export interface TasksComponents {
  /** The home logs capability the queues keep their state in. */
  logs: QueueHomeLogs
  limits?: Partial<QueueLimits>
  /** Clients may configure queues, read and replay dead letters (members always may). Default false. */
  clientAdmin?: boolean
}

/** Longest a TAKE waits at the home before it is answered with no task, ms. */
export const MAX_TAKE_WAIT_MS = 30_000
const MAX_WORKER_NAME = 64
/** Queues listed in a member's status at most (the first by name). */
const MAX_QUEUES_IN_STATUS = 100
/** Tasks in one batched enqueue at most (the client sends at most ENQUEUE_BATCH.entries). */
export const MAX_ENQUEUE_BATCH = 256
const WORKER = 'queue-worker'

interface JoinedWorker {
  readonly id: string
  readonly queue: string
  readonly home: QueueHome
}

const utf8 = new TextEncoder()

/** The key a queue's requests carry: its home log's key, so direct routing finds the home. */
export function queueKey(queue: string): Uint8Array {
  const space = utf8.encode(QUEUE_SPACE)
  const name = utf8.encode(queue)
  const key = new Uint8Array(space.byteLength + 1 + name.byteLength)
  key.set(space, 0)
  key.set(name, space.byteLength + 1)
  return key
}

/**
 * Work queues (issue 12): a queue's home is the home of its log (space 'queue'), the
 * owner of its ring position. QUEUE_ENQUEUE, QUEUE_STATS and QUEUE_ADMIN are routed
 * there like a put; workers dial the home on TASKS_PROTOCOL and JOIN, then hold one TAKE
 * per free slot, which the home answers with a task leased to them, and SETTLE (ack or
 * nack) under the lease's token, which may ask for the slot's next task in the same
 * round trip (take_next). Any member or client may enqueue and work; a worker's
 * id is its authenticated peer id plus the name it gives, so no one settles another's
 * tasks.
 */
export class TasksCapability implements Capability {
  readonly name = 'tasks'
  readonly handles = [
    MessageType.QUEUE_ENQUEUE,
    MessageType.QUEUE_STATS,
    MessageType.QUEUE_ADMIN,
  ] as const
  readonly protocols: readonly CapabilityProtocol[]
  readonly limits: QueueLimits
  readonly #ctx: CapabilityContext
  readonly #homes: QueueHomes
  readonly #clientAdmin: boolean

  constructor(context: CapabilityContext, components: TasksComponents) {
    this.#ctx = context
    this.limits = { ...DEFAULT_QUEUE_LIMITS, ...components.limits }
    this.#clientAdmin = components.clientAdmin === true
    this.#homes = new QueueHomes({
      logs: components.logs,
      limits: this.limits,
      logger: context.logger,
      maxEntryBytes: context.config.limits.maxValueBytes,
      counters: context.counters,
    })
    this.protocols = [
      {
        id: TASKS_PROTOCOL,
        handler: (request, requestContext) => this.serveWorker(request, requestContext),
        // every slot of the worker holds a TAKE, and its acks come beside them
        maxConcurrent: MAX_WORKER_CONCURRENCY * 2,
        maxStreams: 32,
      },
    ]
  }

  /** A queue request from the ring or a client: checked, routed to the queue's home, served. */
  async handle(request: Request, context: RequestContext): Promise<Partial<Response>> {
    if (request.type === MessageType.QUEUE_ADMIN) await this.#checkAdmin(request, context)
    return this.serve(request, context.signal)
  }

  /**
   * Configuring a queue, reading its dead letters (their payloads) and replaying them is
   * for ring members, and for clients only where the member they ask allows it
   * (`clientQueueAdmin`). A request a member forwards was checked where it came in.
   */
  async #checkAdmin(request: Request, context: RequestContext): Promise<void> {
    if (this.#clientAdmin) return
    const caller = context.remotePeer.toString()
    if (await this.#ctx.members.isMember(caller, context.signal)) return
    this.#ctx.counters.refused++
    throw new ForbiddenError(
      `only ring members may configure queue ${request.queueOp?.queue ?? ''} or read or replay its dead letters; this member does not let clients (start it with --client-queue-admin)`,
    )
  }

  async serve(request: Request, signal: AbortSignal | undefined): Promise<Partial<Response>> {
    const op = this.#checked(request)
    const position = ringIdOf(queueKey(op.queue))
    return this.#ctx.router.route(request, position, signal, async () => {
      const home = await this.#homes.homeOf(utf8.encode(op.queue))
      return { hops: request.hops, queueResult: await this.#atHome(request.type, op, home) }
    })
  }

  /** Every peer on the path refuses a bad request, not only the home. */
  #checked(request: Request): QueueOp {
    const op = request.queueOp
    if (op === undefined) throw new InvalidInputError('a queue request needs queue_op')
    checkQueueName(op.queue, this.limits)
    if (op.items.length > MAX_ENQUEUE_BATCH) {
      throw new InvalidInputError(`a batched enqueue has at most ${MAX_ENQUEUE_BATCH} tasks`)
    }
    // a batch's items are checked one by one at the home, each with its own outcome
    if (request.type === MessageType.QUEUE_ENQUEUE && op.items.length === 0)
      checkEnqueue(op.payload, enqueueOptions(op), this.limits)
    return op
  }

  async #atHome(type: number, op: QueueOp, home: QueueHome) {
    if (type === MessageType.QUEUE_ENQUEUE && op.items.length > 0) {
      // each enqueue is applied (in order) before the first await: one log group
      const outcomes = op.items.map(async (item) =>
        home.enqueue(item.payload, enqueueOptions(item)),
      )
      const enqueued = (await Promise.allSettled(outcomes)).map((outcome) =>
        outcome.status === 'fulfilled'
          ? { ...outcome.value, taskId: BigInt(outcome.value.taskId), error: 0, message: '' }
          : {
              taskId: 0n,
              duplicate: false,
              error: wireCodeOf(outcome.reason),
              message: outcome.reason instanceof Error ? outcome.reason.message : 'refused',
            },
      )
      return queueResult({ enqueued })
    }
    if (type === MessageType.QUEUE_ENQUEUE) {
      const { taskId, duplicate } = await home.enqueue(op.payload, enqueueOptions(op))
      return queueResult({ taskId: BigInt(taskId), duplicate })
    }
    if (type === MessageType.QUEUE_STATS) {
      return queueResult({ stats: statsToWire(home.stats()), home: peerInfoOf(this.#ctx.self) })
    }
    switch (op.admin) {
      case QUEUE_ADMIN.configure:
        await home.configure(settingsFromWire(op.settings, home.stats().settings))
        return queueResult({ stats: statsToWire(home.stats()) })
      case QUEUE_ADMIN.deadLetters: {
        const limit = Math.min(op.limit || 100, 1_000)
        return queueResult({ tasks: home.deadLetters(limit).map(deadLetterToWire) })
      }
      case QUEUE_ADMIN.replay:
        return queueResult({ replayed: await home.replay(op.taskIds.map(Number)) })
      default:
        throw new InvalidInputError(`unknown queue admin request ${op.admin}`)
    }
  }

  /** A request on a worker's stream to this member, which must be the queue's home. */
  async serveWorker(request: Request, context: RequestContext): Promise<Partial<Response>> {
    const op = request.queueOp
    if (op === undefined) throw new InvalidInputError('a worker request needs queue_op')
    if (request.type === MessageType.QUEUE_JOIN) return this.#join(op, context)
    const joined = context.streamState.get(WORKER) as JoinedWorker | undefined
    if (joined === undefined || joined.home.failed) {
      throw new NotReadyError('join the queue (again) on this stream first')
    }
    if (op.queue !== joined.queue) {
      throw new InvalidInputError(`this stream works on queue ${joined.queue}, not ${op.queue}`)
    }
    if (request.type === MessageType.QUEUE_TAKE) {
      const waitMs = Math.min(op.waitMs || MAX_TAKE_WAIT_MS, MAX_TAKE_WAIT_MS)
      const task = await joined.home.take(joined.id, waitMs, context.signal)
      return {
        queueResult: queueResult(task === undefined ? {} : { task: assignmentToWire(task) }),
      }
    }
    if (request.type === MessageType.QUEUE_SETTLE && op.extend) {
      const deadline = await joined.home.extend(joined.id, Number(op.taskId), Number(op.token))
      const task = { taskId: op.taskId, token: op.token, deadline: BigInt(deadline) }
      return { queueResult: queueResult({ task: { ...emptyTask(), ...task } }) }
    }
    if (request.type === MessageType.QUEUE_SETTLE) {
      const settlement = { taskId: Number(op.taskId), token: Number(op.token), ack: op.ack }
      const takeNext = op.takeNext ? { signal: context.signal } : undefined
      const next = await joined.home.settle(
        joined.id,
        { ...settlement, reason: op.reason },
        takeNext,
      )
      return {
        queueResult: queueResult(next === undefined ? {} : { task: assignmentToWire(next) }),
      }
    }
    throw new InvalidInputError(`request type ${request.type} is not one of the worker protocol`)
  }

  async #join(op: QueueOp, context: RequestContext): Promise<Partial<Response>> {
    checkQueueName(op.queue, this.limits)
    if (op.worker.length === 0 || op.worker.length > MAX_WORKER_NAME) {
      throw new InvalidInputError(`a worker name is 1 to ${MAX_WORKER_NAME} characters`)
    }
    const known = context.streamState.get(WORKER) as JoinedWorker | undefined
    if (known !== undefined && !known.home.failed) {
      throw new InvalidInputError('this stream has joined a queue already')
    }
    if (this.#ctx.neighbours.owns(ringIdOf(queueKey(op.queue))) !== true) {
      throw new NotReadyError(`this member is not the home of queue ${op.queue}`)
    }
    const home = await this.#homes.homeOf(utf8.encode(op.queue))
    const id = `${context.remotePeer.toString()}/${op.worker}`
    const concurrency = op.concurrency
    home.join({ id, concurrency, capacity: op.capacity || concurrency })
    context.streamState.set(WORKER, { id, queue: op.queue, home } satisfies JoinedWorker)
    context.signal.addEventListener('abort', () => home.leave(id), { once: true })
    return { queueResult: queueResult({ stats: statsToWire(home.stats()) }) }
  }

  /** For status: the queues this member is home of, with their stats. */
  async describe(): Promise<Partial<PeerStatus>> {
    const queues: QueueHomeStatus[] = this.#homes.served(MAX_QUEUES_IN_STATUS).map((home) => {
      const { settings, workers, ...counts } = home.stats()
      return { queue: home.name, policy: settings.policy, ...counts, workers: [...workers] }
    })
    return { queues }
  }

  async stop(): Promise<void> {
    this.#homes.close()
  }
}

function emptyTask(): QueueTask {
  return {
    taskId: 0n,
    payload: new Uint8Array(),
    priority: 0,
    enqueuedAt: 0n,
    attempts: 0,
    token: 0n,
    deadline: 0n,
    error: '',
  }
}

function enqueueOptions(op: Pick<QueueOp, 'delayMs' | 'priority' | 'dedupeId'>): EnqueueOptions {
  if (op.delayMs > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new InvalidInputError(`delay_ms ${op.delayMs} is out of range`)
  }
  return {
    delayMs: Number(op.delayMs),
    priority: op.priority,
    ...(op.dedupeId === undefined ? {} : { dedupeId: op.dedupeId }),
  }
}
