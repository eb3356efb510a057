import type { Libp2p, PeerId } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr'
import {
  ErrorCode,
  MessageType,
  messageTypeName,
  type Request,
  type Response,
  RPC_PROTOCOL,
  requestWithDefaults,
  TRANSFER_PROTOCOL,
} from '@ringdht/protocol'
import { type RingId, ringIdToHex } from '@ringdht/ring'
import { HybridLogicalClock, type Store, type Version } from '@ringdht/store'
import type { Logger } from 'pino'
import type { PeerConfig } from './config.js'
import { Counters } from './counters.js'
import { errorFromWire, InvalidInputError, NotReadyError, PeerUnreachableError } from './errors.js'
import type { Emit, PeerEventMap, PeerEventName } from './events.js'
import { KeyService } from './key-service.js'
import { Membership, nextId } from './membership.js'
import { PeriodicTask } from './periodic-task.js'
import { fromWireRecord } from './records.js'
import { AntiEntropy } from './replication/anti-entropy.js'
import { GracefulLeave } from './replication/graceful-leave.js'
import { ReplicaSync } from './replication/replica-sync.js'
import { ReplicaWriter } from './replication/replica-writer.js'
import { StrayRecords } from './replication/stray-records.js'
import { memberInfoOf, peerInfoOf, type RingNode, RingNodeCache, ringNode } from './ring-node.js'
import { Router } from './router.js'
import { ChannelPool } from './rpc/pool.js'
import { type RequestContext, RpcServer } from './rpc/server.js'
import { countLiveKeys, memberToWire, type PeerStatus, statusToWire } from './status.js'
import { TransferService } from './transfer.js'

export type KeyInput = Uint8Array | string

export interface OperationOptions {
  signal?: AbortSignal
  /** Record the peer ids the request went through in `path`. Default false. */
  trace?: boolean
}

export interface PutOptions extends OperationOptions {
  /** Replicas that must hold the write (replication); default the peer's writeQuorum. */
  writeQuorum?: number
}

export interface GetResult {
  value: Uint8Array
  /** Forwards between the peer asked and the owner. */
  hops: number
  /** Peer ids visited, when `trace` was set. */
  path?: string[]
  version?: Version
}

export interface WriteResult {
  hops: number
  path?: string[]
  /** Replicas that acknowledged the write. */
  replicas?: number
}

/** A snapshot of the routing state, for tests and diagnostics. */
export interface RoutingSnapshot {
  successors: RingId[]
  predecessor: RingId | undefined
  fingers: Array<RingId | undefined>
}

export interface RingPeerComponents {
  libp2p: Libp2p
  store: Store
}

type Listener = Parameters<EventTarget['addEventListener']>[1]
type ListenerOptions = Parameters<EventTarget['addEventListener']>[2]

const encoder = new TextEncoder()
/** Members asked per rejoin pass while alone; each ask is bounded by pingTimeoutMs. */
const REJOIN_CANDIDATES_PER_PASS = 3

export function toBytes(input: KeyInput, what: string): Uint8Array {
  if (typeof input === 'string') return encoder.encode(input)
  if (input instanceof Uint8Array) return input
  throw new InvalidInputError(`${what} must be a Uint8Array or a string`)
}

/**
 * A ring member: a libp2p node that joins a Chord ring, keeps its routing state fresh,
 * and serves get/put/delete for any key by routing it to the owner. Build it with
 * `createPeer`.
 */
export class RingPeer extends EventTarget {
  readonly peerId: PeerId
  readonly ringId: RingId
  /** Resolves once the peer has joined (or started) a ring; rejects if joining failed. */
  readonly ready: Promise<void>

  readonly #libp2p: Libp2p
  readonly #store: Store
  readonly #config: PeerConfig
  readonly #log: Logger
  readonly #self: RingNode
  readonly #nodes = new RingNodeCache()
  readonly #counters = new Counters()
  readonly #pool: ChannelPool
  readonly #membership: Membership
  readonly #router: Router
  readonly #keys: KeyService
  readonly #transfer: TransferService
  readonly #rpcServer: RpcServer
  readonly #transferServer: RpcServer
  readonly #writer: ReplicaWriter
  readonly #sync: ReplicaSync
  readonly #antiEntropy: AntiEntropy
  readonly #leave: GracefulLeave
  #antiEntropyTask: PeriodicTask | undefined
  #repairSoon: NodeJS.Timeout | undefined
  readonly #tasks: PeriodicTask[] = []
  readonly #lifetime = new AbortController()
  #stopping: Promise<void> | undefined
  #handOver: Promise<void> | undefined

