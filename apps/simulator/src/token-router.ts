import type { TokenTable } from '@ringdht/ring'

const TWO_32 = 2 ** 32

/**
 * Chord lookups over a {@link TokenTable}, hop for hop the same as {@link ChordNetwork}
 * (the tests check it on random rings), without building a finger table per position.
 * At 100,000 nodes × V tokens those tables would be millions of 64-entry arrays; here a
 * step finds its next position from the sorted tokens directly:
 *
 * - the successor list of the position at index i is the positions i+1 … i+s;
 * - finger j is successor(self + 2^j), and the fingers are ordered by distance, so the
 *   finger closest before the key is successor(self + 2^b), b = floor(log2 d), where d
 *   is the distance from self to the last position before the key. No finger with a
 *   larger j lies before the key, and that one does (the last position qualifies).
 *
 * The step goes to whichever of the two is nearer the key, as closestPrecedingNode
 * would choose among all fingers and successors. One search of a few tokens per step (TokenTable indexes its slices).
 */
export class TokenRouter {
  readonly #table: TokenTable
  readonly #successors: number

  constructor(table: TokenTable, successorListLength: number) {
    this.#table = table
    this.#successors = Math.min(successorListLength, Math.max(table.size - 1, 0))
  }

  /**
   * Routes from the position at index `start` to the owner of the key at
   * (keyHigh, keyLow); returns the forwarding steps between distinct nodes and writes
   * nothing. A step between two positions of one node costs no message.
   */
  hops(start: number, keyHigh: number, keyLow: number): number {
    const { high, node } = this.#table
    const n = high.length
    const owner = this.#table.firstAtOrAfter(keyHigh, keyLow)
    let at = start
    let hops = 0
    while (at !== owner) {
      // Positions strictly between self and the key: at+1 … owner-1, clockwise.
      const between = (owner - at - 1 + n) % n
      let offset = 1
      if (between > 0) {
        const last = (owner - 1 + n) % n
        const finger = this.#closestFinger(at, last)
        offset = Math.max(Math.min(this.#successors, between), (finger - at + n) % n)
      }
      const next = (at + offset) % n
      if (node[next] !== node[at]) hops++
      at = next
    }
    return hops
  }

  /** successor(self + 2^b) with b = floor(log2 distance(self, last)). */
  #closestFinger(self: number, last: number): number {
    const { high, low } = this.#table
    const selfHigh = high[self] as number
    const selfLow = low[self] as number
    const lastHigh = high[last] as number
    const lastLow = low[last] as number
    const borrow = lastLow < selfLow ? 1 : 0
    const distanceHigh = (lastHigh - selfHigh - borrow + TWO_32) % TWO_32
    const distanceLow = (lastLow - selfLow + TWO_32) % TWO_32
    let targetHigh = selfHigh
    let targetLow = selfLow
    if (distanceHigh > 0) {
      const bit = 31 - Math.clz32(distanceHigh)
      targetHigh = (selfHigh + 2 ** bit) % TWO_32
    } else {
      targetLow = selfLow + 2 ** (31 - Math.clz32(distanceLow))
      if (targetLow >= TWO_32) {
        targetLow -= TWO_32
        targetHigh = (selfHigh + 1) % TWO_32
      }
    }
    return this.#table.firstAtOrAfter(targetHigh, targetLow)
  }
}
