import type { Neighbours } from '../../core/neighbours.js'
import type { RingNode } from '../../core/ring-node.js'

/**
 * The peers that hold copies of this peer's primary range besides itself: its first
 * `replicas - 1` distinct successors (fewer when the ring is smaller than r).
 */
export function replicaTargets(neighbours: Neighbours, replicas: number): RingNode[] {
  const targets: RingNode[] = []
  for (const node of neighbours.successors) {
    if (targets.length >= replicas - 1) break
    if (node.key === neighbours.self.key || targets.some((t) => t.key === node.key)) continue
    targets.push(node)
  }
  return targets
}
