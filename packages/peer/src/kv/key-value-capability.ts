import {
  ErrorCode,
  MessageType,
  type Request,
  type Response,
  TRANSFER_PROTOCOL,
} from '@ringdht/protocol'
import { type RingId, ringIdOf } from '@ringdht/ring'
import { HybridLogicalClock, type Store } from '@ringdht/store'
import type { Capability, CapabilityContext, JoinedEvent } from '../core/capability.js'
import { PeriodicTask } from '../core/periodic-task.js'
import type { RingNode } from '../core/ring-node.js'
import type { RequestContext } from '../core/rpc/server.js'
import type { PeerStatus } from '../core/status.js'
import { CatchUp } from './catch-up.js'
import { KeyService } from './key-service.js'
import { QuorumRead } from './quorum-read.js'
import { buildReplication, type Replication } from './replication/build-replication.js'
import { TransferService } from './transfer.js'

export interface KeyValueComponents {
  /** Where this member's records live; closed by the member's owner, not here. */
  store: Store
}

/**
 * The key/value store as a capability of the ring: get/put/delete routed to the key's
 * owner and replicated to its r-1 successors, the join hand-over of a taken-over range,
 * anti-entropy between replicas, the hand-off of every range on a graceful leave, and
 * paged scans for exports.
 */
export class KeyValueCapability implements Capability {
  readonly name = 'kv'
  readonly handles = [
    MessageType.GET,
    MessageType.PUT,
    MessageType.DELETE,
    MessageType.DIGEST,
    MessageType.FETCH_RANGE,
    MessageType.STORE_BATCH,
    MessageType.SCAN,
    MessageType.TRANSFER,
  ] as const
  readonly protocols
  readonly keys: KeyService
  readonly store: Store

  readonly #ctx: CapabilityContext
  readonly #transfer: TransferService
  readonly #replication: Replication
  readonly #reads: QuorumRead
  readonly #catchUp: CatchUp
  /** The predecessor at the last range change: a new one means our range moved. */
  #lastPredecessor: string | undefined
  #antiEntropyTask: PeriodicTask | undefined
  #repairSoon: NodeJS.Timeout | undefined
  #handOver: Promise<void> | undefined
  #leaving = false

