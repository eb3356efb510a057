import type { Neighbours } from '../../core/neighbours.js'
import { placeReplicas } from '../../core/replica-placement.js'
import type { RingNode } from '../../core/ring-node.js'

/**
 * The peers that hold copies of this peer's primary range besides itself: `replicas - 1`
 * of its successors, on hosts other than its own and each other's where the successor
 * list allows (see `placeReplicas`); its first r-1 distinct successors when every member
 * is on one host; fewer when the ring is smaller than r.
 */
export function replicaTargets(neighbours: Neighbours, replicas: number): RingNode[] {
  return placeReplicas(neighbours.self, neighbours.successors, replicas)
}

/**
 * Where the copies of a range owned by `owner` go when a replica does not take one: the
 * members of `successors` outside the replica set, nearest first.
 */
export function sparesOf(
  owner: RingNode,
  successors: readonly RingNode[],
  targets: readonly RingNode[],
): RingNode[] {
  const taken = new Set([owner.key, ...targets.map((t) => t.key)])
  return successors.filter((node) => !taken.has(node.key) && taken.add(node.key))
}
