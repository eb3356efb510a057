import type { Libp2p } from '@libp2p/interface'
import {
  ErrorCode,
  messageTypeName,
  type Request,
  type Response,
  RPC_PROTOCOL,
} from '@ringdht/protocol'
import type { Logger } from 'pino'
import type { PeerConfig } from '../config.js'
import { Counters } from '../counters.js'
import { NotReadyError } from '../errors.js'
import type { Emit } from '../events.js'
import type { MemberAdmission } from './admission.js'
import type { Capability, CapabilityContext } from './capability.js'
import { CapabilityRegistry } from './capability-registry.js'
import { CORE_TYPES, CoreRequests } from './core-requests.js'
import { FormerRing } from './former-ring.js'
import { type CircuitBreakers, memberCircuitBreakers } from './health/circuit-breaker.js'
import { RingJoin } from './join.js'
import { announceLeave } from './leave-announcement.js'
import { ChordMaintenance } from './maintenance.js'
import type { MemberCheck } from './member-check.js'
import { buildMemberTrust } from './member-trust.js'
import { Membership } from './membership.js'
import { memberPauseWatch, type PauseWatch } from './pause-watch.js'
import { RememberedMembers } from './remembered-members.js'
import { memberInfoOf, type RingNode, RingNodeCache, ringNode } from './ring-node.js'
import { Router } from './router.js'
import { ChannelPool } from './rpc/pool.js'
import { serveProtocols } from './rpc/serve-protocols.js'
import type { RequestContext, RpcServer } from './rpc/server.js'
import { StatusService } from './status-service.js'

export interface RingCoreComponents {
  libp2p: Libp2p
  /** Where events go (the peer facade dispatches them to its listeners). */
  emit: Emit
  /** Closed, in order, after the libp2p node has stopped (the store). */
  resources: ReadonlyArray<{ name: string; close(): Promise<void> }>
}

/**
 * The ring core of a member: its identity on the ring, the libp2p node, membership
 * (Chord maintenance, join and rejoin), routing toward the owner of a position, the RPC
 * channels, and the registry of capabilities that serve everything else. It knows
 * nothing of keys, locks or queues.
 */
export class RingCore {
  readonly self: RingNode
  readonly counters = new Counters()
  readonly membership: Membership
  readonly router: Router
  /** What capabilities are built from. */
  readonly context: CapabilityContext
  /** Resolves once the member has joined (or started) a ring; rejects if joining failed. */
  readonly ready: Promise<void>

  readonly #c: RingCoreComponents
  readonly #config: PeerConfig
  readonly #log: Logger
  readonly #nodes = new RingNodeCache()
  readonly #pool: ChannelPool
  /** Requests to members (but maintenance pings) go through their circuit breaker. */
  readonly #requests: CircuitBreakers
  readonly #join: RingJoin
  readonly #maintenance: ChordMaintenance
  readonly #registry: CapabilityRegistry
  readonly #pauses: PauseWatch
  readonly #status: StatusService
  readonly #admission: MemberAdmission
  readonly #members: MemberCheck
  readonly #coreRequests: CoreRequests
  readonly #remembered: RememberedMembers | undefined
  readonly #formerRing: FormerRing
  readonly #servers: RpcServer[] = []
  readonly #lifetime = new AbortController()
  readonly #readyResolvers = Promise.withResolvers<void>()
  #joined = false
  #leaving = false
  #stopping: Promise<void> | undefined

