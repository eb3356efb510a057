/**
 * @packageDocumentation
 *
 * The ringdht benchmark: ringdht against @libp2p/kad-dht and against the
 * one-hop floor of the same libp2p stack (TCP + Noise + mplex), every system
 * as separate OS processes on 127.0.0.1, in one run.
 *
 * Run it with `pnpm bench` (a table) or `pnpm bench -- --json` (one JSON
 * object with raw figures, ratios and targets). From code:
 *
 * @example
 * ```ts
 * import { runBench, defaultOptions, renderTable } from '@ringdht/bench'
 *
 * const options = defaultOptions(true) // --quick
 * options.parts = ['floor']
 * const report = await runBench({ options })
 * console.log(renderTable(report))
 * ```
 */
export { type RunBenchInit, runBench } from './bench.js'
export { ALL_PARTS, type BenchOptions, type BenchPart, defaultOptions } from './options.js'
export { computeTargets, renderTable } from './report.js'
export type {
  BenchReport,
  CaseRatios,
  CaseResult,
  FloorResult,
  JoinResult,
  SystemResult,
  Target,
} from './results.js'
export type { WorkloadResult } from './workload.js'
