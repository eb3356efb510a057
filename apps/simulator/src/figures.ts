import type { MoveFigures, SimulationReport } from './simulate.js'

/** Mean, median, 99th percentile and maximum of per-lookup hop counts. */
export function summarizeHops(hops: Uint32Array): {
  mean: number
  p50: number
  p99: number
  max: number
} {
  const histogram: number[] = []
  let total = 0
  for (const h of hops) {
    histogram[h] = (histogram[h] ?? 0) + 1
    total += h
  }
  const quantile = (q: number): number => {
    const rank = Math.ceil(q * hops.length)
    let seen = 0
    for (let h = 0; h < histogram.length; h++) {
      seen += histogram[h] ?? 0
      if (seen >= rank) return h
    }
    return histogram.length - 1
  }
  return {
    mean: round(total / hops.length),
    p50: quantile(0.5),
    p99: quantile(0.99),
    max: histogram.length - 1,
  }
}

/** Keys per node over the mean, from per-node counts. */
export function loadFigures(counts: Int32Array, idealKeys: number): SimulationReport['load'] {
  let max = 0
  let min = Number.POSITIVE_INFINITY
  let squares = 0
  for (const count of counts) {
    max = Math.max(max, count)
    min = Math.min(min, count)
    squares += (count - idealKeys) ** 2
  }
  return {
    maxOverMean: round(max / idealKeys),
    minOverMean: round(min / idealKeys),
    stddevOverMean: round(Math.sqrt(squares / counts.length) / idealKeys),
  }
}

/** Mean keys moved per change over the ideal K/N, with its standard error over the changes. */
export function moveFigures(moved: readonly number[], idealKeys: number): MoveFigures {
  const ratios = moved.map((m) => m / idealKeys)
  const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length
  const variance =
    ratios.length > 1
      ? ratios.reduce((a, r) => a + (r - mean) ** 2, 0) / (ratios.length - 1)
      : Number.NaN
  return {
    ratioToIdeal: round(mean),
    standardError: Number.isNaN(variance) ? 0 : round(Math.sqrt(variance / ratios.length)),
    samples: ratios.length,
    idealKeys: round(idealKeys),
    meanKeysMoved: round(moved.reduce((a, b) => a + b, 0) / moved.length),
  }
}

export function round(x: number): number {
  return Math.round(x * 10_000) / 10_000
}