  constructor(context: CapabilityContext, components: KeyValueComponents) {
    const { config, counters, logger, emit } = context
    const { limits, timers } = config
    this.#ctx = context
    this.store = components.store
    // one clock for every version this member issues or takes in, bounded by the drift
    const clock = new HybridLogicalClock(Date.now, config.maxClockDriftMs)
    this.#replication = buildReplication(context, components.store, clock)
    this.#transfer = new TransferService(
      { libp2p: context.libp2p, store: components.store, clock, counters, emit, logger },
      {
        maxPageRecords: limits.maxPageRecords,
        maxPageBytes: limits.maxPageBytes,
        maxFrameBytes: limits.maxFrameBytes,
        maxKeyBytes: limits.maxKeyBytes,
        maxValueBytes: limits.maxValueBytes,
        requestTimeoutMs: timers.requestTimeoutMs,
        idleStreamMs: timers.idleStreamMs,
      },
    )
    this.#catchUp = new CatchUp({ counters, logger, repairSoon: () => this.#scheduleRepair() })
    this.#reads = new QuorumRead(
      {
        store: components.store,
        pool: context.pool,
        counters,
        logger,
        lifetime: context.lifetime,
        clock,
        deadlineFor: (node) =>
          context.deadlineFor(node, Math.max(1, Math.floor(timers.requestTimeoutMs / 2))),
      },
      { requestTimeoutMs: timers.requestTimeoutMs },
    )
    this.keys = new KeyService(
      {
        store: components.store,
        clock,
        neighbours: context.neighbours,
        router: context.router,
        pool: context.pool,
        counters,
        logger,
        writer: this.#replication.writer,
        reads: this.#reads,
        catchingUp: () => this.#catchUp.catchingUp,
        justResumed: () => context.pauses.justResumed(),
        formerRing: context.formerRing,
      },
      {
        replicas: config.replicas,
        writeQuorum: config.writeQuorum,
        readQuorum: config.readQuorum,
        maxKeyBytes: limits.maxKeyBytes,
        maxValueBytes: limits.maxValueBytes,
        requestTimeoutMs: timers.requestTimeoutMs,
        maxClockDriftMs: config.maxClockDriftMs,
      },
    )
    this.protocols = [
      {
        id: TRANSFER_PROTOCOL,
        handler: async (r: Request, c: RequestContext) =>
          (await this.#refusedUnlessMember(c)) ?? this.#transfer.handlePage(r, c),
        maxConcurrent: 1,
        maxStreams: 2,
      },
    ] as const
  }

  /**
   * Clients may get, put, delete and scan; everything else here is replication, repair
   * and hand-over between members, refused from clients, and writes of copies are
   * refused from members outside the replica set of the key (see the trust model in the
   * README).
   */
  async handle(request: Request, context: RequestContext): Promise<Partial<Response>> {
    switch (request.type) {
      case MessageType.DIGEST:
        return (
          (await this.#refusedUnlessMember(context)) ?? this.#replication.sync.handleDigest(request)
        )
      case MessageType.FETCH_RANGE:
        return (
          (await this.#refusedUnlessMember(context)) ??
          this.#transfer.readPage(request, { tombstones: true })
        )
      case MessageType.STORE_BATCH:
        return this.#handleStoreBatch(request, context)
      case MessageType.SCAN:
        return this.#handleScan(request, context)
      case MessageType.TRANSFER:
        return {
          error: ErrorCode.UNKNOWN_REQUEST_TYPE,
          message: `TRANSFER goes on ${TRANSFER_PROTOCOL}`,
        }
      default:
        if (request.local) {
          const refused = await this.#refusedLocal(request, context)
          if (refused !== undefined) return refused
        }
        return this.keys.handle(request, context.signal)
    }
  }

  async #refusedUnlessMember(context: RequestContext): Promise<Partial<Response> | undefined> {
    const caller = context.remotePeer.toString()
    if (await this.#ctx.members.isMember(caller, context.signal)) return undefined
    this.#ctx.counters.refused++
    return { error: ErrorCode.FORBIDDEN, message: 'only ring members may ask for this' }
  }

  /** A replica read (GET local) is for members; a replica copy also for the key's replica set. */
  async #refusedLocal(
    request: Request,
    context: RequestContext,
  ): Promise<Partial<Response> | undefined> {
    if (request.type === MessageType.GET) return this.#refusedUnlessMember(context)
    const key = request.key
    if (key === undefined || key.byteLength === 0) return undefined // the key service says why
    const caller = context.remotePeer.toString()
    if (await this.#ctx.members.mayReplicate(caller, ringIdOf(key), context.signal))
      return undefined
    this.#ctx.counters.refused++
    return {
      error: ErrorCode.FORBIDDEN,
      message: "only the members of a key's replica set may write copies of it",
    }
  }

  async #handleStoreBatch(request: Request, context: RequestContext): Promise<Partial<Response>> {
    const refused = await this.#refusedUnlessMember(context)
    if (refused !== undefined) return refused
    const caller = context.remotePeer.toString()
    const members = this.#ctx.members
    const signal = context.signal
    return this.#replication.sync.handleStoreBatch(request, (position) =>
      members.mayReplicate(caller, position, signal),
    )
  }

  /** True while this member is still pulling its range from its successor after joining. */
  get handingOver(): boolean {
    return this.#handOver !== undefined
  }

  /** Resolves when the join hand-over (if any) has finished. */
  async handOverDone(): Promise<void> {
    await this.#handOver
  }

  /** Run an anti-entropy pass now (tests, tools); resolves when it ends. */
  async repair(): Promise<void> {
    await this.#antiEntropyTask?.runNow()
  }

  joined(event: JoinedEvent): void {
    this.#lastPredecessor = this.#ctx.neighbours.predecessor?.key
    const { timers } = this.#ctx.config
    this.#antiEntropyTask = new PeriodicTask(
      'anti_entropy',
      timers.antiEntropyMs,
      timers.jitter,
      // a joiner still pulling its range would fetch the same records twice
      (s) =>
        this.#handOver === undefined
          ? this.#catchUp.pass(() =>
              this.#replication.antiEntropy.pass(s, { catchingUp: this.#catchUp.catchingUp }),
            )
          : Promise.resolve(),
      this.#ctx.logger,
    )
    this.#antiEntropyTask.start()
    if (event.takenOverFrom !== undefined) {
      // a new member, or one back from a restart: what it holds of its range may be old
      this.#catchUp.begin('joined')
      this.#startHandOver(event.successor, event.takenOverFrom)
    }
  }

  /** Paused: the ring may have written our range without us; catch up before answering. */
  resumed(pausedMs: number): void {
    this.#catchUp.resumed(pausedMs)
  }

  /**
   * A neighbour changed: the replica set of our range (or the range itself) moved, so
   * run anti-entropy shortly instead of waiting for its period; changes that come in a
   * burst (a failure is seen by several members) share one pass.
   */
  rangesChanged(): void {
    const predecessor = this.#ctx.neighbours.predecessor?.key
    if (predecessor !== this.#lastPredecessor) {
      this.#lastPredecessor = predecessor
      // our primary range moved (a failure, a join, a partition that healed): part of it
      // may have been written while another member answered for it
      if (predecessor !== undefined && this.#antiEntropyTask !== undefined) {
        this.#catchUp.begin('new predecessor')
      }
    }
    this.#scheduleRepair()
  }

  #scheduleRepair(): void {
    if (this.#repairSoon !== undefined || this.#leaving || this.#ctx.lifetime.aborted) return
    const { timers } = this.#ctx.config
    this.#repairSoon = setTimeout(
      () => {
        this.#repairSoon = undefined
        void this.#antiEntropyTask?.runNow().catch(() => {})
      },
      Math.min(timers.stabilizeMs * 2, timers.antiEntropyMs),
    )
    this.#repairSoon.unref()
  }

  async describe(range: { start: RingId; end: RingId }): Promise<Partial<PeerStatus>> {
    return {
      // live keys only: `Store.count` includes tombstones, which are not keys
      keyCount: await countLiveKeys(this.store, range.start, range.end),
      storedCount: await this.store.count(range.end, range.end),
    }
  }

  /** Wait for write copies in flight, then hand every range this member holds a copy of off. */
  async leave(signal: AbortSignal): Promise<void> {
    this.#leaving = true
    await this.#endBackgroundWork()
    await Promise.race([
      Promise.all([this.#replication.writer.drain(), this.#reads.drain()]),
      aborted(signal),
    ])
    await this.#replication.leave.leave(signal)
  }

  async stop(): Promise<void> {
    await this.#endBackgroundWork()
    await Promise.all([this.#replication.writer.drain(), this.#reads.drain()])
  }

  async #endBackgroundWork(): Promise<void> {
    clearTimeout(this.#repairSoon)
    await this.#antiEntropyTask?.stop()
    await this.#handOver?.catch(() => {})
  }

  async #handleScan(request: Request, context: RequestContext): Promise<Partial<Response>> {
    const relayed = await this.#ctx.relay(request, context)
    if (relayed !== undefined) return relayed
    const self = this.#ctx.self.id
    return this.#transfer.readPage(
      {
        ...request,
        rangeStart: request.rangeStart ?? this.#ctx.neighbours.predecessor?.id ?? self,
        rangeEnd: request.rangeEnd ?? self,
      },
      { tombstones: false },
    )
  }

  #startHandOver(successor: RingNode, start: RingId): void {
    const { logger, lifetime, self } = this.#ctx
    this.keys.handOverSource = successor
    this.#handOver = this.#transfer
      .pull(successor, start, self.id, lifetime)
      .then(
        (count) => logger.info({ count, from: successor.key }, 'received the keys of our range'),
        (err: unknown) => logger.warn({ err }, 'hand-over from the successor failed'),
      )
      .finally(() => {
        this.keys.handOverSource = undefined
        this.#handOver = undefined
        // the catch-up pass waited for the hand-over
        this.#scheduleRepair()
      })
  }
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve()
    else signal.addEventListener('abort', () => resolve(), { once: true })
  })
}

/** Live records in (start, end]. */
async function countLiveKeys(store: Store, start: RingId, end: RingId): Promise<number> {
  let count = 0
  for await (const _ of store.range(start, end, { tombstones: false })) count++
  return count
}