  constructor(components: RingPeerComponents, config: PeerConfig) {
    super()
    this.#libp2p = components.libp2p
    this.#store = components.store
    this.#config = config
    this.peerId = components.libp2p.peerId
    this.#self = this.#nodes.add(ringNode(this.peerId, components.libp2p.getMultiaddrs()))
    this.ringId = this.#self.id
    this.#log = config.logger.child({
      peer: this.peerId.toString(),
      ringId: ringIdToHex(this.ringId),
    })
    const { limits, timers } = config
    const emit: Emit = (name, detail) => {
      this.#log.debug({ event: name, detail }, 'event')
      this.#observe(name, detail)
      this.dispatchEvent(new CustomEvent(name, { detail }))
    }
    this.#pool = new ChannelPool(
      {
        libp2p: this.#libp2p,
        logger: this.#log,
        latest: (node) => this.#nodes.get(node.key) ?? node,
      },
      {
        protocol: RPC_PROTOCOL,
        maxInFlight: limits.maxInFlightPerPeer,
        maxFrameBytes: limits.maxFrameBytes,
        idleStreamMs: timers.idleStreamMs,
        openTimeoutMs: timers.requestTimeoutMs,
      },
    )
    this.#membership = new Membership(
      { self: this.#self, pool: this.#pool, nodes: this.#nodes, logger: this.#log, emit },
      {
        successorListLength: config.successorListLength,
        failureThreshold: config.failureThreshold,
        pingTimeoutMs: timers.pingTimeoutMs,
      },
    )
    this.#router = new Router(
      {
        membership: this.#membership,
        pool: this.#pool,
        nodes: this.#nodes,
        counters: this.#counters,
      },
      { maxHops: limits.maxHops, requestTimeoutMs: timers.requestTimeoutMs },
    )
    this.#writer = new ReplicaWriter(
      {
        membership: this.#membership,
        pool: this.#pool,
        counters: this.#counters,
        emit,
        logger: this.#log,
        lifetime: this.#lifetime.signal,
      },
      { replicas: config.replicas, requestTimeoutMs: timers.requestTimeoutMs },
    )
    this.#sync = new ReplicaSync(
      { store: this.#store, pool: this.#pool, counters: this.#counters, logger: this.#log },
      {
        buckets: limits.repairBuckets,
        maxPageRecords: limits.maxPageRecords,
        maxPageBytes: limits.maxPageBytes,
        maxKeyBytes: limits.maxKeyBytes,
        maxValueBytes: limits.maxValueBytes,
        requestTimeoutMs: timers.requestTimeoutMs,
      },
    )
    const strays = new StrayRecords(
      {
        membership: this.#membership,
        router: this.#router,
        pool: this.#pool,
        nodes: this.#nodes,
        sync: this.#sync,
        store: this.#store,
        counters: this.#counters,
        emit,
        logger: this.#log,
      },
      {
        replicas: config.replicas,
        requestTimeoutMs: timers.requestTimeoutMs,
        maxRecordsPerPass: limits.maxRepairRecordsPerPass,
      },
    )
    this.#antiEntropy = new AntiEntropy(
      {
        membership: this.#membership,
        sync: this.#sync,
        strays,
        store: this.#store,
        counters: this.#counters,
        emit,
        logger: this.#log,
      },
      {
        replicas: config.replicas,
        tombstoneGraceMs: config.tombstoneGraceMs,
        maxRecordsPerPass: limits.maxRepairRecordsPerPass,
      },
    )
    this.#leave = new GracefulLeave(
      {
        membership: this.#membership,
        pool: this.#pool,
        nodes: this.#nodes,
        sync: this.#sync,
        counters: this.#counters,
        emit,
        logger: this.#log,
      },
      {
        replicas: config.replicas,
        requestTimeoutMs: timers.requestTimeoutMs,
        maxRecordsPerPass: limits.maxRepairRecordsPerPass,
      },
    )
    this.#keys = new KeyService(
      {
        store: this.#store,
        clock: new HybridLogicalClock(),
        membership: this.#membership,
        router: this.#router,
        pool: this.#pool,
        counters: this.#counters,
        logger: this.#log,
        writer: this.#writer,
      },
      {
        replicas: config.replicas,
        writeQuorum: config.writeQuorum,
        maxKeyBytes: limits.maxKeyBytes,
        maxValueBytes: limits.maxValueBytes,
        requestTimeoutMs: timers.requestTimeoutMs,
      },
    )
    this.#transfer = new TransferService(
      {
        libp2p: this.#libp2p,
        store: this.#store,
        counters: this.#counters,
        emit,
        logger: this.#log,
      },
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
    const serverInit = {
      maxFrameBytes: limits.maxFrameBytes,
      frameTimeoutMs: timers.frameTimeoutMs,
      idleStreamMs: timers.idleStreamMs,
    }
    this.#rpcServer = new RpcServer(
      { logger: this.#log },
      {
        ...serverInit,
        maxConcurrent: limits.maxConcurrentPerStream,
        handler: (r, c) => this.#dispatch(r, c),
      },
    )
    this.#transferServer = new RpcServer(
      { logger: this.#log },
      { ...serverInit, maxConcurrent: 1, handler: (r, c) => this.#transfer.handlePage(r, c) },
    )
    const ready = Promise.withResolvers<void>()
    this.ready = ready.promise
    // callers that never await `ready` must not see an unhandled rejection
    this.ready.catch(() => {})
    this.#readyResolvers = ready
  }

  readonly #readyResolvers: PromiseWithResolvers<void>

  /** Register the protocol handlers and join in the background (see `ready`). */
  async start(): Promise<void> {
    const { limits } = this.#config
    await this.#libp2p.handle(RPC_PROTOCOL, this.#rpcServer.handleStream, {
      maxInboundStreams: limits.maxInboundStreams,
      maxOutboundStreams: limits.maxInboundStreams,
    })
    await this.#libp2p.handle(TRANSFER_PROTOCOL, this.#transferServer.handleStream, {
      maxInboundStreams: 2,
      maxOutboundStreams: 2,
    })
    this.#join().then(this.#readyResolvers.resolve, this.#readyResolvers.reject)
  }

  getMultiaddrs(): Multiaddr[] {
    return this.#libp2p.getMultiaddrs()
  }

  /** The local store, for tests and tools. Writing to it bypasses routing and versions. */
  get store(): Store {
    return this.#store
  }

  async get(key: KeyInput, options: OperationOptions = {}): Promise<GetResult | undefined> {
    const response = await this.#request(MessageType.GET, toBytes(key, 'key'), undefined, options)
    const record = response.record
    if (record === undefined || record.value === undefined) return undefined
    const stored = fromWireRecord(record)
    return {
      value: record.value,
      hops: response.hops ?? 0,
      ...(options.trace ? { path: response.path ?? [] } : {}),
      version: stored.version,
    }
  }

  async put(key: KeyInput, value: KeyInput, options: PutOptions = {}): Promise<WriteResult> {
    const quorum = options.writeQuorum
    if (
      quorum !== undefined &&
      !(Number.isInteger(quorum) && quorum >= 1 && quorum <= this.#config.replicas)
    ) {
      throw new InvalidInputError(`writeQuorum must be an integer in [1, ${this.#config.replicas}]`)
    }
    const response = await this.#request(
      MessageType.PUT,
      toBytes(key, 'key'),
      toBytes(value, 'value'),
      options,
    )
    return {
      hops: response.hops ?? 0,
      ...(options.trace ? { path: response.path ?? [] } : {}),
      replicas: response.replicas ?? 1,
    }
  }

  async delete(key: KeyInput, options: OperationOptions = {}): Promise<WriteResult> {
    const response = await this.#request(
      MessageType.DELETE,
      toBytes(key, 'key'),
      undefined,
      options,
    )
    return {
      hops: response.hops ?? 0,
      ...(options.trace ? { path: response.path ?? [] } : {}),
      replicas: response.replicas ?? 1,
    }
  }

  async status(): Promise<PeerStatus> {
    const m = this.#membership
    const predecessor = m.predecessor
    const start = predecessor?.id ?? this.ringId
    const distinctFingers = new Map<string, RingNode>()
    for (const f of m.fingers) if (f !== undefined) distinctFingers.set(f.key, f)
    return {
      ...memberInfoOf({ ...this.#self, multiaddrs: this.getMultiaddrs() }),
      predecessor: predecessor === undefined ? undefined : memberInfoOf(predecessor),
      successors: m.successors.filter((s) => s !== this.#self).map(memberInfoOf),
      fingers: [...distinctFingers.values()].map(memberInfoOf),
      keyCount: await countLiveKeys(this.#store, start, this.ringId),
      storedCount: await this.#store.count(this.ringId, this.ringId),
      range: { start: ringIdToHex(start), end: ringIdToHex(this.ringId) },
      counters: this.#counters.toJSON(),
    }
  }

  routingSnapshot(): RoutingSnapshot {
    const m = this.#membership
    return {
      successors: m.successors.filter((s) => s !== this.#self).map((s) => s.id),
      predecessor: m.predecessor?.id,
      fingers: m.fingers.map((f) => f?.id),
    }
  }

  /** True while this peer is still pulling its range from its successor after joining. */
  get handingOver(): boolean {
    return this.#handOver !== undefined
  }

  /** Resolves when the join hand-over (if any) has finished. */
  async handOverDone(): Promise<void> {
    await this.#handOver
  }

  /**
   * Leave the ring gracefully and close: wait for write copies still in flight, hand
   * every range this peer holds a copy of to the peer that takes its place in that
   * range's replica set, tell the predecessor and successor (LEAVE), then close. The
   * leave is bounded by `timers.leaveTimeoutMs`; stop() always completes. Idempotent.
   */
  async stop(): Promise<void> {
    this.#stopping ??= this.#stop()
    return this.#stopping
  }

  /**
   * Stop as if the process died (tests, fault injection): no hand-off, no LEAVE; timers
   * end, streams and the transport close, the store is closed as it is.
   */
  async crash(): Promise<void> {
    this.#stopping ??= this.#shutdown()
    return this.#stopping
  }

  /** Run an anti-entropy pass now (tests, tools); resolves when it ends. */
  async repair(): Promise<void> {
    await this.#antiEntropyTask?.runNow()
  }

  override addEventListener<K extends PeerEventName>(
    type: K,
    listener: ((event: CustomEvent<PeerEventMap[K]>) => void) | null,
    options?: ListenerOptions,
  ): void
  override addEventListener(type: string, listener: Listener, options?: ListenerOptions): void
  override addEventListener(
    type: string,
    // biome-ignore lint/suspicious/noExplicitAny: overload implementation
    listener: any,
    options?: ListenerOptions,
  ): void {
    super.addEventListener(type, listener as Listener, options)
  }

  // ---- internals ----

  async #stop(): Promise<void> {
    if (this.#joined && !this.#lifetime.signal.aborted) {
      const signal = AbortSignal.any([
        AbortSignal.timeout(this.#config.timers.leaveTimeoutMs),
        this.#lifetime.signal,
      ])
      // keep serving requests while leaving; only the periodic work ends first
      this.#leaving = true
      clearTimeout(this.#repairSoon)
      await Promise.allSettled(this.#tasks.map((t) => t.stop()))
      await this.#handOver?.catch(() => {})
      await Promise.race([this.#writer.drain(), aborted(signal)])
      await this.#leave.leave(signal).catch((err: unknown) => {
        this.#log.warn({ err }, 'graceful leave failed')
      })
    }
    await this.#shutdown()
  }

  async #shutdown(): Promise<void> {
    this.#lifetime.abort(new NotReadyError('peer stopped'))
    clearTimeout(this.#repairSoon)
    await Promise.allSettled(this.#tasks.map((t) => t.stop()))
    await this.#handOver?.catch(() => {})
    this.#rpcServer.stop()
    this.#transferServer.stop()
    this.#pool.close()
    await this.#writer.drain()
    await this.#libp2p.stop()
    await this.#store.close()
    this.#readyResolvers.reject(new NotReadyError('peer stopped before joining'))
  }

  async #request(
    type: MessageType,
    key: Uint8Array,
    value: Uint8Array | undefined,
    options: PutOptions,
  ): Promise<Partial<Response>> {
    if (this.#lifetime.signal.aborted) throw new NotReadyError('peer stopped')
    const request = requestWithDefaults({
      type,
      maxHops: this.#config.limits.maxHops,
      trace: options.trace ?? false,
      key: key as Uint8Array<ArrayBuffer>,
      ...(value === undefined ? {} : { value: value as Uint8Array<ArrayBuffer> }),
      writeQuorum: options.writeQuorum ?? this.#config.writeQuorum,
    })
    const signal =
      options.signal === undefined
        ? this.#lifetime.signal
        : AbortSignal.any([options.signal, this.#lifetime.signal])
    const response = await this.#keys.handle(request, signal)
    if (response.error !== undefined && response.error !== 0) {
      throw errorFromWire(response.error, response.message ?? '')
    }
    return response
  }

  async #dispatch(request: Request, context: RequestContext): Promise<Partial<Response>> {
    this.#counters.requests++
    if (this.#lifetime.signal.aborted) return { error: ErrorCode.NOT_READY, message: 'stopping' }
    switch (request.type) {
      case MessageType.GET:
      case MessageType.PUT:
      case MessageType.DELETE:
        return this.#keys.handle(request, context.signal)
      case MessageType.FIND_SUCCESSOR:
        return this.#router.handleFindSuccessor(request, context.signal)
      case MessageType.GET_PREDECESSOR:
      case MessageType.GET_SUCCESSOR_LIST:
        return this.#membership.handleNeighbours()
      case MessageType.NOTIFY:
        return this.#membership.handleNotify(request)
      case MessageType.PING:
        return {}
      case MessageType.LEAVE:
        this.#counters.leavesReceived++
        return this.#membership.handleLeave(request)
      case MessageType.DIGEST:
        return this.#sync.handleDigest(request)
      case MessageType.FETCH_RANGE:
        return this.#transfer.readPage(request, { tombstones: true })
      case MessageType.STORE_BATCH:
        return this.#sync.handleStoreBatch(request)
      case MessageType.STATUS:
        return this.#handleStatus(request, context)
      case MessageType.SCAN:
        return this.#handleScan(request, context)
      case MessageType.TRANSFER:
        return {
          error: ErrorCode.UNKNOWN_REQUEST_TYPE,
          message: `TRANSFER goes on ${TRANSFER_PROTOCOL}`,
        }
      default:
        this.#log.debug({ type: messageTypeName(request.type) }, 'unknown request type')
        return {
          error: ErrorCode.UNKNOWN_REQUEST_TYPE,
          message: `unknown request type ${request.type}`,
        }
    }
  }

  /** Status and scan may be relayed by the member a client dialled to any other member. */
  async #relay(request: Request, context: RequestContext): Promise<Partial<Response> | undefined> {
    const target = request.relayTo
    if (target === undefined || target.peerId === this.#self.key) return undefined
    const node = this.#nodes.fromInfo(target)
    if (node === undefined) return { error: ErrorCode.INVALID_INPUT, message: 'bad relay target' }
    const { relayTo: _, ...forwarded } = request
    return this.#pool.request(node, forwarded, {
      signal: context.signal,
      timeoutMs: this.#config.timers.requestTimeoutMs,
    })
  }

  async #handleStatus(request: Request, context: RequestContext): Promise<Partial<Response>> {
    const relayed = await this.#relay(request, context)
    if (relayed !== undefined) return relayed
    const status = await this.status()
    return {
      status: statusToWire(
        status,
        peerInfoOf({ ...this.#self, multiaddrs: this.getMultiaddrs() }),
        memberToWire,
      ),
    }
  }

  async #handleScan(request: Request, context: RequestContext): Promise<Partial<Response>> {
    const relayed = await this.#relay(request, context)
    if (relayed !== undefined) return relayed
    const page = await this.#transfer.readPage(
      {
        ...request,
        rangeStart: request.rangeStart ?? this.#membership.predecessor?.id ?? this.ringId,
        rangeEnd: request.rangeEnd ?? this.ringId,
      },
      { tombstones: false },
    )
    return page
  }

  async #join(): Promise<void> {
    const bootstrap = this.#config.bootstrap
    const signal = this.#lifetime.signal
    if (bootstrap.length > 0) {
      const successor = await this.#findOwnSuccessor(bootstrap, signal)
      this.#membership.setSuccessor(successor)
      // learn the range we take over before telling the successor we exist
      let previousOwnerStart: RingId = successor.id
      try {
        const neighbours = await this.#pool.request(
          successor,
          { type: MessageType.GET_SUCCESSOR_LIST },
          { signal, timeoutMs: this.#config.timers.requestTimeoutMs },
        )
        const predecessor = this.#nodes.fromInfo(neighbours.peer)
        if (predecessor !== undefined && predecessor.key !== this.#self.key) {
          previousOwnerStart = predecessor.id
        }
      } catch (err) {
        this.#log.debug({ err }, 'cannot ask the successor for its predecessor')
      }
      await this.#membership.notify(successor, signal)
      this.#startHandOver(successor, previousOwnerStart)
    }
    this.#startMaintenance()
    this.#joined = true
    this.dispatchEvent(
      new CustomEvent('peer:joined', {
        detail: {
          successor: memberInfoOf(this.#membership.successor),
          bootstrap: bootstrap.length === 0,
        },
      }),
    )
    this.#log.info({ successor: this.#membership.successor.key }, 'joined the ring')
  }

  async #findOwnSuccessor(bootstrap: readonly string[], signal: AbortSignal): Promise<RingNode> {
    const errors: string[] = []
    for (let round = 0; round < 3; round++) {
      for (const address of bootstrap) {
        signal.throwIfAborted()
        let node: RingNode
        try {
          const ma = multiaddr(address)
          const id = ma.getComponents().find((c) => c.name === 'p2p')?.value
          if (id === undefined) throw new Error('no /p2p/<peer id> in the address')
          node = this.#nodes.add(ringNode(peerIdFromString(id), [ma]))
        } catch (err) {
          throw new InvalidInputError(`bad bootstrap address ${address}: ${(err as Error).message}`)
        }
        if (node.key === this.#self.key) continue
        try {
          let successor = await this.#lookupVia(node, this.ringId, signal)
          // a restarted peer may still be known to the ring under its own id
          if (successor.key === this.#self.key)
            successor = await this.#lookupVia(node, nextId(this.ringId), signal)
          return successor.key === this.#self.key ? node : successor
        } catch (err) {
          errors.push(`${address}: ${(err as Error).message}`)
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 200 * (round + 1)))
    }
    throw new PeerUnreachableError(
      `could not join through any bootstrap peer (${errors.join('; ')})`,
    )
  }

  /**
   * A peer whose every neighbour failed (a partition cut it off, or the ring died around
   * a seed that has no bootstrap peers) is a ring of one, and Chord alone never merges
   * two rings. So while alone, ask a few members heard of earlier, and the bootstrap
   * peers, for this peer's successor; stabilize and anti-entropy take over from there.
   */
  async #rejoinIfAlone(signal: AbortSignal): Promise<void> {
    if (!this.#membership.alone || this.#leaving) return
    const candidates = [...this.#nodes.values()].filter((node) => node.key !== this.#self.key)
    // a few candidates per pass, different ones each time, so a pass stays short
    for (let i = 0; i < REJOIN_CANDIDATES_PER_PASS && candidates.length > 0; i++) {
      const [node] = candidates.splice(Math.floor(Math.random() * candidates.length), 1)
      if (node === undefined) break
      try {
        const timeoutMs = this.#config.timers.pingTimeoutMs
        let successor = await this.#lookupVia(node, this.ringId, signal, timeoutMs)
        if (successor.key === this.#self.key)
          successor = await this.#lookupVia(node, nextId(this.ringId), signal, timeoutMs)
        if (successor.key === this.#self.key || !this.#membership.alone) continue
        this.#membership.setSuccessor(successor)
        await this.#membership.notify(successor, signal)
        this.#counters.rejoins++
        this.#log.info({ successor: successor.key }, 'rejoined the ring after being alone')
        return
      } catch (err) {
        this.#log.debug({ err, via: node.key }, 'rejoin attempt failed')
      }
    }
  }

  async #lookupVia(
    node: RingNode,
    target: RingId,
    signal: AbortSignal,
    timeoutMs = this.#config.timers.requestTimeoutMs,
  ): Promise<RingNode> {
    const response = await this.#pool.request(
      node,
      { type: MessageType.FIND_SUCCESSOR, target, maxHops: this.#config.limits.maxHops },
      { signal, timeoutMs },
    )
    if (response.error !== 0) throw errorFromWire(response.error, response.message)
    const found = this.#nodes.fromInfo(response.peer)
    if (found === undefined) throw new PeerUnreachableError('find_successor gave no usable peer')
    return found
  }

  #startHandOver(successor: RingNode, start: RingId): void {
    if (start === this.ringId) return
    this.#keys.handOverSource = successor
    this.#handOver = this.#transfer
      .pull(successor, start, this.ringId, this.#lifetime.signal)
      .then(
        (count) => this.#log.info({ count, from: successor.key }, 'received the keys of our range'),
        (err: unknown) => this.#log.warn({ err }, 'hand-over from the successor failed'),
      )
      .finally(() => {
        this.#keys.handOverSource = undefined
        this.#handOver = undefined
      })
  }

  #startMaintenance(): void {
    const { timers } = this.#config
    const m = this.#membership
    const tasks = [
      new PeriodicTask(
        'stabilize',
        timers.stabilizeMs,
        timers.jitter,
        (s) => m.stabilize(s),
        this.#log,
      ),
      new PeriodicTask(
        'check_predecessor',
        timers.checkPredecessorMs,
        timers.jitter,
        (s) => m.checkPredecessor(s),
        this.#log,
      ),
      new PeriodicTask(
        'rejoin',
        timers.stabilizeMs * 2,
        timers.jitter,
        (s) => this.#rejoinIfAlone(s),
        this.#log,
      ),
      new PeriodicTask(
        'fix_fingers',
        timers.fixFingersMs,
        timers.jitter,
        (s) => m.fixFingers((id, signal) => this.#router.findSuccessor(id, signal), s),
        this.#log,
      ),
    ]
    this.#antiEntropyTask = new PeriodicTask(
      'anti_entropy',
      timers.antiEntropyMs,
      timers.jitter,
      // a joiner still pulling its range would fetch the same records twice
      (s) => (this.#handOver === undefined ? this.#antiEntropy.pass(s) : Promise.resolve()),
      this.#log,
    )
    tasks.push(this.#antiEntropyTask)
    for (const task of tasks) {
      this.#tasks.push(task)
      task.start()
    }
  }

  #leaving = false
  #joined = false

  /** Count what events report, and repair soon after a neighbour changes. */
  #observe<K extends PeerEventName>(name: K, detail: PeerEventMap[K]): void {
    if (name === 'peer:left' && (detail as PeerEventMap['peer:left']).reason === 'failed') {
      this.#counters.failuresDetected++
    }
    if (name === 'successor:changed' || name === 'predecessor:changed') this.#scheduleRepair()
  }

  /**
   * A neighbour changed: the replica set of our range (or the range itself) moved, so
   * run anti-entropy shortly instead of waiting for its period; changes that come in a
   * burst (a failure is seen by several peers) share one pass.
   */
  #scheduleRepair(): void {
    if (this.#repairSoon !== undefined || this.#leaving || this.#lifetime.signal.aborted) return
    const delay = Math.min(this.#config.timers.stabilizeMs * 2, this.#config.timers.antiEntropyMs)
    this.#repairSoon = setTimeout(() => {
      this.#repairSoon = undefined
      void this.#antiEntropyTask?.runNow().catch(() => {})
    }, delay)
    this.#repairSoon.unref()
  }
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve()
    else signal.addEventListener('abort', () => resolve(), { once: true })
  })
}
