import { peerIdFromString } from '@libp2p/peer-id'
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr'
import { ErrorCode, MessageType, type Request, type Response } from '@ringdht/protocol'
import { ringIdOf } from '@ringdht/ring'
import type { Logger } from 'pino'
import { CircuitBreakers } from '../core/health/circuit-breaker.js'
import { type RingNode, ringNode } from '../core/ring-node.js'
import type { RpcChannel } from '../core/rpc/channel.js'
import { errorFromWire, PeerUnreachableError, RequestTimeoutError } from '../errors.js'
import type { OperationOptions } from '../operations.js'
import type { DialledMember } from './dialled-member.js'
import { RingView, type ViewMember } from './ring-view.js'
import { walkRing } from './ring-walk.js'

/** Least time between two view refreshes triggered by misses or errors. */
export const MIN_REFRESH_INTERVAL_MS = 1_000

/** Wire errors after which a direct request is retried elsewhere rather than reported. */
export const RETRYABLE_CODES: ReadonlySet<number> = new Set([
  ErrorCode.TIMEOUT,
  ErrorCode.PEER_UNREACHABLE,
  ErrorCode.NOT_READY,
  ErrorCode.BUSY,
])

/** Channels to the members other than the dialled one: the client's `ChannelPool`. */
export interface MemberChannels {
  channel(node: RingNode): Pick<RpcChannel, 'request'>
  /** Close the channel to this peer id (its addresses changed). */
  drop(key: string): void
  /** Close the channels to every peer id not in `keys` (members that left the view). */
  retain(keys: ReadonlySet<string>): void
  close(): void
}

/** What direct routing talks to: the dialled member and the pool of the others. */
export interface DirectRoutingComponents {
  /** Walks the ring for the view, and routes whatever the view cannot. */
  dialled: Pick<DialledMember, 'channel' | 'call' | 'statusOf'>
  channels: MemberChannels
  logger: Logger
}

/** Validated by `createClient`. */
export interface DirectRoutingInit {
  /** How often the view is refreshed (jittered ±20%). */
  refreshMs: number
  /** Copies of each key: a get tries the owner and then the next replicas - 1. */
  replicas: number
  /** Deadline of each request, and of one view refresh. */
  timeoutMs: number
  maxHops: number
}

/** An answer a member gave, or the failure that means "try elsewhere". */
type Attempt = { response: Response } | { retry: Error }

/**
 * Owner-direct routing for a client: keeps a view of the ring (refreshed every
 * `refreshMs`, and soon after a request shows it is stale) and sends each get/put/delete
 * straight to the key's owner, one request and no forwards. A get that cannot reach the
 * owner tries its replicas; anything else the view gets wrong goes through the dialled
 * member, which routes as usual.
 */
export class DirectRouting {
  readonly #components: DirectRoutingComponents
  readonly #init: DirectRoutingInit
  #view: RingView | undefined
  /** The view's members as the channel pool addresses them, by peer id. */
  #nodes = new Map<string, RingNode>()
  #dialledPeerId: string | undefined
  #refreshing: Promise<void> | undefined
  #lastRefreshAt = 0
  #refreshTimer: NodeJS.Timeout | undefined
  #closed = false
  /**
   * A member that stopped answering (paused, cut off) is skipped at once rather than
   * waited for request after request; a get to an owner waits a deadline fitted to its
   * round trips before its replicas are asked.
   */
  readonly #breakers: CircuitBreakers

