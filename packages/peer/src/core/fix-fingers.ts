import { fingerStart, inHalfOpenInterval, RING_BITS, type RingId } from '@ringdht/ring'
import type { RingNode } from './ring-node.js'

/**
 * One pass over a finger table: finger i = successor(self + 2^i), written into `fingers`.
 * Consecutive fingers usually share a successor, so a pass costs about log2(N) lookups;
 * a finger the successor covers needs none. Stops early when `signal` aborts.
 */
export async function fixFingerTable(
  self: RingNode,
  successor: () => RingNode,
  fingers: Array<RingNode | undefined>,
  lookup: (id: RingId, signal: AbortSignal) => Promise<RingNode>,
  signal: AbortSignal,
): Promise<void> {
  let i = 0
  while (i < RING_BITS && !signal.aborted) {
    const start = fingerStart(self.id, i)
    const next = successor()
    const owner = inHalfOpenInterval(start, self.id, next.id) ? next : await lookup(start, signal)
    // every later finger whose start still falls in [start, owner] has the same owner
    while (i < RING_BITS) {
      const s = fingerStart(self.id, i)
      if (s !== start && !inHalfOpenInterval(s, start, owner.id)) break
      fingers[i] = owner
      i++
    }
  }
}
