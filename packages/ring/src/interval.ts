import { clockwiseDistance, type RingId } from './ring-id.js'

/*
 * Intervals on the ring go clockwise from `start` to `end` and may wrap past zero.
 * As in Chord, an interval whose ends are equal covers the whole ring (minus the end
 * itself when that end is open): a lone node owns every key, (n, n] is everything.
 */

/** x ∈ (start, end) */
export function inOpenInterval(x: RingId, start: RingId, end: RingId): boolean {
  if (start === end) return x !== start
  const span = clockwiseDistance(start, end)
  const offset = clockwiseDistance(start, x)
  return offset > 0n && offset < span
}

/** x ∈ (start, end] — the range a node owns: (predecessor, self]. */
export function inHalfOpenInterval(x: RingId, start: RingId, end: RingId): boolean {
  if (start === end) return true
  const span = clockwiseDistance(start, end)
  const offset = clockwiseDistance(start, x)
  return offset > 0n && offset <= span
}

/** x ∈ [start, end) */
export function inRightOpenInterval(x: RingId, start: RingId, end: RingId): boolean {
  if (start === end) return true
  const span = clockwiseDistance(start, end)
  return clockwiseDistance(start, x) < span
}

/** x ∈ [start, end] */
export function inClosedInterval(x: RingId, start: RingId, end: RingId): boolean {
  if (start === end) return x === start
  return clockwiseDistance(start, x) <= clockwiseDistance(start, end)
}
