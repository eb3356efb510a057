import type { Libp2p } from '@libp2p/interface'
import type { MessageType, Request, Response } from '@ringdht/protocol'
import type { RingId } from '@ringdht/ring'
import type { Logger } from 'pino'
import type { PeerConfig } from '../config.js'
import type { Counters } from '../counters.js'
import type { Emit } from '../events.js'
import type { FormerRing } from './former-ring.js'
import type { Members } from './member-check.js'
import type { LivenessReports, Neighbours } from './neighbours.js'
import type { PauseWatch } from './pause-watch.js'
import type { RingNode, RingNodeCache } from './ring-node.js'
import type { Router } from './router.js'
import type { MemberRequests } from './rpc/member-requests.js'
import type { RequestContext, RequestHandler } from './rpc/server.js'
import type { PeerStatus } from './status.js'

/**
 * What the ring core offers a capability: the ring as this member sees it, routing
 * toward the owner of a position, requests to other members, and the member's shared
 * plumbing. A capability reads the ring; only the core changes it.
 */
export interface CapabilityContext {
  readonly config: PeerConfig
  readonly self: RingNode
  readonly neighbours: Neighbours & LivenessReports
  readonly router: Pick<Router, 'route' | 'findSuccessor'>
  readonly pool: MemberRequests
  /**
   * A deadline for one request to `node` when the caller can ask another member instead:
   * fitted to the member's round trips, at most `ceilingMs` (circuit breakers).
   */
  deadlineFor(node: RingNode, ceilingMs: number): number
  readonly nodes: RingNodeCache
  readonly counters: Counters
  readonly logger: Logger
  readonly emit: Emit
  /** Dial a protocol of a member (a capability's own bulk protocol). */
  readonly libp2p: Pick<Libp2p, 'dialProtocol'>
  /** Aborted when the member stops for good (stop or crash). */
  readonly lifetime: AbortSignal
  /**
   * Whether this member's process was just paused; `tick` looks at the clock now (before
   * acting on something that may have waited out the pause). See `Capability.resumed`.
   */
  readonly pauses: Pick<PauseWatch, 'tick' | 'justResumed'>
  /** After a restart: whether a read that found nothing may say absent (see FormerRing). */
  readonly formerRing: Pick<FormerRing, 'mayAnswerAbsent'>
  /**
   * Members and clients told apart by the authenticated caller (`RequestContext.remotePeer`):
   * check before serving anything only members may ask for.
   */
  readonly members: Members
  /**
   * Forward `request` to the member it names in `relayTo` and return that member's
   * answer; undefined when it names no other member (serve it here).
   */
  relay(request: Request, context: RequestContext): Promise<Partial<Response> | undefined>
}

/** A libp2p protocol of a capability's own, beside the ring's RPC protocol. */
export interface CapabilityProtocol {
  readonly id: string
  readonly handler: RequestHandler
  /** Requests served at once per stream. */
  readonly maxConcurrent: number
  /** Inbound (and outbound) streams of this protocol per connection. */
  readonly maxStreams: number
}

/** This member has joined a ring through `successor`. */
export interface JoinedEvent {
  readonly successor: RingNode
  /**
   * The start of the range this member took over from its successor, (takenOverFrom,
   * self]; undefined when it started a new ring or took nothing over.
   */
  readonly takenOverFrom: RingId | undefined
}

/**
 * A service that runs on the ring: key/value, coordination, messaging, tasks. It
 * declares the request types it serves, and the core calls its hooks as the member
 * joins, as the ranges it holds move, and as it leaves and stops. The core never
 * imports a capability; the composition root registers them.
 */
export interface Capability {
  /** Unique among the member's capabilities; used in logs and errors. */
  readonly name: string
  /** Request types of the ring's RPC protocol that `handle` serves. */
  readonly handles: readonly MessageType[]
  handle(request: Request, context: RequestContext): Promise<Partial<Response>>
  /** Protocols of its own (bulk transfer), registered on the libp2p node at start. */
  readonly protocols?: readonly CapabilityProtocol[]
  /** The member joined (or started) a ring: start background work, take ranges over. */
  joined?(event: JoinedEvent): void
  /** The successor or the predecessor changed: the ranges this member holds moved. */
  rangesChanged?(): void
  /**
   * This member's process stood still for about `pausedMs` (SIGSTOP, a suspended VM) and
   * runs again. Its view of the ring looks unchanged, but the others may have taken its
   * ranges over meanwhile: treat it like a return to the ring.
   */
  resumed?(pausedMs: number): void
  /**
   * Fields of `status()` this capability reports (key counts for the key/value store).
   * `range` is this member's primary range (start, end].
   */
  describe?(range: { start: RingId; end: RingId }): Promise<Partial<PeerStatus>>
  /**
   * Graceful leave, before the core tells its neighbours: stop background work, let
   * in-flight work finish, hand state off. Bounded by `signal`.
   */
  leave?(signal: AbortSignal): Promise<void>
  /** The member stops (after leave, or at once on crash): end everything still running. */
  stop?(): Promise<void>
}

/** Builds a capability from what the core offers; `createPeer({ capabilities })` takes these. */
export type CapabilityFactory = (context: CapabilityContext) => Capability
