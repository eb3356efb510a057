/**
 * @packageDocumentation
 *
 * The ringdht simulator: up to 100,000 nodes and 1,000,000 keys in one process, with
 * Chord routing and the partitioners of `@ringdht/ring` and no sockets. It measures
 * lookup hops, load balance and how many keys (and replica copies) move when a node
 * joins or leaves; `placementTable` compares both placements per V.
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
export {
  type PlacementRow,
  type PlacementTableInit,
  placementTable,
} from './placement-table.js'
export { Prng } from './prng.js'
export {
  type MoveFigures,
  SIMULATION_DEFAULTS,
  type SimulationInit,
  type SimulationReport,
  simulate,
  type Target,
} from './simulate.js'
