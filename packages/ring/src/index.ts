/**
 * @packageDocumentation
 *
 * Pure ring math for ringdht: identifiers, interval arithmetic with wrap-around,
 * successor search, Chord finger tables, successor lists and the partitioners that
 * decide which nodes hold a key. No I/O, deterministic, shared by the peer and the
 * simulator.
 *
 * @example
 * ```ts
 * import { ringIdOf, SortedRing, inHalfOpenInterval } from '@ringdht/ring'
 *
 * const ring = new SortedRing(['a', 'b', 'c'].map((name) => ringIdOf(name)))
 * const owner = ring.successor(ringIdOf('some key'))
 * inHalfOpenInterval(ringIdOf('some key'), ring.predecessor(owner), owner) // true
 * ```
 */
export {
  buildFingerTable,
  closestPrecedingNode,
  fingerStart,
  mergeSuccessorList,
  type RingMember,
} from './finger-table.js'
export {
  inClosedInterval,
  inHalfOpenInterval,
  inOpenInterval,
  inRightOpenInterval,
} from './interval.js'
export {
  clockwiseDistance,
  isRingId,
  RING_BITS,
  RING_SIZE,
  type RingId,
  ringAdd,
  ringIdFromHex,
  ringIdOf,
  ringIdToHex,
} from './ring-id.js'
export { compareRingIds, SortedRing, sortClockwiseFrom } from './sorted-ring.js'
