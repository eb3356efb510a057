import {
  ErrorCode,
  MessageType,
  type Request,
  type Response,
  requestWithDefaults,
} from '@ringdht/protocol'
import { closestPrecedingNode, inHalfOpenInterval, type RingId } from '@ringdht/ring'
import type { Counters } from '../counters.js'
import {
  errorFromWire,
  HopLimitExceededError,
  NotReadyError,
  OutcomeUnknownError,
  PeerUnreachableError,
  RequestTimeoutError,
} from '../errors.js'
import type { LivenessReports, Neighbours } from './neighbours.js'
import { OwnerCache } from './owner-cache.js'
import { peerInfoOf, type RingNode, type RingNodeCache } from './ring-node.js'
import type { MemberRequests } from './rpc/member-requests.js'
import { pathThrough } from './trace-path.js'

export interface RouterComponents {
  neighbours: Neighbours & LivenessReports
  pool: MemberRequests
  nodes: Pick<RingNodeCache, 'fromInfo'>
  counters: Pick<Counters, 'forwarded' | 'routeFailures' | 'ownerCacheHits' | 'ownerCacheStale'>
  /** Whether a peer may be a member; owners named by answers are cached only if so. */
  admits?: (peer: string) => boolean
  /** The circuit breakers' deadline for a member; default: the ceiling. */
  deadlineFor?: (node: RingNode, ceilingMs: number) => number
}

export interface RouterInit {
  maxHops: number
  requestTimeoutMs: number
  /** Bound of the owner-location cache (default DEFAULT_OWNER_CACHE_ENTRIES). */
  ownerCacheEntries?: number
}

/** Answers for an owner that failed or did not answer in time; undefined: no answer either. */
export type OwnerFallback = (
  owner: RingNode,
  signal: AbortSignal | undefined,
) => Promise<Partial<Response> | undefined>

/**
 * How this member serves a request it keeps: 'owner' when it knows it owns the position;
 * 'unsure' when it serves only because nobody better is known (its predecessor is unknown
 * or unreachable), so its own copy must not be taken as the owner's.
 */
export type ServeAuthority = 'owner' | 'unsure'

/** 'unknown': the request was sent here as to its owner, and this member cannot tell. */
type NextHop =
  | 'self'
  | 'unsure'
  | 'unknown'
  | { readonly node: RingNode; readonly toOwner: boolean; readonly cached?: true }

/** Attempts at routing around a peer that cannot be reached. */
const MAX_ROUTE_ATTEMPTS = 3

/**
 * Recursive Chord routing: a request for a position this peer does not own goes to the
 * closest preceding node it knows (or straight to its successor when the successor owns
 * the position), and the answer comes back along the same path. Answers served by an
 * owner name it and its range; a member keeps those in its owner cache and sends later
 * requests for the range straight to the owner (one hop), which still checks.
 */
export class Router {
  readonly #c: RouterComponents
  readonly #init: RouterInit
  readonly owners: OwnerCache

  constructor(components: RouterComponents, init: RouterInit) {
    this.#c = components
    this.#init = init
    this.owners = new OwnerCache(init.ownerCacheEntries)
  }

  /** A member failed or left: requests stop going to it as an owner. */
  forgetOwner(peer: string): void {
    this.owners.forget(peer)
  }

