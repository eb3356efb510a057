import { inOpenInterval } from './interval.js'
import { clockwiseDistance, RING_BITS, type RingId, ringAdd } from './ring-id.js'
import type { SortedRing } from './sorted-ring.js'

/** Anything that sits on the ring: a bare id, a peer reference, a virtual node. */
export interface RingMember {
  readonly id: RingId
}

/** Where finger i of node n starts: n + 2^i (mod ring size), 0 ≤ i < RING_BITS. */
export function fingerStart(self: RingId, index: number): RingId {
  if (!Number.isInteger(index) || index < 0 || index >= RING_BITS) {
    throw new RangeError(`finger index must be in [0, ${RING_BITS}), got ${index}`)
  }
  return ringAdd(self, 1n << BigInt(index))
}

/** finger[i] = successor(self + 2^i), from a global view of the ring (simulator, tests). */
export function buildFingerTable(self: RingId, ring: SortedRing): RingId[] {
  const fingers: RingId[] = []
  for (let i = 0; i < RING_BITS; i++) fingers.push(ring.successor(fingerStart(self, i)))
  return fingers
}

/**
 * Chord's closest_preceding_node: of the candidates (fingers and successor list), the
 * one that most closely precedes `key`, i.e. lies in (self, key) and is nearest to
 * key. Undefined when no candidate lies in (self, key): then self's successor owns it.
 * The simulator and the network code both route with this one function.
 */
export function closestPrecedingNode<T extends RingMember>(
  self: RingId,
  key: RingId,
  candidates: Iterable<T>,
): T | undefined {
  let best: T | undefined
  for (const candidate of candidates) {
    if (!inOpenInterval(candidate.id, self, key)) continue
    // nearer to key = further from self, clockwise, within (self, key)
    if (best === undefined || inOpenInterval(best.id, self, candidate.id)) best = candidate
  }
  return best
}

/**
 * The successor list a node keeps: `length` distinct members after `self`, clockwise,
 * drawn from everything it has heard of (its successor's list, notifications). Self is
 * never in its own list.
 */
export function mergeSuccessorList<T extends RingMember>(
  self: RingId,
  candidates: Iterable<T>,
  length: number,
): T[] {
  const byId = new Map<RingId, T>()
  for (const c of candidates) if (c.id !== self && !byId.has(c.id)) byId.set(c.id, c)
  return [...byId.values()]
    .sort((a, b) => {
      const da = clockwiseDistance(self, a.id)
      const db = clockwiseDistance(self, b.id)
      return da < db ? -1 : da > db ? 1 : 0
    })
    .slice(0, length)
}
