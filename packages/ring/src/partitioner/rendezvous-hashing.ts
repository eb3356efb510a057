import { EmptyRingError } from '../errors.js'
import type { RingId } from '../ring-id.js'
import {
  type KeyLike,
  keyPosition,
  type Partitioner,
  requireNodeId,
  requireReplicaCount,
} from './partitioner.js'
import { type Halves, keyWords, nodeStates, weightOf } from './rendezvous-weight.js'

export interface RendezvousHashingInit {
  /** Nodes to start with. Default none. */
  nodes?: Iterable<RingId>
}

/**
 * The rendezvous weight of `node` for the key at ring position `key`: an integer in
 * [0, 2^53). The node with the highest weight owns the key; equal weights go to the
 * larger node id.
 */
export function rendezvousWeight(node: RingId, key: RingId): number {
  return weightOf(nodeStates(node), keyWords(key))
}

/**
 * The order of rendezvous hashing: does node a, with weight aWeight for some key, rank
 * above node b? Higher weight first; equal weights go to the larger node id.
 */
export function rendezvousOutranks(
  aWeight: number,
  a: RingId,
  bWeight: number,
  b: RingId,
): boolean {
  return aWeight > bWeight || (aWeight === bWeight && a > b)
}

/**
 * Rendezvous (highest-random-weight) hashing: every node scores every key and the
 * highest scores hold it, owner first. A leaving node's keys spread over all others
 * instead of landing on one neighbour, and no virtual nodes are needed for balance; the
 * price is a lookup that scores every node, O(N) instead of O(log N).
 */
export class RendezvousHashing implements Partitioner {
  readonly kind = 'rendezvous' as const
  // Dense arrays, swap-removed; order never matters because ties break by id.
  readonly #ids: RingId[] = []
  readonly #states: Halves[] = []
  readonly #indexOf = new Map<RingId, number>()

  constructor(init: RendezvousHashingInit = {}) {
    for (const node of init.nodes ?? []) this.addNode(node)
  }

  get size(): number {
    return this.#ids.length
  }

  nodes(): RingId[] {
    return [...this.#ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  }

  has(node: RingId): boolean {
    return this.#indexOf.has(node)
  }

  addNode(node: RingId): boolean {
    requireNodeId(node)
    if (this.#indexOf.has(node)) return false
    this.#indexOf.set(node, this.#ids.length)
    this.#ids.push(node)
    this.#states.push(nodeStates(node))
    return true
  }

  removeNode(node: RingId): boolean {
    const i = this.#indexOf.get(node)
    if (i === undefined) return false
    const last = this.#ids.length - 1
    const lastId = this.#ids[last] as RingId
    this.#ids[i] = lastId
    this.#states[i] = this.#states[last] as Halves
    this.#indexOf.set(lastId, i)
    this.#ids.pop()
    this.#states.pop()
    this.#indexOf.delete(node)
    return true
  }

  ownerOf(key: KeyLike): RingId {
    const n = this.#ids.length
    if (n === 0) throw new EmptyRingError()
    const words = keyWords(keyPosition(key))
    let best = 0
    let bestWeight = -1
    for (let i = 0; i < n; i++) {
      const weight = weightOf(this.#states[i] as Halves, words)
      if (
        rendezvousOutranks(weight, this.#ids[i] as RingId, bestWeight, this.#ids[best] as RingId)
      ) {
        best = i
        bestWeight = weight
      }
    }
    return this.#ids[best] as RingId
  }

  replicasOf(key: KeyLike, count: number): RingId[] {
    requireReplicaCount(count)
    const n = this.#ids.length
    const wanted = Math.min(count, n)
    if (wanted === 0) return []
    const words = keyWords(keyPosition(key))
    if (wanted > 64) return this.#rankAll(words).slice(0, wanted)
    // The best `wanted` so far, best first: insertion into a short list.
    const topIndex: number[] = []
    const topWeight: number[] = []
    for (let i = 0; i < n; i++) {
      const weight = weightOf(this.#states[i] as Halves, words)
      const id = this.#ids[i] as RingId
      let at = topIndex.length
      if (at === wanted) {
        const last = topIndex[at - 1] as number
        if (!rendezvousOutranks(weight, id, topWeight[at - 1] as number, this.#ids[last] as RingId))
          continue
        at--
      }
      while (at > 0) {
        const above = topIndex[at - 1] as number
        if (
          !rendezvousOutranks(weight, id, topWeight[at - 1] as number, this.#ids[above] as RingId)
        )
          break
        topIndex[at] = above
        topWeight[at] = topWeight[at - 1] as number
        at--
      }
      topIndex[at] = i
      topWeight[at] = weight
    }
    return topIndex.map((i) => this.#ids[i] as RingId)
  }

  #rankAll(words: Halves): RingId[] {
    const scored = this.#ids.map((id, i) => ({
      id,
      weight: weightOf(this.#states[i] as Halves, words),
    }))
    scored.sort((a, b) => (rendezvousOutranks(a.weight, a.id, b.weight, b.id) ? -1 : 1))
    return scored.map((s) => s.id)
  }
}
