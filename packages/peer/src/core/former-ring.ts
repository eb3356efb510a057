import { type RingId, SortedRing } from '@ringdht/ring'
import type { Neighbours } from './neighbours.js'
import type { RingNode } from './ring-node.js'

/**
 * The ring this member was part of before it restarted (the neighbours it remembered),
 * until those members are back. After a restart of many members, the first few back form
 * a small ring whose members own the ranges of those not back yet, and hold only some of
 * their keys (a write is acknowledged on W of the r replicas, not all): a get for such a
 * key found nothing and was answered "absent", though the key was acknowledged and is
 * still on disk at members on their way back. A member says "absent" for a key only once
 * every member of the key's replica set in the former ring is back in its view, or the
 * grace period has run out (a member that never returns must not block reads for ever);
 * until then such a get is refused as NOT_READY, which callers retry.
 */
export class FormerRing {
  readonly #self: RingNode
  readonly #replicas: number
  readonly #graceMs: number
  readonly #now: () => number
  #ring: SortedRing | undefined
  /** Former members (peer ids by ring id) not seen back yet. */
  #missing = new Map<RingId, string>()
  #until = 0

  constructor(self: RingNode, replicas: number, graceMs: number, now: () => number = Date.now) {
    this.#self = self
    this.#replicas = replicas
    this.#graceMs = graceMs
    this.#now = now
  }

  /** The members remembered from the last run (others than self); none: no former ring. */
  restore(remembered: readonly RingNode[]): void {
    if (remembered.length === 0) return
    this.#ring = new SortedRing([this.#self.id, ...remembered.map((n) => n.id)])
    this.#missing = new Map(remembered.map((n) => [n.id, n.key]))
    this.#until = this.#now() + this.#graceMs
  }

  /** Whether a guard is still up (members missing and the grace period not over). */
  get active(): boolean {
    if (this.#ring === undefined) return false
    if (this.#missing.size === 0 || this.#now() >= this.#until) {
      this.#ring = undefined
      this.#missing.clear()
      return false
    }
    return true
  }

  /**
   * Whether a get for `position` that found nothing may say "absent": yes unless a member
   * of the position's former replica set is not back in this member's view yet.
   */
  mayAnswerAbsent(
    position: RingId,
    neighbours: Pick<Neighbours, 'successors' | 'predecessor'>,
  ): boolean {
    if (!this.active) return true
    this.#noteBack(neighbours)
    const ring = this.#ring
    if (ring === undefined || !this.active) return true
    return ring.successors(position, this.#replicas).every((id) => !this.#missing.has(id))
  }

  /** Former members that are in this member's successor list or its predecessor are back. */
  #noteBack(neighbours: Pick<Neighbours, 'successors' | 'predecessor'>): void {
    for (const node of neighbours.successors) this.#missing.delete(node.id)
    if (neighbours.predecessor !== undefined) this.#missing.delete(neighbours.predecessor.id)
  }
}
