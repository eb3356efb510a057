/**
 * @packageDocumentation
 *
 * The deterministic simulator of `@ringdht/consensus`: seeded PRNG, virtual clock, a
 * lossy network, acceptor crashes, wipes and joint-quorum replacements, a history
 * recorder and the linearizability check; plus the election comparison (lease on the
 * register vs Bully). No I/O: wall-clock timing is the caller's.
 *
 * @example
 * ```ts
 * import { runSeeds } from '@ringdht/consensus/sim'
 *
 * const report = runSeeds({ seeds: 500 })
 * report.violations // 0
 * ```
 */

export { runBullyElection } from './bully-election.js'
export {
  type BrokenMode,
  CLUSTER_SIM_DEFAULTS,
  type ClusterSimInit,
  type ClusterSimResult,
  runClusterSim,
} from './cluster-sim.js'
export {
  ELECTION_DEFAULTS,
  type ElectionReport,
  type ElectionSimInit,
} from './election-common.js'
export {
  compareElections,
  ELECTION_SCENARIOS,
  type ElectionComparisonRow,
  type ElectionScenario,
  formatElectionTable,
} from './election-compare.js'
export { EventQueue } from './event-queue.js'
export { runLeaseElection } from './lease-election.js'
export { NETWORK_DEFAULTS, type NetworkInit, SimNetwork } from './network.js'
export { Prng } from './prng.js'
export {
  runSeed,
  runSeeds,
  type SeedFailure,
  type SeedRunInit,
  type SeedRunReport,
} from './run-seeds.js'
export {
  generateSchedule,
  type ScheduledFault,
  type ScheduledOp,
  type ScheduledOperation,
  type ScheduleInit,
  type SimSchedule,
} from './schedule.js'
export { shrinkFailure } from './shrink.js'