  /**
   * Where a request for `position` goes next. `arrivedToOwner` means the sender thought
   * this peer owns the position; if our predecessor says otherwise, a peer joined
   * between the sender and us, and it lies behind us: hand the request back to it.
   */
  nextHop(
    position: RingId,
    arrivedToOwner: boolean,
    exclude?: ReadonlySet<string>,
    useCache = true,
  ): NextHop {
    const m = this.#c.neighbours
    // cut off from the ring, this member still holds only its own ranges' copies
    if (m.alone) return m.cutOff ? 'unsure' : 'self'
    const owns = m.owns(position)
    if (owns === true) return 'self'
    if (owns === undefined && arrivedToOwner) {
      // our range is unknown. When we dropped our predecessor (it failed or left), the
      // sender is probably right: the range behind us is ours now, and as its replica we
      // hold it: serve it, but not as its owner. When we never knew a predecessor (just
      // restarted, and our successor still names us), the sender's view is as stale as
      // ours: refuse; the caller tries the replicas or again, and our predecessor's notify
      // ends this shortly. (Asking the ring for the owner was tried: during a join the
      // ring still names the old owner, which hands the request back.)
      return m.formerPredecessor === undefined ? 'unknown' : 'unsure'
    }
    if (arrivedToOwner && m.predecessor !== undefined) {
      // the predecessor we would hand back to is gone: we are the next live peer, and
      // (as its first replica) we hold its range: serve it, not yet as its owner
      if (exclude?.has(m.predecessor.key)) return 'unsure'
      return { node: m.predecessor, toOwner: true }
    }
    const successor = m.successors.find((s) => !exclude?.has(s.key))
    if (successor === undefined) return 'self'
    if (inHalfOpenInterval(position, m.self.id, successor.id)) {
      return { node: successor, toOwner: true }
    }
    const cached = useCache ? this.owners.ownerOf(position) : undefined
    if (cached !== undefined && cached.key !== m.self.key && !exclude?.has(cached.key)) {
      return { node: cached, toOwner: true, cached: true }
    }
    const candidates =
      exclude === undefined || exclude.size === 0
        ? m.routingCandidates()
        : m.routingCandidates().filter((n) => !exclude.has(n.key))
    const closest = closestPrecedingNode(m.self.id, position, candidates)
    return { node: closest ?? successor, toOwner: false }
  }

