import { performance } from 'node:perf_hooks'
import { type LatencySummary, meanOf, round, summarizeLatencies } from './stats.js'

/** What one operation reports beyond its latency. */
export interface OperationOutcome {
  ok: boolean
  /** Requests sent to remote peers for this operation, when the system reports it. */
  requests?: number
  /** Peers that acknowledged holding the record (puts), when known. */
  copies?: number
  /** Overlay hops, when the system reports them. */
  hops?: number
  /** Why the operation failed, when `ok` is false. */
  error?: string
}

export type Operation = (index: number, signal: AbortSignal) => Promise<OperationOutcome>

export interface WorkloadInit {
  count: number
  concurrency: number
  /** Operations not started by then are counted in `notRun`. */
  timeLimitMs: number
  /** Each operation is aborted after this long and counted as failed. */
  operationTimeoutMs: number
  operation: Operation
}

export interface WorkloadResult {
  count: number
  concurrency: number
  completed: number
  failures: number
  notRun: number
  elapsedMs: number
  opsPerSec: number
  latencyMs: LatencySummary
  meanRequests?: number
  meanCopies?: number
  meanHops?: number
  /** Up to five distinct failure messages, to say why without flooding. */
  errorSamples: string[]
}

/**
 * Runs `count` operations, at most `concurrency` at a time, bounded by a time
 * limit overall and a timeout per operation. Latency is measured around each
 * operation; throughput is successful operations over the wall time of the run.
 */
export async function runWorkload(init: WorkloadInit): Promise<WorkloadResult> {
  const { count, concurrency, timeLimitMs, operationTimeoutMs, operation } = init
  const latencies: number[] = []
  const requests: Array<number | undefined> = []
  const copies: Array<number | undefined> = []
  const hops: Array<number | undefined> = []
  const errorSamples = new Set<string>()
  let next = 0
  let completed = 0
  let failures = 0
  const deadline = performance.now() + timeLimitMs
  const started = performance.now()

  const worker = async (): Promise<void> => {
    while (next < count && performance.now() < deadline) {
      const index = next++
      const signal = AbortSignal.timeout(operationTimeoutMs)
      const begin = performance.now()
      let outcome: OperationOutcome
      try {
        outcome = await operation(index, signal)
      } catch (err) {
        outcome = {
          ok: false,
          error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
        }
      }
      const elapsed = performance.now() - begin
      if (outcome.ok) {
        completed++
        latencies.push(elapsed)
        requests.push(outcome.requests)
        copies.push(outcome.copies)
        hops.push(outcome.hops)
      } else {
        failures++
        if (errorSamples.size < 5) errorSamples.add(outcome.error ?? 'failed')
      }
    }
  }

  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, () => worker()))
  const elapsedMs = performance.now() - started
  const result: WorkloadResult = {
    count,
    concurrency,
    completed,
    failures,
    notRun: count - completed - failures,
    elapsedMs: round(elapsedMs, 1),
    opsPerSec: elapsedMs > 0 ? round((completed * 1000) / elapsedMs, 1) : 0,
    latencyMs: roundSummary(summarizeLatencies(latencies)),
    errorSamples: [...errorSamples],
  }
  const meanRequests = meanOf(requests)
  const meanCopies = meanOf(copies)
  const meanHops = meanOf(hops)
  if (meanRequests !== undefined) result.meanRequests = round(meanRequests, 2)
  if (meanCopies !== undefined) result.meanCopies = round(meanCopies, 2)
  if (meanHops !== undefined) result.meanHops = round(meanHops, 2)
  return result
}

function roundSummary(summary: LatencySummary): LatencySummary {
  return {
    count: summary.count,
    mean: round(summary.mean),
    p50: round(summary.p50),
    p90: round(summary.p90),
    p99: round(summary.p99),
    max: round(summary.max),
  }
}

/** The deterministic key and 100-byte-style value of operation `index` in a run. */
export function benchKey(namespace: string, runTag: string, index: number): string {
  return `/${namespace}/${runTag}/${index.toString().padStart(7, '0')}`
}

export function benchValue(key: string, size: number): Uint8Array {
  const value = new Uint8Array(size)
  const seed = new TextEncoder().encode(key)
  for (let i = 0; i < size; i++) value[i] = seed[i % seed.length] ?? 0
  return value
}
