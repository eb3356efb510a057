/** Which parts of the benchmark to run. */
export type BenchPart = 'floor' | 'kad-dht' | 'ringdht' | 'join'

export const ALL_PARTS: readonly BenchPart[] = ['floor', 'kad-dht', 'ringdht', 'join']

export interface BenchOptions {
  parts: BenchPart[]
  /** Ring / DHT sizes. Default [8, 16]. */
  nodes: number[]
  /** Concurrency levels of the put/get workload. Default [1, 32]. */
  concurrency: number[]
  /** Puts (then gets) per system, size and concurrency. Default 2,000. */
  ops: number
  /** Round trips per floor case. Default 2,000. */
  floorOps: number
  /** Value size in bytes. Default 100. */
  valueBytes: number
  /** Keys in the ring before a peer joins. Default 100,000. */
  joinKeys: number
  /** Ring size before the join. Default 8. */
  joinNodes: number
  /** Wall-time cap of one workload phase; unstarted operations count as not run. */
  phaseTimeLimitMs: number
  /** Timeout of a single operation; a timed-out operation is a failure. */
  operationTimeoutMs: number
  /** How long to wait for routing tables / the ring to form. */
  settleTimeoutMs: number
  /** Write CPU profiles of every child process into this folder. */
  cpuProfDir?: string
}

export function defaultOptions(quick: boolean): BenchOptions {
  return quick
    ? {
        parts: [...ALL_PARTS],
        nodes: [8],
        concurrency: [1, 32],
        ops: 50,
        floorOps: 300,
        valueBytes: 100,
        joinKeys: 2_000,
        joinNodes: 4,
        phaseTimeLimitMs: 30_000,
        operationTimeoutMs: 10_000,
        settleTimeoutMs: 30_000,
      }
    : {
        parts: [...ALL_PARTS],
        nodes: [8, 16],
        concurrency: [1, 32],
        ops: 2_000,
        floorOps: 2_000,
        valueBytes: 100,
        joinKeys: 100_000,
        joinNodes: 8,
        phaseTimeLimitMs: 300_000,
        operationTimeoutMs: 10_000,
        settleTimeoutMs: 60_000,
      }
}
