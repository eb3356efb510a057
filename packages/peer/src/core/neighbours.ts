import type { RingId } from '@ringdht/ring'
import type { RingNode } from './ring-node.js'

/**
 * A read-only view of this member's place in the ring: who it is, who comes before and
 * after it, and which range it owns. Routing, replication and every capability read the
 * ring through this; only Membership (and the join protocol) change it.
 */
export interface Neighbours {
  readonly self: RingNode
  /** The first live successor, or self when this member is alone. */
  readonly successor: RingNode
  /** The successor list, nearest first (self alone when this member is alone). */
  readonly successors: readonly RingNode[]
  readonly predecessor: RingNode | undefined
  /**
   * While no predecessor is known, the one dropped last (it failed or left): the range
   * from it to this member is still surely this member's (a member joining in between
   * would have notified it). Undefined once a predecessor is known again, or when none
   * ever was (just started).
   */
  readonly formerPredecessor: RingNode | undefined
  readonly fingers: readonly (RingNode | undefined)[]
  /** True when this member knows no other member. */
  readonly alone: boolean
  /**
   * True when this member is alone because every neighbour stopped answering (it may be
   * cut off by a partition or an overloaded host), not because the ring has one member:
   * it must not take itself for the owner of every key.
   */
  readonly cutOff: boolean
  /** True/false when the predecessor is known; undefined when this member's range is unknown. */
  owns(position: RingId): boolean | undefined
  /** Distinct fingers and successors other than self: where lookups may go next. */
  routingCandidates(): readonly RingNode[]
}

/** What a component that talks to other members tells membership about them. */
export interface LivenessReports {
  /** A request to `node` failed; enough failures in a row drop it. */
  reportFailure(node: RingNode): void
}
