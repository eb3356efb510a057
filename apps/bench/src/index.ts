/**
 * @packageDocumentation
 *
 * The ringdht benchmark: ringdht and @libp2p/kad-dht, each measured in blocks
 * that alternate with the one-hop floor of the same libp2p stack (TCP + Noise +
 * mplex), every system as separate OS processes on 127.0.0.1. Every ratio is the
 * median of per-block ratios with its spread.
 *
 * Run it with `pnpm bench` (Markdown) or `pnpm bench -- --json`. From code:
 *
 * @example
 * ```ts
 * import { runBench, defaultOptions, renderReport } from '@ringdht/bench'
 *
 * const options = defaultOptions('quick')
 * options.parts = ['floor']
 * console.log(renderReport(await runBench({ options })))
 * ```
 */
export { type RunBenchInit, runBench } from './bench.js'
export type { BenchDriver, BlockSpec, DriverProcess, ReadyInfo } from './drivers/driver.js'
export {
  ALL_PARTS,
  type BenchOptions,
  type BenchPart,
  type BlockPlan,
  defaultOptions,
} from './options.js'
export { computeTargets, renderReport } from './report.js'
export type {
  BenchReport,
  FloorCase,
  Headline,
  JoinResult,
  PairedCase,
  SystemResult,
  Target,
} from './results.js'
export type { RatioSpread } from './statistics.js'
export type { WorkloadResult } from './workload.js'
