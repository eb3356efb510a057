import { inHalfOpenInterval, RING_BITS, type RingId } from '@ringdht/ring'
import type { Neighbours } from './neighbours.js'
import type { RingNode } from './ring-node.js'

/**
 * The state of a member's place in the ring and the read-only answers every other
 * component gets from it (the Neighbours view). Membership, which extends it, is the only
 * one that changes it.
 */
export class NeighbourView implements Neighbours {
  readonly self: RingNode
  protected successorList: RingNode[]
  /** Alone because every neighbour failed (see Neighbours.cutOff). */
  protected isCutOff = false
  protected currentPredecessor: RingNode | undefined
  /** The predecessor dropped last (see Neighbours.formerPredecessor). */
  protected lastDroppedPredecessor: RingNode | undefined
  protected readonly fingerTable: Array<RingNode | undefined> = new Array(RING_BITS).fill(undefined)
  protected candidateCache: RingNode[] | undefined

  constructor(self: RingNode) {
    this.self = self
    this.successorList = [self]
  }

  get successor(): RingNode {
    return this.successorList[0] ?? this.self
  }

  get successors(): readonly RingNode[] {
    return this.successorList
  }

  get predecessor(): RingNode | undefined {
    return this.currentPredecessor
  }

  get formerPredecessor(): RingNode | undefined {
    return this.currentPredecessor === undefined ? this.lastDroppedPredecessor : undefined
  }

  get fingers(): readonly (RingNode | undefined)[] {
    return this.fingerTable
  }

  get alone(): boolean {
    return this.successor === this.self
  }

  get cutOff(): boolean {
    return this.isCutOff
  }

  /** True/false when the predecessor is known; undefined when this peer's range is unknown. */
  owns(position: RingId): boolean | undefined {
    if (this.currentPredecessor === undefined) return this.alone ? true : undefined
    return inHalfOpenInterval(position, this.currentPredecessor.id, this.self.id)
  }

  /** Distinct fingers and successors other than self: where lookups may go next. */
  routingCandidates(): readonly RingNode[] {
    if (this.candidateCache === undefined) {
      const byKey = new Map<string, RingNode>()
      for (const node of [...this.successorList, ...this.fingerTable]) {
        if (node !== undefined && node.key !== this.self.key) byKey.set(node.key, node)
      }
      this.candidateCache = [...byKey.values()]
    }
    return this.candidateCache
  }
}
