import {
  ErrorCode,
  MessageType,
  type Request,
  type Response,
  requestWithDefaults,
  type TopicOp,
  type TopicResult,
} from '@ringdht/protocol'
import { Coordination, type RegisterCall } from '../coordination/coordination-api.js'
import type { Capability, CapabilityContext, CapabilityProtocol } from '../core/capability.js'
import type { ServeAuthority } from '../core/router.js'
import { ChannelPool } from '../core/rpc/pool.js'
import type { RequestContext } from '../core/rpc/server.js'
import { errorFromWire, InvalidInputError, NotReadyError, ValueTooLargeError } from '../errors.js'
import type { HomeLog, Retention } from '../homes/home-log.js'
import type { HomeLogs } from '../homes/home-logs.js'
import { logKey, logPosition } from '../homes/log-keys.js'
import { readAtHome, resultOf } from './log-reads.js'
import { SubscriberCount } from './subscriber-count.js'
import {
  MAX_TRACKED_SUBSCRIBERS,
  SUBSCRIBER_WINDOW_MS,
  subscriberKey,
  TopicRelays,
} from './topic-relay.js'
import {
  decodeRetention,
  effectiveRetention,
  encodeRetention,
  retentionFromWire,
  retentionRegisterKey,
  retentionToWire,
} from './topic-retention.js'
import { type TopicCall, topicBytes } from './topics-api.js'

/** Subscribers fetch from a topic's home directly on this protocol (members; see README). */
export const TOPIC_PROTOCOL = '/ringdht/topic/1.0.0'

/** The log space of topics. */
export const TOPIC_SPACE = 'topic'

/** What one relayed topic keeps of its newest messages, and how many topics a member relays. */
const RELAY_WINDOW = Object.freeze({ maxEntries: 1024, maxBytes: 2 * 1024 * 1024 })
const MAX_RELAYED_TOPICS = 64
/** A relay nobody read for this long stops pulling from the home, ms. */
const RELAY_IDLE_MS = 30_000

export interface TopicsComponents {
  homes: HomeLogs
  /** How much of each topic its home keeps, unless the topic has a setting of its own. */
  retention: Retention
  /** Coordination registers, where each topic's own retention is kept. */
  registers: RegisterCall
}

/**
 * Topics on home logs: TOPIC_PUBLISH and TOPIC_READ are routed to the topic's home (the
 * owner of its log's position) like a register operation; a member that subscribes asks
 * the home directly on TOPIC_PROTOCOL, one bounded batch per request (back-pressure: the
 * home sends nothing the subscriber did not ask for). A read at the end of the topic
 * waits at the home, up to a bound, for the next message to be acknowledged.
 *
 * Fan-out: once a topic has more subscribers at its home than `topicFanoutThreshold`, the
 * home answers a subscriber's read with `use_relay` instead of messages, and the subscriber
 * reads `via_relay` from then on: a member from its own relay, a client from the member it
 * dialled (topic-relay.ts). Why that member and not one the home picks: it is already
 * connected to the subscriber and is where its requests arrive, so the redirect needs no
 * address, no choice at the home and no new connection, and a member's relay serves all of
 * its own subscriptions and its clients' with one pull from the home. If the relay fails,
 * the subscriber reads the home again (`no_redirect`) from its last seq (subscriber-route.ts).
 */
export class TopicsCapability implements Capability {
  readonly name = 'topics'
  readonly handles = [
    MessageType.TOPIC_PUBLISH,
    MessageType.TOPIC_READ,
    MessageType.TOPIC_CONFIGURE,
  ] as const
  readonly protocols: readonly CapabilityProtocol[]

  readonly #ctx: CapabilityContext
  readonly #c: TopicsComponents
  readonly #direct: ChannelPool
  readonly #registers: Coordination
  /** Logs whose retention setting was read (or is being read) from their register. */
  readonly #configured = new WeakMap<HomeLog, Promise<void>>()
  /** Subscribers reading each topic served here (as its home), for the fan-out threshold. */
  readonly #subscribers = new WeakMap<HomeLog, SubscriberCount>()
  readonly #relays: TopicRelays

