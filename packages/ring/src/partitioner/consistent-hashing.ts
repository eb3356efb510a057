import { EmptyRingError } from '../errors.js'
import { type RingId, ringIdOf, ringIdToBytes } from '../ring-id.js'
import {
  type KeyLike,
  keyPosition,
  type Partitioner,
  requireNodeId,
  requireReplicaCount,
} from './partitioner.js'

/**
 * The number of virtual nodes the simulator's figures recommend for a live ring (see
 * apps/simulator/RESULTS.md): the smallest power of two whose worst load max/mean stays
 * ≤ 1.25 over ten seeds at both N = 16 and N = 64 members (V = 128 fails at 64). The
 * keys moved per join do not depend on V. Not the partitioner's default, which stays 1
 * so that it agrees with the Chord ring.
 */
export const RECOMMENDED_VIRTUAL_NODES = 256

export interface ConsistentHashingInit {
  /**
   * Positions each node takes on the ring. More positions even out the share of keys
   * each node owns at the cost of a larger ring to search and more, smaller ranges to
   * move. Default 1: the node sits at its own id only, exactly where Chord puts it.
   */
  virtualNodes?: number
  /** Nodes to start with. Default none. */
  nodes?: Iterable<RingId>
}

/**
 * Where a node's virtual nodes sit. Position 0 is the node's own id, so with one virtual
 * node the partitioner agrees with the Chord ring; position i > 0 is
 * hash(id as 8 big-endian bytes ‖ i as 4 big-endian bytes), with the ring's hash.
 */
export function virtualNodePositions(node: RingId, count: number): RingId[] {
  requireVirtualNodes(count)
  const positions: RingId[] = [node]
  const input = new Uint8Array(12)
  input.set(ringIdToBytes(node), 0)
  const view = new DataView(input.buffer)
  for (let i = 1; i < count; i++) {
    view.setUint32(8, i)
    positions.push(ringIdOf(input))
  }
  return positions
}

/**
 * Consistent hashing as Chord does it: the owner of a key is the first node position at
 * or after the key, clockwise; replicas are the next distinct nodes clockwise.
 */
export class ConsistentHashing implements Partitioner {
  readonly kind = 'chord' as const
  readonly virtualNodes: number
  // Parallel arrays sorted by (position, owner): a rare shared position goes to the
  // smaller node id, whatever the order nodes came in.
  #positions: RingId[] = []
  #owners: RingId[] = []
  readonly #nodes = new Set<RingId>()

  constructor(init: ConsistentHashingInit = {}) {
    this.virtualNodes = init.virtualNodes ?? 1
    requireVirtualNodes(this.virtualNodes)
    const entries: Array<[RingId, RingId]> = []
    for (const node of init.nodes ?? []) {
      requireNodeId(node)
      if (this.#nodes.has(node)) continue
      this.#nodes.add(node)
      for (const position of virtualNodePositions(node, this.virtualNodes)) {
        entries.push([position, node])
      }
    }
    entries.sort((a, b) => compareEntries(a[0], a[1], b[0], b[1]))
    this.#positions = entries.map((e) => e[0])
    this.#owners = entries.map((e) => e[1])
  }

  get size(): number {
    return this.#nodes.size
  }

  nodes(): RingId[] {
    return [...this.#nodes].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  }

  has(node: RingId): boolean {
    return this.#nodes.has(node)
  }

  /** Every (position, node) pair on the ring, clockwise from zero. */
  positions(): Array<{ position: RingId; node: RingId }> {
    return this.#positions.map((position, i) => ({ position, node: this.#owners[i] as RingId }))
  }

  addNode(node: RingId): boolean {
    requireNodeId(node)
    if (this.#nodes.has(node)) return false
    this.#nodes.add(node)
    for (const position of virtualNodePositions(node, this.virtualNodes)) {
      const i = this.#lowerBound(position, node)
      this.#positions.splice(i, 0, position)
      this.#owners.splice(i, 0, node)
    }
    return true
  }

  removeNode(node: RingId): boolean {
    if (!this.#nodes.delete(node)) return false
    for (const position of virtualNodePositions(node, this.virtualNodes)) {
      const i = this.#lowerBound(position, node)
      this.#positions.splice(i, 1)
      this.#owners.splice(i, 1)
    }
    return true
  }

  ownerOf(key: KeyLike): RingId {
    return this.#owners[this.#firstAtOrAfter(keyPosition(key))] as RingId
  }

  replicasOf(key: KeyLike, count: number): RingId[] {
    requireReplicaCount(count)
    const wanted = Math.min(count, this.#nodes.size)
    if (wanted === 0) return []
    const first = this.#firstAtOrAfter(keyPosition(key))
    const total = this.#owners.length
    const replicas: RingId[] = []
    for (let step = 0; step < total && replicas.length < wanted; step++) {
      const node = this.#owners[(first + step) % total] as RingId
      if (!replicas.includes(node)) replicas.push(node)
    }
    return replicas
  }

  /** Index of the first position at or after `position`, wrapping to 0. */
  #firstAtOrAfter(position: RingId): number {
    if (this.#positions.length === 0) throw new EmptyRingError()
    const i = this.#lowerBound(position, -1n)
    return i === this.#positions.length ? 0 : i
  }

  /** First index whose (position, owner) is not below (position, owner). */
  #lowerBound(position: RingId, owner: RingId): number {
    const positions = this.#positions
    let lo = 0
    let hi = positions.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const p = positions[mid] as RingId
      if (p < position || (p === position && (this.#owners[mid] as RingId) < owner)) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}

function compareEntries(pa: RingId, oa: RingId, pb: RingId, ob: RingId): number {
  if (pa !== pb) return pa < pb ? -1 : 1
  return oa < ob ? -1 : oa > ob ? 1 : 0
}

export function requireVirtualNodes(count: number): void {
  if (!Number.isInteger(count) || count < 1 || count > 65_536) {
    throw new RangeError(`virtual nodes must be an integer in [1, 65536], got ${count}`)
  }
}
