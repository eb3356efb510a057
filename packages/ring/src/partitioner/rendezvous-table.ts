import type { RingId } from '../ring-id.js'
import { requireNodeId } from './partitioner.js'
import { absorb, finish, mixWord, nodeStates, WEIGHT_HIGH_FACTOR } from './rendezvous-weight.js'

const LOW_32 = 0xffffffffn

/**
 * A fixed membership scored in bulk: the same weights and order as
 * {@link RendezvousHashing}, for callers that rank millions of keys (the simulator).
 * Node states sit in typed arrays and a key is given as its two 32-bit words, so the
 * inner loop allocates nothing; a node whose high half already falls below the current
 * r-th best is dropped before its low half is computed, which halves the work for most
 * nodes without changing any answer (the high half is the weight's leading part).
 *
 * Still O(N) per key: rendezvous hashing has no index to search, so ranking K keys over
 * N nodes costs N·K weights, whatever the layout.
 */
export class RendezvousTable {
  /** The nodes, ascending: index order is id order, so ties go to the larger index. */
  readonly nodes: readonly RingId[]
  readonly #stateHigh: Int32Array
  readonly #stateLow: Int32Array

  constructor(nodes: Iterable<RingId>) {
    const unique = [...new Set(nodes)]
    for (const node of unique) requireNodeId(node)
    this.nodes = unique.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    this.#stateHigh = new Int32Array(this.nodes.length)
    this.#stateLow = new Int32Array(this.nodes.length)
    this.nodes.forEach((node, i) => {
      const states = nodeStates(node)
      this.#stateHigh[i] = states.high
      this.#stateLow[i] = states.low
    })
  }

  get size(): number {
    return this.nodes.length
  }

  /** The weight of node `index` for the key whose position has these 32-bit words. */
  weightOf(index: number, keyHigh: number, keyLow: number): number {
    const mixedHigh = mixWord(keyHigh)
    const mixedLow = mixWord(keyLow)
    const high = finish(absorb(absorb(this.#stateHigh[index] as number, mixedHigh), mixedLow))
    const low = finish(absorb(absorb(this.#stateLow[index] as number, mixedHigh), mixedLow))
    return high * WEIGHT_HIGH_FACTOR + (low >>> 11)
  }

  /**
   * Writes the indices and weights of the `count` highest-ranked nodes for the key into
   * `outIndex` and `outWeight`, best first, and returns how many (min(count, N)).
   */
  rank(
    keyHigh: number,
    keyLow: number,
    count: number,
    outIndex: Int32Array,
    outWeight: Float64Array,
  ): number {
    const n = this.nodes.length
    const wanted = Math.min(count, n)
    if (wanted <= 0) return 0
    const mixedHigh = mixWord(keyHigh)
    const mixedLow = mixWord(keyLow)
    const stateHigh = this.#stateHigh
    const stateLow = this.#stateLow
    let filled = 0
    // While the list is full, a node needs a high half of at least this to get in.
    let floorHigh = 0
    for (let i = 0; i < n; i++) {
      const high = finish(absorb(absorb(stateHigh[i] as number, mixedHigh), mixedLow))
      if (filled === wanted && high < floorHigh) continue
      const low = finish(absorb(absorb(stateLow[i] as number, mixedHigh), mixedLow))
      const weight = high * WEIGHT_HIGH_FACTOR + (low >>> 11)
      let at = filled
      if (filled === wanted) {
        // A later index is a larger id, so it wins a tie.
        if (weight < (outWeight[wanted - 1] as number)) continue
        at--
      } else {
        filled++
      }
      while (at > 0 && weight >= (outWeight[at - 1] as number)) {
        outIndex[at] = outIndex[at - 1] as number
        outWeight[at] = outWeight[at - 1] as number
        at--
      }
      outIndex[at] = i
      outWeight[at] = weight
      if (filled === wanted)
        floorHigh = Math.floor((outWeight[wanted - 1] as number) / WEIGHT_HIGH_FACTOR)
    }
    return wanted
  }

  /** The `count` highest-ranked nodes for the key at `position`, owner first. */
  replicasOf(position: RingId, count: number): RingId[] {
    const wanted = Math.min(count, this.nodes.length)
    const index = new Int32Array(wanted)
    const weight = new Float64Array(wanted)
    const high = Number(position >> 32n)
    const low = Number(position & LOW_32)
    const filled = this.rank(high, low, wanted, index, weight)
    return Array.from(index.subarray(0, filled), (i) => this.nodes[i] as RingId)
  }
}