  /**
   * Serve `request` for `position`: locally when this peer owns it, otherwise forward
   * it one hop (hops + 1) and relay the answer. Peers that cannot be reached are
   * reported to membership and routed around. When the hop to the (presumed) owner
   * fails or times out, `ownerFailed` may answer instead (gets ask the replicas).
   */
  async route(
    request: Request,
    position: RingId,
    signal: AbortSignal | undefined,
    serveLocally: (authority: ServeAuthority) => Promise<Partial<Response>>,
    ownerFailed?: OwnerFallback,
  ): Promise<Partial<Response>> {
    let exclude: Set<string> | undefined
    let lastError: Error | undefined
    let useCache = true
    for (let attempt = 0; attempt < MAX_ROUTE_ATTEMPTS; attempt++) {
      const hop = this.nextHop(position, request.toOwner, exclude, useCache)
      if (hop === 'self') {
        return this.#servedByOwner(request, position, await serveLocally('owner'))
      }
      if (hop === 'unsure') return serveLocally('unsure')
      if (hop === 'unknown') {
        throw new NotReadyError('this member does not know its range yet (it just returned); retry')
      }
      if (request.hops >= request.maxHops || request.hops >= this.#init.maxHops) {
        throw new HopLimitExceededError(
          `request reached the hop limit (${Math.min(request.maxHops, this.#init.maxHops)}) without finding the owner`,
        )
      }
      const forwarded: Partial<Request> = {
        ...request,
        hops: request.hops + 1,
        toOwner: hop.toOwner,
        path: pathThrough(request, this.#c.neighbours.self.key),
      }
      try {
        const toOwnerWithFallback = hop.toOwner && ownerFailed !== undefined
        const response = await this.#c.pool.request(hop.node, forwarded, {
          ...(signal === undefined ? {} : { signal }),
          // leave time to ask the replicas when the owner does not answer, and do not
          // wait much longer than the owner usually takes
          timeoutMs: toOwnerWithFallback
            ? this.#ownerDeadline(hop.node)
            : this.#init.requestTimeoutMs,
        })
        this.#c.counters.forwarded++
        const learned = this.#learnOwner(request.type, response)
        if (hop.cached === true) {
          this.#c.counters.ownerCacheHits++
          if (learned?.key !== hop.node.key) {
            // the cached member no longer owns the position (or could not tell): its entry
            // goes (learning the real owner's range may have dropped it already)
            this.owners.forget(hop.node.key)
            this.#c.counters.ownerCacheStale++
            if (response.error === ErrorCode.NOT_READY) {
              // it just returned and does not know its range: route as if we knew nothing
              useCache = false
              attempt--
              continue
            }
          }
        }
        return response
      } catch (err) {
        if (hop.cached === true) {
          // the cached owner is gone or slow: forget it, and route as usual from now on
          if (this.owners.forget(hop.node.key)) this.#c.counters.ownerCacheStale++
          useCache = false
        }
        const fastFailure = err instanceof PeerUnreachableError
        if (
          hop.toOwner &&
          ownerFailed !== undefined &&
          (fastFailure || err instanceof RequestTimeoutError)
        ) {
          if (fastFailure) this.#c.neighbours.reportFailure(hop.node)
          const answer = await ownerFailed(hop.node, signal)
          if (answer !== undefined) return answer
        }
        // only fast failures are retried elsewhere; a timeout has already spent the budget,
        // and anything but a get that may have arrived could be applied twice
        if (!fastFailure) {
          // a get keeps half its budget after a cached owner's deadline: the ring may answer
          if (
            hop.cached === true &&
            err instanceof RequestTimeoutError &&
            request.type === MessageType.GET &&
            !signal?.aborted
          ) {
            lastError = err
            continue
          }
          throw err
        }
        if (err.mayHaveArrived && request.type !== MessageType.GET) {
          // said as OUTCOME_UNKNOWN, not PEER_UNREACHABLE: on the wire the flag is lost, and
          // a caller told "unreachable" would send the write again (a cas applied twice)
          throw new OutcomeUnknownError(
            `${err.message}: the request reached the next member and may have been applied`,
          )
        }
        this.#c.counters.routeFailures++
        if (!(hop.toOwner && ownerFailed !== undefined)) this.#c.neighbours.reportFailure(hop.node)
        exclude ??= new Set()
        exclude.add(hop.node.key)
        lastError = err
      }
    }
    throw lastError ?? new PeerUnreachableError('no route')
  }

  /** An owner's answer to a forwarded request names it and its range, for the callers' caches. */
  #servedByOwner(
    request: Request,
    position: RingId,
    response: Partial<Response>,
  ): Partial<Response> {
    const m = this.#c.neighbours
    const predecessor = m.predecessor
    if (request.hops === 0 || (response.error ?? 0) !== 0) return response
    if (predecessor === undefined || m.owns(position) !== true) return response
    return { ...response, servedBy: peerInfoOf(m.self), ownerAfter: predecessor.id }
  }

  /** Cache the owner an answer names (find_successor: its `peer`); returns it. */
  #learnOwner(type: number, response: Partial<Response>): RingNode | undefined {
    if (response.ownerAfter === undefined) return undefined
    const info =
      response.servedBy ?? (type === MessageType.FIND_SUCCESSOR ? response.peer : undefined)
    const owner = this.#c.nodes.fromInfo(info)
    if (owner === undefined || owner.key === this.#c.neighbours.self.key) return undefined
    if (this.#c.admits !== undefined && !this.#c.admits(owner.key)) return undefined
    this.owners.learn(owner, response.ownerAfter)
    return owner
  }

  #ownerDeadline(node: RingNode): number {
    const ceiling = Math.max(1, Math.floor(this.#init.requestTimeoutMs / 2))
    return this.#c.deadlineFor?.(node, ceiling) ?? ceiling
  }

  /** find_successor(target) handler: the owner of `target`, found recursively. */
  async handleFindSuccessor(request: Request, signal: AbortSignal): Promise<Partial<Response>> {
    const target = request.target
    if (target === undefined) return { error: 3, message: 'find_successor needs a target' }
    const m = this.#c.neighbours
    const successor = m.successor
    if (!m.alone && inHalfOpenInterval(target, m.self.id, successor.id)) {
      return { peer: peerInfoOf(successor), hops: request.hops, ownerAfter: m.self.id }
    }
    return this.route(request, target, signal, async () => ({
      peer: peerInfoOf(m.self),
      hops: request.hops,
    }))
  }

  /** The peer that owns `id`, looked up from here. */
  async findSuccessor(id: RingId, signal?: AbortSignal): Promise<RingNode> {
    const request = requestWithDefaults({
      type: MessageType.FIND_SUCCESSOR,
      maxHops: this.#init.maxHops,
      target: id,
    })
    const response = await this.handleFindSuccessor(request, signal ?? new AbortController().signal)
    if (response.error !== undefined && response.error !== 0) {
      throw errorFromWire(response.error, response.message ?? '')
    }
    const node = this.#c.nodes.fromInfo(response.peer)
    if (node === undefined) throw new PeerUnreachableError('find_successor gave no usable peer')
    return node
  }
}
