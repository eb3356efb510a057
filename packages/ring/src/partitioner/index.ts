import type { RingId } from '../ring-id.js'
import { ConsistentHashing } from './consistent-hashing.js'
import type { Partitioner, PartitionerKind } from './partitioner.js'
import { RendezvousHashing } from './rendezvous-hashing.js'

export {
  ConsistentHashing,
  type ConsistentHashingInit,
  RECOMMENDED_VIRTUAL_NODES,
  virtualNodePositions,
} from './consistent-hashing.js'
export {
  type KeyLike,
  keyPosition,
  type Partitioner,
  type PartitionerKind,
} from './partitioner.js'
export { lowerBoundPosition, sortPositions, upperBoundPosition } from './position-sort.js'
export {
  RendezvousHashing,
  type RendezvousHashingInit,
  rendezvousOutranks,
  rendezvousWeight,
} from './rendezvous-hashing.js'
export { RendezvousTable } from './rendezvous-table.js'
export { SHORT_SHA256_MAX_WORDS, shortSha256 } from './short-sha256.js'
export { placeTokens, type TokenPlacer, TokenTable, tokenPositions } from './token-table.js'

export interface PartitionerInit {
  /** Which rule: consistent hashing as Chord does it, or rendezvous hashing. Default 'chord'. */
  kind?: PartitionerKind
  /**
   * Ring positions per node, consistent hashing only. Default 1. Rendezvous hashing is
   * balanced without them, so any other value with 'rendezvous' is refused.
   */
  virtualNodes?: number
  /** Nodes to start with, named by ring id. Default none. */
  nodes?: Iterable<RingId>
}

export const PARTITIONER_KINDS: readonly PartitionerKind[] = ['chord', 'rendezvous']

/** The partitioner a configuration names; options are checked here, once. */
export function createPartitioner(init: PartitionerInit = {}): Partitioner {
  const kind = init.kind ?? 'chord'
  switch (kind) {
    case 'chord':
      return new ConsistentHashing({
        virtualNodes: init.virtualNodes ?? 1,
        nodes: init.nodes ?? [],
      })
    case 'rendezvous':
      if (init.virtualNodes !== undefined && init.virtualNodes !== 1) {
        throw new RangeError(`virtual nodes apply to 'chord' only, got ${init.virtualNodes}`)
      }
      return new RendezvousHashing({ nodes: init.nodes ?? [] })
    default:
      throw new RangeError(`unknown partitioner ${JSON.stringify(kind)}; use chord or rendezvous`)
  }
}
