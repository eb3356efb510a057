import { RING_SIZE, type RingId } from './ring-id.js'

/*
 * Intervals on the ring go clockwise from `start` to `end` and may wrap past zero.
 * As in Chord, an interval whose ends are equal covers the whole ring (minus the end
 * itself when both ends are open): a lone node owns every key, (n, n] is everything.
 *
 * Each test is written once for a ring of any power-of-two size (`mask` = size - 1) so
 * the tests can check it against brute force on a small ring; the exported functions
 * fix the size to the 64-bit ring.
 */

const RING_MASK = RING_SIZE - 1n

/** x ∈ (start, end) */
export function inOpenInterval(x: RingId, start: RingId, end: RingId): boolean {
  return inOpenOnRing(x, start, end, RING_MASK)
}

/** x ∈ (start, end] — the range a node owns: (predecessor, self]. */
export function inHalfOpenInterval(x: RingId, start: RingId, end: RingId): boolean {
  return inHalfOpenOnRing(x, start, end, RING_MASK)
}

/** x ∈ [start, end) */
export function inRightOpenInterval(x: RingId, start: RingId, end: RingId): boolean {
  return inRightOpenOnRing(x, start, end, RING_MASK)
}

/** x ∈ [start, end]; with start = end, the whole ring. */
export function inClosedInterval(x: RingId, start: RingId, end: RingId): boolean {
  return inClosedOnRing(x, start, end, RING_MASK)
}

/** @internal (start, end) on a ring of mask + 1 positions. */
export function inOpenOnRing(x: bigint, start: bigint, end: bigint, mask: bigint): boolean {
  if (start === end) return x !== start
  const offset = (x - start) & mask
  return offset > 0n && offset < ((end - start) & mask)
}

/** @internal (start, end] on a ring of mask + 1 positions. */
export function inHalfOpenOnRing(x: bigint, start: bigint, end: bigint, mask: bigint): boolean {
  if (start === end) return true
  const offset = (x - start) & mask
  return offset > 0n && offset <= ((end - start) & mask)
}

/** @internal [start, end) on a ring of mask + 1 positions. */
export function inRightOpenOnRing(x: bigint, start: bigint, end: bigint, mask: bigint): boolean {
  if (start === end) return true
  return ((x - start) & mask) < ((end - start) & mask)
}

/** @internal [start, end] on a ring of mask + 1 positions. */
export function inClosedOnRing(x: bigint, start: bigint, end: bigint, mask: bigint): boolean {
  if (start === end) return true
  return ((x - start) & mask) <= ((end - start) & mask)
}