  constructor(components: RingCoreComponents, config: PeerConfig) {
    const { libp2p } = components
    const { limits, timers } = config
    this.#c = components
    this.#config = config
    this.self = this.#nodes.add(ringNode(libp2p.peerId, libp2p.getMultiaddrs()))
    this.#log = config.logger.child({ peer: this.self.key, ringId: memberInfoOf(this.self).ringId })
    this.#pool = new ChannelPool(
      { libp2p, logger: this.#log, latest: (node) => this.#nodes.get(node.key) ?? node },
      {
        protocol: RPC_PROTOCOL,
        maxInFlight: limits.maxInFlightPerPeer,
        maxFrameBytes: limits.maxFrameBytes,
        idleStreamMs: timers.idleStreamMs,
        openTimeoutMs: timers.requestTimeoutMs,
      },
    )
    this.#requests = memberCircuitBreakers(this.#pool, timers)
    const emit = components.emit
    this.#remembered =
      config.dataDir === undefined ? undefined : new RememberedMembers(config.dataDir, this.#log)
    this.#formerRing = new FormerRing(this.self, config.replicas, timers.formerRingGraceMs)
    this.membership = new Membership(
      {
        self: this.self,
        // maintenance pings are the failure detector's own probes: no breaker in between
        pool: this.#pool,
        nodes: this.#nodes,
        counters: this.counters,
        logger: this.#log,
        emit,
        onNeighboursChanged: () => {
          this.#remembered?.save(this.membership)
          this.#maintenance?.neighboursChanged()
          this.#registry.rangesChanged()
        },
        admits: (peer) => this.#admission.admits(peer),
        onForgotten: (peer) => {
          this.#members.forget(peer)
          this.router.forgetOwner(peer)
        },
        onHeardFrom: (peer) => this.#requests.heardFrom(peer),
      },
      {
        successorListLength: config.successorListLength,
        failureThreshold: config.failureThreshold,
        pingTimeoutMs: timers.pingTimeoutMs,
        // long enough for every neighbour to notice the failure and stop listing it
        rememberFailedMs: 10 * (timers.stabilizeMs + timers.pingTimeoutMs),
      },
    )
    this.router = new Router(
      {
        neighbours: this.membership,
        pool: this.#requests,
        nodes: this.#nodes,
        counters: this.counters,
        deadlineFor: (node, ceilingMs) => this.#requests.deadlineFor(node, ceilingMs),
        admits: (peer) => this.#admission.admits(peer),
      },
      { maxHops: limits.maxHops, requestTimeoutMs: timers.requestTimeoutMs },
    )
    this.#join = new RingJoin(
      {
        membership: this.membership,
        pool: this.#pool,
        nodes: this.#nodes,
        counters: this.counters,
        logger: this.#log,
      },
      {
        bootstrap: config.bootstrap,
        maxHops: limits.maxHops,
        requestTimeoutMs: timers.requestTimeoutMs,
        pingTimeoutMs: timers.pingTimeoutMs,
      },
    )
    this.#maintenance = new ChordMaintenance(
      {
        membership: this.membership,
        router: this.router,
        join: this.#join,
        logger: this.#log,
        leaving: () => this.#leaving,
      },
      timers,
    )
    const trust = buildMemberTrust(
      { self: this.self, neighbours: this.membership, router: this.router, logger: this.#log },
      config,
    )
    this.#admission = trust.admission
    this.#members = trust.members
    this.#registry = new CapabilityRegistry(CORE_TYPES, this.#log)
    this.#pauses = memberPauseWatch(timers, (pausedMs) => {
      this.#log.info({ pausedMs }, 'this process was paused; treating it as a return')
      this.#registry.resumed(pausedMs)
    })
    this.#status = new StatusService(
      {
        self: this.self,
        neighbours: this.membership,
        nodes: this.#nodes,
        pool: this.#requests,
        members: this.#members,
        counters: this.counters,
        describe: (range) => this.#registry.describe(range),
        multiaddrs: () => libp2p.getMultiaddrs(),
      },
      { requestTimeoutMs: timers.requestTimeoutMs },
    )
    this.#coreRequests = new CoreRequests({
      membership: this.membership,
      router: this.router,
      status: this.#status,
      admission: this.#admission,
      counters: this.counters,
    })
    this.context = {
      config,
      self: this.self,
      neighbours: this.membership,
      router: this.router,
      pool: this.#requests,
      deadlineFor: (node, ceilingMs) => this.#requests.deadlineFor(node, ceilingMs),
      nodes: this.#nodes,
      counters: this.counters,
      logger: this.#log,
      emit,
      libp2p,
      lifetime: this.#lifetime.signal,
      members: this.#members,
      pauses: this.#pauses,
      formerRing: this.#formerRing,
      relay: (request, context) => this.#status.relay(request, context),
    }
    this.ready = this.#readyResolvers.promise
    // callers that never await `ready` must not see an unhandled rejection
    this.ready.catch(() => {})
  }

  get lifetime(): AbortSignal {
    return this.#lifetime.signal
  }

  get logger(): Logger {
    return this.#log
  }

  /** Add a capability; before `start()`, so that its protocols are registered. */
  register(capability: Capability): void {
    this.#registry.register(capability)
  }

  /** Register the protocol handlers and join in the background (see `ready`). */
  async start(): Promise<void> {
    const { limits } = this.#config
    const core = {
      id: RPC_PROTOCOL,
      handler: (r: Request, c: RequestContext) => this.#dispatch(r, c),
      maxConcurrent: limits.maxConcurrentPerStream,
      maxStreams: limits.maxInboundStreams,
    }
    const capabilities = this.#registry.all.flatMap((c) => c.protocols ?? [])
    const servers = await serveProtocols(
      this.#c.libp2p,
      [core, ...capabilities],
      this.#config,
      this.#log,
      this.counters,
    )
    this.#servers.push(...servers)
    const { bootstrap } = this.#config
    const remembered = await this.#remembered?.restore(
      this.self,
      this.#nodes,
      this.membership,
      bootstrap.length,
    )
    this.#formerRing.restore(remembered ?? [])
    this.#admission.start()
    this.#joinInBackground()
  }

  /** The member's own view of the ring, with what its capabilities report. */
  status(): ReturnType<StatusService['status']> {
    return this.#status.status()
  }

  /**
   * Leave gracefully, then close: periodic work ends, every capability hands its state
   * off, the neighbours are told (LEAVE), all bounded by `timers.leaveTimeoutMs`; then
   * `crash()`'s shutdown. Idempotent.
   */
  stop(): Promise<void> {
    this.#stopping ??= this.#leaveThenShutdown()
    return this.#stopping
  }

  /** Stop as if the process died: no hand-off, no LEAVE. Idempotent. */
  crash(): Promise<void> {
    this.#stopping ??= this.#shutdown()
    return this.#stopping
  }

  #joinInBackground(): void {
    const signal = this.#lifetime.signal
    const run = async (): Promise<void> => {
      const joined = await this.#join.join(signal)
      this.#maintenance.start()
      this.#pauses.start()
      this.#joined = true
      this.#registry.joined({
        successor: joined?.successor ?? this.self,
        takenOverFrom: joined?.takenOverFrom,
      })
      const successor = this.membership.successor
      this.#c.emit('peer:joined', {
        successor: memberInfoOf(successor),
        bootstrap: this.#config.bootstrap.length === 0,
      })
      this.#log.info({ successor: successor.key }, 'joined the ring')
    }
    run().then(this.#readyResolvers.resolve, this.#readyResolvers.reject)
  }

  async #leaveThenShutdown(): Promise<void> {
    if (this.#joined && !this.#lifetime.signal.aborted) {
      const signal = AbortSignal.any([
        AbortSignal.timeout(this.#config.timers.leaveTimeoutMs),
        this.#lifetime.signal,
      ])
      // keep serving requests while leaving; only the periodic work ends first
      this.#leaving = true
      await this.#maintenance.stop()
      await this.#registry.leave(signal)
      if (!this.membership.alone) {
        await announceLeave(this.membership, this.#requests, this.#log, {
          signal,
          timeoutMs: this.#config.timers.requestTimeoutMs,
        })
      }
    }
    await this.#shutdown()
  }

  /** The one ordered list of things to stop; each step runs even when an earlier one failed. */
  async #shutdown(): Promise<void> {
    this.#lifetime.abort(new NotReadyError('peer stopped'))
    const steps: Array<[string, () => unknown]> = [
      ['admission', () => this.#admission.stop()],
      ['maintenance', () => this.#maintenance.stop()],
      ['pause watch', () => this.#pauses.stop()],
      ['capabilities', () => this.#registry.stop()],
      ['servers', () => this.#servers.map((server) => server.stop())],
      ['channels', () => this.#pool.close()],
      ['remembered members', () => this.#remembered?.flushed()],
      ['libp2p', () => this.#c.libp2p.stop()],
      ...this.#c.resources.map((r): [string, () => unknown] => [r.name, () => r.close()]),
    ]
    for (const [name, step] of steps) {
      try {
        await step()
      } catch (err) {
        this.#log.warn({ err, step: name }, 'shutdown step failed')
      }
    }
    this.#readyResolvers.reject(new NotReadyError('peer stopped before joining'))
  }

  async #dispatch(request: Request, context: RequestContext): Promise<Partial<Response>> {
    this.counters.requests++
    this.#pauses.tick()
    if (this.#lifetime.signal.aborted) return { error: ErrorCode.NOT_READY, message: 'stopping' }
    const core = this.#coreRequests.handle(request, context)
    if (core !== undefined) return core
    const capability = this.#registry.handlerOf(request.type)
    if (capability !== undefined) {
      // before the join completes this member is a ring of one in its own eyes and would
      // serve every key from its own store: after a restart, copies from before its
      // death. Callers with a view from before then (a client, a stale successor list)
      // must go elsewhere until the member has taken its place again.
      if (!this.#joined) return { error: ErrorCode.NOT_READY, message: 'still joining the ring' }
      return capability.handle(request, context)
    }
    this.#log.debug({ type: messageTypeName(request.type) }, 'unknown request type')
    return {
      error: ErrorCode.UNKNOWN_REQUEST_TYPE,
      message: `unknown request type ${request.type}`,
    }
  }
}
