/** Which parts of the benchmark to run. */
export type BenchPart = 'floor' | 'kad-dht' | 'ringdht' | 'join'

export const ALL_PARTS: readonly BenchPart[] = ['floor', 'kad-dht', 'ringdht', 'join']

/** How one system's operations are split into blocks that alternate with floor blocks. */
export interface BlockPlan {
  blocks: number
  /** Operations per block, at least `minRounds` × the concurrency (see `opsPerBlockAt`). */
  opsPerBlock: number
  /** Rounds of the concurrency a block holds at least, so it is not all ramp-up and ramp-down. */
  minRounds: number
  /** Wall-time cap of one phase: every block of one operation at one N and concurrency. */
  phaseTimeLimitMs: number
}

export interface BenchOptions {
  parts: BenchPart[]
  /** Ring / DHT sizes. Default [8, 16]. */
  nodes: number[]
  /** Concurrency levels of the put/get workload. Default [1, 32]. */
  concurrency: number[]
  /** The floor and ringdht: default 20 blocks × 200 operations (8 rounds of c above 25). */
  paired: BlockPlan
  /** kad-dht, the slow anchor: capped by operations and time in the default run. */
  anchor: BlockPlan
  /** Round trips per floor block (at least 8 rounds of the concurrency). Default 200. */
  floorOpsPerBlock: number
  /** Value size in bytes. Default 100. */
  valueBytes: number
  /** Keys in the ring before a peer joins. */
  joinKeys: number
  /** Ring size before the join. Default 8. */
  joinNodes: number
  /** Wall-time cap of each phase of the join experiment. */
  joinPhaseTimeLimitMs: number
  /** Timeout of a single operation; a timed-out operation is a failure. */
  operationTimeoutMs: number
  /** How long to wait for routing tables / the ring to form. */
  settleTimeoutMs: number
  /**
   * Wall-time budget of the whole run: blocks and parts not started by then are skipped
   * and reported, so the default run ends within 10 minutes whatever the machine's load.
   */
  budgetMs: number
  /** Seed of the bootstrap intervals, so a report can be recomputed exactly. */
  seed: number
  /** Whether this is the long run (kad-dht uncapped, the large join). */
  long: boolean
  /** Write CPU profiles of every child process into this folder. */
  cpuProfDir?: string
}

export type RunMode = 'default' | 'quick' | 'long'

export function defaultOptions(mode: RunMode = 'default'): BenchOptions {
  const base: BenchOptions = {
    parts: [...ALL_PARTS],
    nodes: [8, 16],
    concurrency: [1, 32],
    paired: { blocks: 20, opsPerBlock: 200, minRounds: 8, phaseTimeLimitMs: 60_000 },
    // kad-dht at N = 16 takes ~0.1 s a put at c = 1 and ~15 ops/s at c = 32: 10 × 200 of
    // each would take most of an hour, so the default samples it in fewer, smaller blocks
    anchor: { blocks: 5, opsPerBlock: 15, minRounds: 2, phaseTimeLimitMs: 25_000 },
    floorOpsPerBlock: 200,
    valueBytes: 100,
    joinKeys: 50_000,
    joinNodes: 8,
    joinPhaseTimeLimitMs: 120_000,
    operationTimeoutMs: 10_000,
    settleTimeoutMs: 60_000,
    seed: 1,
    budgetMs: 540_000,
    long: false,
  }
  if (mode === 'quick') {
    return {
      ...base,
      nodes: [8],
      paired: { blocks: 3, opsPerBlock: 50, minRounds: 2, phaseTimeLimitMs: 30_000 },
      anchor: { blocks: 2, opsPerBlock: 10, minRounds: 2, phaseTimeLimitMs: 20_000 },
      floorOpsPerBlock: 50,
      joinKeys: 2_000,
      joinNodes: 4,
      joinPhaseTimeLimitMs: 30_000,
      settleTimeoutMs: 30_000,
    }
  }
  if (mode === 'long') {
    return {
      ...base,
      paired: { blocks: 20, opsPerBlock: 200, minRounds: 8, phaseTimeLimitMs: 300_000 },
      anchor: { blocks: 20, opsPerBlock: 200, minRounds: 8, phaseTimeLimitMs: 1_800_000 },
      joinKeys: 100_000,
      joinPhaseTimeLimitMs: 300_000,
      budgetMs: 4 * 3_600_000,
      long: true,
    }
  }
  return base
}