  constructor(components: DirectRoutingComponents, init: DirectRoutingInit) {
    this.#components = components
    this.#init = init
    this.#breakers = new CircuitBreakers(
      { request: () => Promise.reject(new Error('members are asked through guard()')) },
      {
        phiThreshold: 8,
        timeoutsToOpen: 2,
        minDeadlineMs: Math.min(1000, Math.floor(init.timeoutMs / 4)),
        openMs: 1000,
        maxOpenMs: 8000,
      },
    )
  }

  /** Members in the current view; 0 before the first refresh succeeds. */
  get size(): number {
    return this.#view?.size ?? 0
  }

  /**
   * A get/put/delete: straight to the owner when the view knows it (then to the owner's
   * replicas, for a get), through the dialled member otherwise or when that fails.
   */
  async request(request: Partial<Request>, options: OperationOptions): Promise<Response> {
    const dialled = this.#components.dialled
    if (this.#closed) return dialled.call(request, options)
    const view = this.#view
    if (view === undefined) {
      this.#scheduleRefresh()
      return dialled.call(request, options)
    }
    const isGet = request.type === MessageType.GET
    for (const member of candidatesFor(view, request, this.#init.replicas)) {
      options.signal?.throwIfAborted()
      const attempt = await this.#tryMember(member, request, options, isGet)
      if ('response' in attempt) {
        // forwards mean the view is out of date (a member joined or left)
        if (attempt.response.hops > 0) this.#scheduleRefresh()
        return attempt.response
      }
      this.#components.logger.debug(
        { member: member.peerId, err: attempt.retry },
        'direct request failed',
      )
      this.#scheduleRefresh()
      // a write that timed out, or whose connection dropped after it went out, may have
      // been applied: report it rather than resend it
      if (!isGet && mayHaveArrived(attempt.retry)) throw attempt.retry
    }
    return dialled.call(request, options)
  }

  /** Learn the ring now, even while a refresh runs; resolves with the view's size. */
  async refresh(): Promise<number> {
    await this.#refresh(true)
    return this.size
  }

  /** Stop refreshing and close the channels to members; later requests go via the dialled one. */
  close(): void {
    this.#closed = true
    clearTimeout(this.#refreshTimer)
    this.#components.channels.close()
  }

  async #tryMember(
    member: ViewMember,
    request: Partial<Request>,
    options: OperationOptions,
    isGet: boolean,
  ): Promise<Attempt> {
    const channel = this.#channelTo(member)
    if (channel === undefined) {
      return { retry: new PeerUnreachableError(`no usable address for ${member.peerId}`) }
    }
    const budget = directTimeoutMs(this.#init.timeoutMs, isGet)
    try {
      const response = await this.#breakers.guard(member.peerId, () =>
        channel.request(
          {
            hops: 0,
            maxHops: this.#init.maxHops,
            trace: options.trace ?? false,
            ...request,
            // "you own this": a member that does not hands it back towards the owner
            toOwner: true,
          },
          {
            ...(options.signal === undefined ? {} : { signal: options.signal }),
            // a write keeps its whole budget: one that timed out is reported, not resent
            timeoutMs: isGet ? this.#breakers.deadlineFor({ key: member.peerId }, budget) : budget,
          },
        ),
      )
      if (response.error === 0) return { response }
      const err = errorFromWire(response.error, response.message)
      if (RETRYABLE_CODES.has(response.error)) return { retry: err }
      throw err
    } catch (err) {
      if (err instanceof PeerUnreachableError || err instanceof RequestTimeoutError) {
        return { retry: err }
      }
      throw err
    }
  }

  /** The dialled member's own channel for it, else the pooled one (undefined: no peer id). */
  #channelTo(member: ViewMember): Pick<RpcChannel, 'request'> | undefined {
    if (member.peerId === this.#dialledPeerId) return this.#components.dialled.channel
    const node = this.#nodes.get(member.peerId)
    return node === undefined ? undefined : this.#components.channels.channel(node)
  }

  /** Refresh soon, unless one ran (or runs) recently. */
  #scheduleRefresh(): void {
    if (this.#closed || this.#refreshing !== undefined) return
    if (Date.now() - this.#lastRefreshAt < MIN_REFRESH_INTERVAL_MS) return
    void this.#refresh(false).catch(() => {})
  }

  #refresh(force: boolean): Promise<void> {
    if (this.#refreshing !== undefined && !force) return this.#refreshing
    const run = (this.#refreshing ?? Promise.resolve())
      .then(() => this.#learnRing())
      .finally(() => {
        if (this.#refreshing === run) this.#refreshing = undefined
      })
    this.#refreshing = run
    return run
  }

  /** Walk the ring and keep the view; a failed walk keeps the previous view. */
  async #learnRing(): Promise<void> {
    if (this.#closed) return
    this.#lastRefreshAt = Date.now()
    try {
      const walked = await walkRing(this.#components.dialled.statusOf, {
        signal: AbortSignal.timeout(this.#init.timeoutMs),
        everyMember: false,
      })
      if (this.#closed) return
      this.#dialledPeerId = walked[0]?.member.peerId
      // members that did not answer stay: the ring still routes their keys to them
      this.#install(new RingView(walked.map((w) => w.member)))
    } catch (err) {
      this.#components.logger.debug({ err }, 'ring view refresh failed')
    } finally {
      this.#armRefreshTimer()
    }
  }

  #install(view: RingView): void {
    const nodes = new Map<string, RingNode>()
    for (const member of view.members) {
      const known = this.#nodes.get(member.peerId)
      const node = nodeOfMember(member)
      if (node === undefined) continue
      if (known !== undefined && sameAddresses(known.multiaddrs, node.multiaddrs)) {
        nodes.set(member.peerId, known)
        continue
      }
      // a restarted member listens elsewhere: its next channel dials the new addresses
      if (known !== undefined) this.#components.channels.drop(member.peerId)
      nodes.set(member.peerId, node)
    }
    this.#components.channels.retain(new Set(nodes.keys()))
    this.#nodes = nodes
    this.#view = view
  }

  #armRefreshTimer(): void {
    if (this.#closed) return
    clearTimeout(this.#refreshTimer)
    const delay = this.#init.refreshMs * (0.8 + 0.4 * Math.random())
    this.#refreshTimer = setTimeout(() => {
      this.#refreshTimer = undefined
      void this.#refresh(false).catch(() => {})
    }, delay)
    // a client waiting for its next refresh should not keep the process alive
    this.#refreshTimer.unref()
  }
}

/**
 * The members a direct request goes to, in order: the key's owner, then, for a get, the
 * next replicas - 1 (they hold copies); writes go to the owner alone, which replicates.
 */
export function candidatesFor(
  view: RingView,
  request: Partial<Request>,
  replicas: number,
): ViewMember[] {
  const isGet = request.type === MessageType.GET
  return view.ownerAndSuccessors(ringIdOf(request.key as Uint8Array), isGet ? replicas - 1 : 0)
}

function mayHaveArrived(err: Error): boolean {
  return (
    err instanceof RequestTimeoutError ||
    (err instanceof PeerUnreachableError && err.mayHaveArrived)
  )
}

/** A get keeps half its budget for the replicas and the dialled member; a write gets it all. */
export function directTimeoutMs(timeoutMs: number, isGet: boolean): number {
  return isGet ? Math.max(1, Math.floor(timeoutMs / 2)) : timeoutMs
}

/** The member as the channel pool knows peers; undefined when its peer id does not parse. */
function nodeOfMember(member: ViewMember): RingNode | undefined {
  try {
    const addrs: Multiaddr[] = []
    for (const ma of member.multiaddrs) {
      try {
        addrs.push(multiaddr(ma))
      } catch {
        // an address we cannot parse; the others may still reach the member
      }
    }
    return ringNode(peerIdFromString(member.peerId), addrs)
  } catch {
    return undefined
  }
}

function sameAddresses(a: readonly Multiaddr[], b: readonly Multiaddr[]): boolean {
  return a.length === b.length && a.every((ma, i) => ma.equals(b[i] as Multiaddr))
}