  constructor(context: CapabilityContext, components: TopicsComponents) {
    this.#ctx = context
    this.#c = components
    this.#registers = new Coordination(components.registers)
    // a log this member became home of by a ring change gets its setting before any request
    components.homes.onBecomeHome(TOPIC_SPACE, (log) => {
      void this.#applyRetention(log).catch(() => {})
    })
    const { limits, timers } = context.config
    this.#direct = new ChannelPool(
      { libp2p: context.libp2p, logger: context.logger, latest: (node) => node },
      {
        protocol: TOPIC_PROTOCOL,
        maxInFlight: 16,
        maxFrameBytes: limits.maxFrameBytes,
        idleStreamMs: timers.idleStreamMs,
        openTimeoutMs: timers.requestTimeoutMs,
        maxChannels: 64,
      },
    )
    this.#relays = new TopicRelays(
      {
        readHome: (op, signal) => this.call(MessageType.TOPIC_READ, op, signal),
        logger: context.logger,
        counters: context.counters,
        lifetime: context.lifetime,
      },
      {
        window: RELAY_WINDOW,
        maxTopics: MAX_RELAYED_TOPICS,
        idleMs: RELAY_IDLE_MS,
        upstreamBatch: limits.maxPageRecords,
        upstreamWaitMs: 2000,
        maxWaitMs: timers.requestTimeoutMs / 2,
        pageEntries: limits.maxPageRecords,
        pageBytes: limits.maxPageBytes,
      },
    )
    this.protocols = [
      {
        id: TOPIC_PROTOCOL,
        // the home only: a subscriber that reached another member looks the home up again
        handler: (request, ctx) =>
          this.#serveAtHome(request, ctx.signal, undefined, ctx.remotePeer.toString()),
        maxConcurrent: 16,
        maxStreams: 64,
      },
    ]
  }

  handle(request: Request, context: RequestContext): Promise<Partial<Response>> {
    return this.serve(request, context.signal, context.remotePeer.toString())
  }

  /**
   * A topic request from here or from the network (`caller`: its peer id): checked, routed
   * to the home and served there; a read `via_relay` is served by this member's relay.
   */
  async serve(
    request: Request,
    signal: AbortSignal | undefined,
    caller: string = this.#ctx.self.key,
  ): Promise<Partial<Response>> {
    const op = this.#validOp(request)
    if (request.type === MessageType.TOPIC_READ && op.viaRelay) {
      return { hops: request.hops, topicResult: await this.#relays.read(op, caller, signal) }
    }
    return this.#ctx.router.route(request, logPosition(idOf(op)), signal, (authority) =>
      this.#serveAtHome(request, signal, authority, caller),
    )
  }

  /** A topic operation as this member's own caller makes it (`peer.publish`, `subscribe`). */
  readonly call: TopicCall = async (type, op, signal) => {
    const request = requestWithDefaults({
      type,
      key: logKey(idOf(op)) as Uint8Array<ArrayBuffer>,
      topicOp: op,
      maxHops: this.#ctx.config.limits.maxHops,
    })
    const response =
      type === MessageType.TOPIC_READ && !op.viaRelay
        ? await this.#readFromHome(request, signal)
        : await this.serve(request, signal ?? this.#ctx.lifetime)
    if (response.error !== undefined && response.error !== 0) {
      throw errorFromWire(response.error, response.message ?? '')
    }
    if (response.topicResult === undefined) throw new NotReadyError('the topic home sent no result')
    return response.topicResult
  }

  /** A subscriber's fetch: straight to the home on TOPIC_PROTOCOL (here when it is this member). */
  async #readFromHome(
    request: Request,
    signal: AbortSignal | undefined,
  ): Promise<Partial<Response>> {
    const op = this.#validOp(request)
    const position = logPosition(idOf(op))
    const self = this.#ctx.self.key
    if (this.#ctx.neighbours.owns(position) === true) {
      return this.#serveAtHome(request, signal, 'owner', self)
    }
    const home = await this.#ctx.router.findSuccessor(position, signal)
    if (home.key === self) return this.#serveAtHome(request, signal, 'unsure', self)
    const { waitMs } = op
    return this.#direct.request(home, request, {
      ...(signal === undefined ? {} : { signal }),
      timeoutMs: this.#ctx.config.timers.requestTimeoutMs + waitMs,
    })
  }

  #validOp(request: Request): TopicOp {
    const op = request.topicOp
    if (op === undefined) throw new InvalidInputError('a topic request needs topic_op')
    topicBytes(op.topic)
    const limit = this.#ctx.config.limits.maxValueBytes
    const size = op.message?.byteLength ?? 0
    if (size > limit) {
      throw new ValueTooLargeError(`message is ${size} bytes; the limit is ${limit}`)
    }
    return op
  }

  async #serveAtHome(
    request: Request,
    signal: AbortSignal | undefined,
    authority: ServeAuthority | undefined,
    caller: string,
  ): Promise<Partial<Response>> {
    const op = this.#validOp(request)
    const id = idOf(op)
    // undefined: asked directly on TOPIC_PROTOCOL, by a subscriber that took this for the home
    if (authority === undefined && this.#ctx.neighbours.owns(logPosition(id)) !== true) {
      return { error: ErrorCode.NOT_READY, message: 'this member is not the topic’s home' }
    }
    const log = await this.#c.homes.open(id.space, id.name, {
      retention: this.#c.retention,
      unsure: authority === 'unsure',
      ...(signal === undefined ? {} : { signal }),
    })
    await this.#applyRetention(log)
    if (request.type === MessageType.TOPIC_PUBLISH) {
      if (op.message === undefined) throw new InvalidInputError('publish needs a message')
      const { seq } = await log.append([op.message], signal === undefined ? {} : { signal })
      return { hops: request.hops, topicResult: resultOf(log, { seq: BigInt(seq) }) }
    }
    if (request.type === MessageType.TOPIC_CONFIGURE) {
      return { hops: request.hops, topicResult: await this.#configure(log, op, signal) }
    }
    if (op.viaRelay) throw new InvalidInputError('a read via a relay is not served at the home')
    return { hops: request.hops, topicResult: await this.#readAt(log, op, caller, signal) }
  }

  /**
   * A subscriber's read at the home: served, or, once the topic has more subscribers than
   * the fan-out threshold, answered with "read through a relay". A relay's own read (and a
   * subscriber's whose relay failed) says no_redirect and is always served. Only a member
   * may speak for the subscribers behind it (relayed_subscribers); a client counts as one.
   * A client may ask no_redirect too: it then reads as every subscriber did before relays.
   */
  async #readAt(
    log: HomeLog,
    op: TopicOp,
    caller: string,
    signal: AbortSignal | undefined,
  ): Promise<TopicResult> {
    const { config, counters, members, self } = this.#ctx
    let count = this.#subscribers.get(log)
    if (count === undefined) {
      count = new SubscriberCount(SUBSCRIBER_WINDOW_MS, MAX_TRACKED_SUBSCRIBERS)
      this.#subscribers.set(log, count)
    }
    const speaksForOthers =
      op.relayedSubscribers > 1 && (caller === self.key || (await members.isMember(caller, signal)))
    count.saw(subscriberKey(caller, op), speaksForOthers ? op.relayedSubscribers : 1)
    const threshold = config.topicFanoutThreshold
    if (threshold > 0 && !op.noRedirect && caller !== self.key && count.total > threshold) {
      counters.topicReadsRedirected++
      return resultOf(log, { useRelay: true })
    }
    counters.topicReadsServed++
    return readAtHome(log, op, config, signal)
  }

  /** Store the topic's retention in its register, then keep it at this home. */
  async #configure(log: HomeLog, op: TopicOp, signal: AbortSignal | undefined) {
    if (op.retention === undefined) throw new InvalidInputError('configure needs a retention')
    // checked again here: a client's bytes may hold any number
    const wire = retentionToWire(retentionFromWire(op.retention))
    const written = await this.#registers.update(
      retentionRegisterKey(op.topic),
      () => encodeRetention(wire),
      signal === undefined ? {} : { signal },
    )
    if (!written.succeeded) throw new NotReadyError('the topic’s retention was not stored; retry')
    log.retain(effectiveRetention(wire, this.#c.retention))
    this.#configured.set(log, Promise.resolve())
    return resultOf(log, { retention: wire })
  }

  /**
   * Apply the topic's own retention (from its register) once per home, before it serves:
   * a new home keeps what the topic asked for, not only the ring's default.
   */
  #applyRetention(log: HomeLog): Promise<void> {
    const known = this.#configured.get(log)
    if (known !== undefined) return known
    // shared by every request that waits for it: bounded by the log's life, not by one asker
    const signal = AbortSignal.any([log.lost, this.#ctx.lifetime])
    const applying = this.#registers
      .read(retentionRegisterKey(log.id.name), { signal })
      .then((stored) =>
        log.retain(effectiveRetention(decodeRetention(stored.value), this.#c.retention)),
      )
    this.#configured.set(log, applying)
    applying.catch(() => {
      if (this.#configured.get(log) === applying) this.#configured.delete(log)
    })
    return applying
  }

  async stop(): Promise<void> {
    await this.#relays.stop()
    this.#direct.close()
  }
}

function idOf(op: TopicOp): { space: string; name: Uint8Array } {
  return { space: TOPIC_SPACE, name: op.topic }
}
