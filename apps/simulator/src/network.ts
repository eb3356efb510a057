import {
  buildFingerTable,
  ConsistentHashing,
  closestPrecedingNode,
  inHalfOpenInterval,
  mergeSuccessorList,
  type RingId,
  type RingMember,
  SortedRing,
} from '@ringdht/ring'

/** One position on the simulated ring: a node, or one of a node's virtual nodes. */
export interface SimulatedMember extends RingMember {
  readonly id: RingId
  /** Index in ring order. */
  readonly index: number
  /** The physical node that holds this position. */
  readonly node: RingId
}

export interface ChordNetworkInit {
  /** Physical node ids. */
  nodes: readonly RingId[]
  /** Ring positions per node, as the chord partitioner places them. Default 1. */
  virtualNodes?: number
  /** Length of each position's successor list. Default 8. */
  successorListLength?: number
}

export interface Lookup {
  /** Forwarding steps between physical nodes, from the start to the owner. */
  hops: number
  /** Where the lookup ended: the position responsible for the key. */
  owner: SimulatedMember
}

/**
 * A Chord ring in memory with converged state: every position knows its predecessor,
 * its full finger table and its successor list, built with packages/ring. A lookup
 * follows the rule the peer uses: a position that owns the key, (predecessor, self],
 * answers; any other forwards to the closest preceding node among its fingers and
 * successor list, or, when there is none, to its successor, which then owns the key.
 */
export class ChordNetwork {
  readonly members: readonly SimulatedMember[]
  readonly successorListLength: number
  // Per position: its fingers and successor list, deduplicated, self excluded.
  readonly #routes: SimulatedMember[][]

  constructor(init: ChordNetworkInit) {
    this.successorListLength = init.successorListLength ?? 8
    const placed = new ConsistentHashing({
      virtualNodes: init.virtualNodes ?? 1,
      nodes: init.nodes,
    }).positions()
    this.members = placed.map(({ position, node }, index) => ({ id: position, index, node }))
    const ring = new SortedRing(placed.map((p) => p.position))
    if (ring.size !== this.members.length) {
      throw new Error('two virtual nodes share a ring position; choose another seed')
    }
    const byId = new Map(this.members.map((m) => [m.id, m]))
    const memberAt = (id: RingId): SimulatedMember => byId.get(id) as SimulatedMember
    const n = this.members.length
    this.#routes = this.members.map((self) => {
      const routes = new Set<SimulatedMember>()
      for (const finger of buildFingerTable(self.id, ring)) routes.add(memberAt(finger))
      const heardOf = ring
        .successors(ring.nextAfter(self.id), Math.min(this.successorListLength, n))
        .map(memberAt)
      for (const s of mergeSuccessorList(self.id, heardOf, this.successorListLength)) routes.add(s)
      routes.delete(self)
      return [...routes]
    })
  }

  /** What position `index` routes with: its fingers and successor list. */
  routesOf(index: number): readonly SimulatedMember[] {
    return this.#routes[index] ?? []
  }

  lookup(startIndex: number, key: RingId): Lookup {
    const members = this.members
    const n = members.length
    let at = members[startIndex] as SimulatedMember
    let hops = 0
    // Each step lands strictly nearer the key, so n steps always suffice.
    for (let steps = 0; steps <= n; steps++) {
      const predecessor = members[(at.index + n - 1) % n] as SimulatedMember
      if (inHalfOpenInterval(key, predecessor.id, at.id)) return { hops, owner: at }
      const next =
        closestPrecedingNode(at.id, key, this.#routes[at.index] as SimulatedMember[]) ??
        (members[(at.index + 1) % n] as SimulatedMember)
      // Moving between two positions of one node costs no message.
      if (next.node !== at.node) hops++
      at = next
    }
    throw new Error(`lookup of ${key} did not converge`)
  }
}
