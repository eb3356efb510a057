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
 *
 * @example Partitioners: who holds a key, and its replicas
 * ```ts
 * import { createPartitioner, ringIdOf } from '@ringdht/ring'
 *
 * const nodes = ['peer-a', 'peer-b', 'peer-c'].map((peerId) => ringIdOf(peerId))
 * const chord = createPartitioner({ kind: 'chord', virtualNodes: 8, nodes })
 * chord.ownerOf('some key')          // one of `nodes`
 * chord.replicasOf('some key', 2)    // owner first, then the next distinct node clockwise
 * const hrw = createPartitioner({ kind: 'rendezvous', nodes })
 * hrw.replicasOf('some key', 3)      // all three, highest weight first
 * ```
 */
export { EmptyRingError, RingdhtError } from './errors.js'
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
  ConsistentHashing,
  type ConsistentHashingInit,
  createPartitioner,
  type KeyLike,
  keyPosition,
  lowerBoundPosition,
  PARTITIONER_KINDS,
  type Partitioner,
  type PartitionerInit,
  type PartitionerKind,
  placeTokens,
  RECOMMENDED_VIRTUAL_NODES,
  RendezvousHashing,
  type RendezvousHashingInit,
  RendezvousTable,
  rendezvousOutranks,
  rendezvousWeight,
  SHORT_SHA256_MAX_WORDS,
  shortSha256,
  sortPositions,
  type TokenPlacer,
  TokenTable,
  tokenPositions,
  upperBoundPosition,
  virtualNodePositions,
} from './partitioner/index.js'
export {
  clockwiseDistance,
  isRingId,
  RING_BITS,
  RING_SIZE,
  type RingId,
  ringAdd,
  ringIdFromHex,
  ringIdOf,
  ringIdToBytes,
  ringIdToHex,
} from './ring-id.js'
export { compareRingIds, SortedRing, sortClockwiseFrom } from './sorted-ring.js'
