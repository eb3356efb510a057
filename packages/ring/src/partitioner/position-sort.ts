/**
 * Sorts ring positions given as two 32-bit halves, carrying a payload along: an LSD
 * radix sort over four 16-bit digits. Stable, so entries with equal positions keep
 * their input order. O(n), no comparisons and no bigints: the simulator sorts tens of
 * millions of virtual node positions, and a comparison sort of bigints takes minutes.
 */
export function sortPositions(high: Uint32Array, low: Uint32Array, payload: Int32Array): void {
  const n = high.length
  if (low.length !== n || payload.length !== n) {
    throw new RangeError('high, low and payload must have the same length')
  }
  let fromHigh = high
  let fromLow = low
  let fromPayload = payload
  let toHigh: Uint32Array = new Uint32Array(n)
  let toLow: Uint32Array = new Uint32Array(n)
  let toPayload: Int32Array = new Int32Array(n)
  const counts = new Uint32Array(65_536)
  for (let pass = 0; pass < 4; pass++) {
    // Passes 0 and 1 read the low half, 2 and 3 the high half; least significant first.
    const source = pass < 2 ? fromLow : fromHigh
    const shift = pass % 2 === 0 ? 0 : 16
    counts.fill(0)
    for (let i = 0; i < n; i++) {
      const digit = ((source[i] as number) >>> shift) & 0xffff
      counts[digit] = (counts[digit] as number) + 1
    }
    let sum = 0
    for (let d = 0; d < 65_536; d++) {
      const c = counts[d] as number
      counts[d] = sum
      sum += c
    }
    for (let i = 0; i < n; i++) {
      const digit = ((source[i] as number) >>> shift) & 0xffff
      const to = counts[digit] as number
      counts[digit] = to + 1
      toHigh[to] = fromHigh[i] as number
      toLow[to] = fromLow[i] as number
      toPayload[to] = fromPayload[i] as number
    }
    ;[fromHigh, toHigh] = [toHigh, fromHigh]
    ;[fromLow, toLow] = [toLow, fromLow]
    ;[fromPayload, toPayload] = [toPayload, fromPayload]
  }
  // Four passes: the sorted data is back in the caller's arrays.
}

/** Index of the first position ≥ (keyHigh, keyLow) in sorted halves; n when none. */
export function lowerBoundPosition(
  high: Uint32Array,
  low: Uint32Array,
  keyHigh: number,
  keyLow: number,
): number {
  let lo = 0
  let hi = high.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    const h = high[mid] as number
    if (h < keyHigh || (h === keyHigh && (low[mid] as number) < keyLow)) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Index of the first position > (keyHigh, keyLow) in sorted halves; n when none. */
export function upperBoundPosition(
  high: Uint32Array,
  low: Uint32Array,
  keyHigh: number,
  keyLow: number,
): number {
  let lo = 0
  let hi = high.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    const h = high[mid] as number
    if (h < keyHigh || (h === keyHigh && (low[mid] as number) <= keyLow)) lo = mid + 1
    else hi = mid
  }
  return lo
}
