/**
 * Pure statistics for paired measurement: per-block ratios are summarised by
 * their median, their range and a seeded bootstrap interval, so the same
 * blocks always give the same figures.
 */

/** A ratio taken as the median of per-block ratios, with its spread. */
export interface RatioSpread {
  median: number
  min: number
  max: number
  /** Bootstrap 95 % interval of the median (percentile method). */
  ci95: [number, number]
  /** How many block ratios went in. */
  blocks: number
}

/** Median of the values (mean of the two middle ones for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  const upper = sorted[mid] ?? Number.NaN
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? Number.NaN) + upper) / 2
}

/** Linear-interpolated quantile (the R-7 / numpy default) of an ascending array. */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN
  const position = (sorted.length - 1) * Math.min(1, Math.max(0, q))
  const below = Math.floor(position)
  const low = sorted[below] ?? Number.NaN
  const high = sorted[Math.min(sorted.length - 1, below + 1)] ?? low
  return low + (high - low) * (position - below)
}

/**
 * mulberry32: a tiny, fast 32-bit PRNG. Math.random cannot be seeded, and a
 * bootstrap interval that moves between two prints of the same data is noise
 * the bench would add by itself.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

export interface BootstrapInit {
  /** Resamples drawn. Default 2,000. */
  resamples?: number
  /** PRNG seed, so the interval is reproducible. Default 1. */
  seed?: number
  /** Coverage. Default 0.95. */
  level?: number
}

/** Percentile bootstrap interval of the median of `values`. */
export function bootstrapMedianInterval(
  values: readonly number[],
  init: BootstrapInit = {},
): [number, number] {
  if (values.length === 0) return [Number.NaN, Number.NaN]
  if (values.length === 1) return [values[0] ?? Number.NaN, values[0] ?? Number.NaN]
  const resamples = init.resamples ?? 2_000
  const level = init.level ?? 0.95
  const random = seededRandom(init.seed ?? 1)
  const medians: number[] = []
  const sample = new Array<number>(values.length)
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < values.length; i++) {
      sample[i] = values[Math.floor(random() * values.length)] ?? Number.NaN
    }
    medians.push(median(sample))
  }
  medians.sort((a, b) => a - b)
  const tail = (1 - level) / 2
  return [quantileSorted(medians, tail), quantileSorted(medians, 1 - tail)]
}

/** Rounds to `digits` decimals for display and JSON. */
export function roundTo(value: number, digits = 3): number {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}

/** Median, range and bootstrap interval of per-block ratios; non-finite ratios are left out. */
export function summarizeRatios(ratios: readonly number[], init: BootstrapInit = {}): RatioSpread {
  const finite = ratios.filter((value) => Number.isFinite(value))
  const [low, high] = bootstrapMedianInterval(finite, init)
  return {
    median: roundTo(median(finite)),
    min: roundTo(Math.min(...finite)),
    max: roundTo(Math.max(...finite)),
    ci95: [roundTo(low), roundTo(high)],
    blocks: finite.length,
  }
}

/** Element-wise a[i] / b[i], for blocks measured side by side. */
export function pairedRatios(
  numerators: readonly number[],
  denominators: readonly number[],
): number[] {
  const count = Math.min(numerators.length, denominators.length)
  const ratios: number[] = []
  for (let i = 0; i < count; i++) {
    const denominator = denominators[i] ?? 0
    ratios.push(denominator === 0 ? Number.NaN : (numerators[i] ?? Number.NaN) / denominator)
  }
  return ratios
}

/** Whether repeated figures agree: every one within ±tolerance of their median. */
export interface Agreement {
  median: number
  /** Largest relative distance of a figure from the median. */
  worstDeviation: number
  agree: boolean
}

export function checkAgreement(values: readonly number[], tolerance: number): Agreement {
  const center = median(values)
  let worst = 0
  for (const value of values) {
    const deviation = center === 0 ? Number.POSITIVE_INFINITY : Math.abs(value - center) / center
    worst = Math.max(worst, Number.isFinite(deviation) ? deviation : Number.POSITIVE_INFINITY)
  }
  return {
    median: roundTo(center),
    worstDeviation: roundTo(worst),
    agree: values.length > 0 && worst <= tolerance,
  }
}
