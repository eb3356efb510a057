/**
 * @packageDocumentation
 *
 * The ringdht simulator: thousands of Chord nodes in one process, with real finger
 * tables and partitioners from `@ringdht/ring` and no sockets. It measures lookup hops,
 * load balance and how many keys move when a node joins or leaves.
 *
 * @example
 * ```ts
 * import { simulate } from '@ringdht/simulator'
 *
 * const report = simulate({ nodes: 1000, keys: 100_000, partitioner: 'chord', seed: 1 })
 * report.hops.mean              // about half of log2(1000)
 * report.moveOnJoin.ratioToIdeal // about 1
 * ```
 */
export {
  ChordNetwork,
  type ChordNetworkInit,
  type Lookup,
  type SimulatedMember,
} from './network.js'
export { Prng } from './prng.js'
export {
  type MoveFigures,
  SIMULATION_DEFAULTS,
  type SimulationInit,
  type SimulationReport,
  simulate,
} from './simulate.js'
