/** Below this many positions the four-pass radix sort is fast enough. */
const BUCKETED_THRESHOLD = 1 << 16
const TWO_32 = 2 ** 32

/**
 * Sorts ring positions given as two 32-bit halves, carrying a payload along. Stable:
 * entries with equal positions keep their input order. No comparisons of bigints: the
 * simulator sorts tens of millions of virtual node positions, and a comparison sort of
 * bigints takes minutes.
 *
 * Large arrays are scattered once into 65,536 buckets by their top 16 bits, then each
 * bucket (a few hundred hash positions, in cache) is sorted by its remaining 48 bits,
 * which a double holds exactly. A four-pass radix sort over the whole array would make
 * four scattered passes through memory instead of one.
 */
export function sortPositions(high: Uint32Array, low: Uint32Array, payload: Int32Array): void {
  const n = high.length
  if (low.length !== n || payload.length !== n) {
    throw new RangeError('high, low and payload must have the same length')
  }
  if (n < BUCKETED_THRESHOLD) {
    radixSort(high, low, payload)
    return
  }
  const starts = new Uint32Array(65_537)
  for (let i = 0; i < n; i++) {
    const bucket = (high[i] as number) >>> 16
    starts[bucket + 1] = (starts[bucket + 1] as number) + 1
  }
  for (let b = 1; b <= 65_536; b++) starts[b] = (starts[b] as number) + (starts[b - 1] as number)
  const next = starts.slice(0, 65_536)
  const scatteredHigh = new Uint32Array(n)
  const scatteredLow = new Uint32Array(n)
  const scatteredPayload = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    const bucket = (high[i] as number) >>> 16
    const to = next[bucket] as number
    next[bucket] = to + 1
    scatteredHigh[to] = high[i] as number
    scatteredLow[to] = low[i] as number
    scatteredPayload[to] = payload[i] as number
  }
  let keys = new Float64Array(1024)
  let order = new Int32Array(1024)
  for (let b = 0; b < 65_536; b++) {
    const from = starts[b] as number
    const size = (starts[b + 1] as number) - from
    if (size > keys.length) {
      keys = new Float64Array(size * 2)
      order = new Int32Array(size * 2)
    }
    for (let j = 0; j < size; j++) {
      keys[j] =
        ((scatteredHigh[from + j] as number) & 0xffff) * TWO_32 + (scatteredLow[from + j] as number)
      order[j] = j
    }
    sortByKeyThenOrder(keys, order, 0, size - 1)
    for (let j = 0; j < size; j++) {
      const source = from + (order[j] as number)
      high[from + j] = scatteredHigh[source] as number
      low[from + j] = scatteredLow[source] as number
      payload[from + j] = scatteredPayload[source] as number
    }
  }
}

/** Quicksort of keys[lo … hi] with `order` alongside; equal keys by order (stability). */
function sortByKeyThenOrder(keys: Float64Array, order: Int32Array, lo: number, hi: number): void {
  while (hi - lo > 16) {
    const mid = (lo + hi) >>> 1
    const pivotKey = keys[mid] as number
    const pivotOrder = order[mid] as number
    let i = lo
    let j = hi
    while (i <= j) {
      while (before(keys[i] as number, order[i] as number, pivotKey, pivotOrder)) i++
      while (before(pivotKey, pivotOrder, keys[j] as number, order[j] as number)) j--
      if (i <= j) {
        swap(keys, order, i, j)
        i++
        j--
      }
    }
    // Recurse into the smaller side, loop on the larger: stack depth stays O(log n).
    if (j - lo < hi - i) {
      sortByKeyThenOrder(keys, order, lo, j)
      lo = i
    } else {
      sortByKeyThenOrder(keys, order, i, hi)
      hi = j
    }
  }
  for (let i = lo + 1; i <= hi; i++) {
    const key = keys[i] as number
    const at = order[i] as number
    let j = i - 1
    while (j >= lo && before(key, at, keys[j] as number, order[j] as number)) {
      keys[j + 1] = keys[j] as number
      order[j + 1] = order[j] as number
      j--
    }
    keys[j + 1] = key
    order[j + 1] = at
  }
}

function before(aKey: number, aOrder: number, bKey: number, bOrder: number): boolean {
  return aKey < bKey || (aKey === bKey && aOrder < bOrder)
}

function swap(keys: Float64Array, order: Int32Array, i: number, j: number): void {
  const key = keys[i] as number
  keys[i] = keys[j] as number
  keys[j] = key
  const at = order[i] as number
  order[i] = order[j] as number
  order[j] = at
}

/** LSD radix sort over four 16-bit digits; stable. */
function radixSort(high: Uint32Array, low: Uint32Array, payload: Int32Array): void {
  const n = high.length
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
