/*
 * Ring ranges as the stores see them. A range (start, end] goes clockwise and may wrap
 * past zero; start === end is the whole ring (as in @ringdht/ring's inHalfOpenInterval).
 * Stores keep records sorted by (position, key), so a range is one or two runs of that
 * order that do not wrap: spans. Records come out clockwise from `start`, which is
 * (position, key) order within each span.
 */

/** Largest ring position. */
export const MAX_POSITION: bigint = (1n << 64n) - 1n
const RING_SIZE = 1n << 64n

/** Where a paginated scan resumes: strictly after this (position, key). */
export interface RangeCursor {
  readonly position: bigint
  readonly key: Uint8Array
}

/** A run of positions [from, to], both inclusive, that does not wrap. */
export interface PositionSpan {
  readonly from: bigint
  readonly to: bigint
  /** Resume strictly after this record instead of at `from`. */
  readonly after?: RangeCursor
}

/** The spans of (start, end], clockwise from `start`. */
export function spansOf(start: bigint, end: bigint): PositionSpan[] {
  if (start < end) return [{ from: start + 1n, to: end }]
  const spans: PositionSpan[] = []
  if (start < MAX_POSITION) spans.push({ from: start + 1n, to: MAX_POSITION })
  spans.push({ from: 0n, to: end })
  return spans
}

/**
 * The spans of (start, end] still to scan after `after`: none when `after` lies outside
 * the range, since everything in the range that follows it clockwise is then behind us.
 */
export function spansAfter(start: bigint, end: bigint, after?: RangeCursor): PositionSpan[] {
  const spans = spansOf(start, end)
  if (after === undefined) return spans
  const index = spans.findIndex((span) => span.from <= after.position && after.position <= span.to)
  if (index === -1) return []
  const first = spans[index] as PositionSpan
  return [{ from: first.from, to: first.to, after }, ...spans.slice(index + 1)]
}

/** Number of positions in (start, end]. */
export function rangeSize(start: bigint, end: bigint): bigint {
  return start === end ? RING_SIZE : (end - start) & MAX_POSITION
}

/** Clockwise distance from `start` to `position`, in (0, 2^64]: a position in (start, end] has an offset ≤ rangeSize(start, end). */
export function offsetInRange(start: bigint, position: bigint): bigint {
  return ((position - start - 1n) & MAX_POSITION) + 1n
}

/** (a + b) mod 2^64. */
export function addPositions(a: bigint, b: bigint): bigint {
  return (a + b) & MAX_POSITION
}

export function assertPosition(value: bigint, what: string): void {
  if (typeof value !== 'bigint' || value < 0n || value > MAX_POSITION) {
    throw new RangeError(`${what} must be a 64-bit ring position, got ${String(value)}`)
  }
}

/** The spans of a range a caller asked for, after checking its ends. */
export function checkedSpans(start: bigint, end: bigint, after?: RangeCursor): PositionSpan[] {
  assertPosition(start, 'range start')
  assertPosition(end, 'range end')
  return spansAfter(start, end, after)
}

/** A range's `limit` option as a count: no limit is infinity. */
export function checkLimit(limit: number | undefined): number {
  if (limit === undefined) return Number.POSITIVE_INFINITY
  if (!Number.isInteger(limit) || limit < 0) {
    throw new RangeError(`limit must be a non-negative integer, got ${limit}`)
  }
  return limit
}
