import { type RingId, TokenTable, tokenPositions, upperBoundPosition } from '@ringdht/ring'
import { type KeyPositions, sortedKeys } from './keys.js'
import { placeTokensInParallel } from './parallel-hash.js'

/** Keys that change hands when one node joins or leaves: owners, and replica copies. */
export interface Moved {
  /** Keys whose owner changes. */
  owner: number
  /** Keys whose set of r replicas changes: one copy each is sent to (or lost with) the node. */
  replicated: number
}

/**
 * Consistent hashing with V virtual nodes, placed once for every key in typed arrays.
 * Join and leave figures are counted from the ring's ranges instead of placing every
 * key again after each change, and are exact (the tests compare them with recomputing
 * every key through the partitioner):
 *
 * - a leaving node's keys are exactly those it owned (or held a replica of);
 * - a joining node takes, for each of its tokens, the keys between its predecessor
 *   token and itself; as a replica it also enters the sets of keys whose clockwise walk
 *   reaches its token before r distinct other nodes, i.e. the keys after the token where
 *   walking backwards from it meets the r-th distinct node. The union of those ranges
 *   over its tokens is counted by binary search in the sorted keys.
 */
export class ChordPlacement {
  readonly table: TokenTable
  readonly replicas: number
  /** Owner token of every key, in key order. */
  readonly ownerToken: Int32Array
  /** Keys owned, per node index of `table.nodes`. */
  readonly ownerLoads: Int32Array
  /** Keys held as one of the r replicas, per node index. */
  readonly replicaLoads: Int32Array
  readonly #sorted: KeyPositions

  constructor(
    nodes: readonly RingId[],
    keys: KeyPositions,
    virtualNodes: number,
    replicas: number,
  ) {
    this.table = new TokenTable(nodes, virtualNodes, placeTokensInParallel)
    this.replicas = replicas
    const count = keys.high.length
    this.ownerToken = new Int32Array(count)
    this.ownerLoads = new Int32Array(this.table.nodes.length)
    this.replicaLoads = new Int32Array(this.table.nodes.length)
    const replicaSet = new Int32Array(replicas)
    for (let k = 0; k < count; k++) {
      const token = this.table.firstAtOrAfter(keys.high[k] as number, keys.low[k] as number)
      this.ownerToken[k] = token
      const owner = this.table.node[token] as number
      this.ownerLoads[owner] = (this.ownerLoads[owner] as number) + 1
      const filled = this.table.replicaNodes(token, replicas, replicaSet)
      for (let j = 0; j < filled; j++) {
        const holder = replicaSet[j] as number
        this.replicaLoads[holder] = (this.replicaLoads[holder] as number) + 1
      }
    }
    this.#sorted = sortedKeys(keys)
  }

  /**
   * Each node's share of the ring (the arcs its tokens own) over the mean share 1/N:
   * the balance the keys would show with K → ∞, free of key-count noise, which at
   * K/N = 10 keys per node swamps the placement's own imbalance.
   */
  ringShare(): { maxOverMean: number; minOverMean: number } {
    const { high, low, node } = this.table
    const total = high.length
    const shares = new Float64Array(this.table.nodes.length)
    const at = (i: number) => (high[i] as number) * 2 ** 32 + (low[i] as number)
    for (let i = 0; i < total; i++) {
      // Token i owns (token i − 1, token i]; token 0 owns the wrap from the last one.
      const arc = i === 0 ? at(0) + 2 ** 64 - at(total - 1) : at(i) - at(i - 1)
      const owner = node[i] as number
      shares[owner] = (shares[owner] as number) + arc
    }
    const mean = 2 ** 64 / shares.length
    let max = 0
    let min = Number.POSITIVE_INFINITY
    for (const share of shares) {
      max = Math.max(max, share)
      min = Math.min(min, share)
    }
    return { maxOverMean: max / mean, minOverMean: min / mean }
  }

  /** Keys moved if `joiner` (not on the ring) joined. The ring is not changed. */
  joinMoves(joiner: RingId): Moved {
    const tokens = tokenPositions(joiner, this.table.virtualNodes)
    return {
      owner: this.#keysReaching(tokens, 1),
      replicated: this.#keysReaching(tokens, this.replicas),
    }
  }

  /**
   * Keys whose first `depth` distinct nodes clockwise would include a node with these
   * tokens: per token, the keys in (start, token], where start is the existing token at
   * which walking backwards meets the depth-th distinct node.
   */
  #keysReaching(tokens: { high: Uint32Array; low: Uint32Array }, depth: number): number {
    const { high, low, node } = this.table
    const total = high.length
    const keyCount = this.#sorted.high.length
    const ranges: Array<[number, number]> = []
    const seen = new Int32Array(depth)
    for (let t = 0; t < tokens.high.length; t++) {
      const tokenHigh = tokens.high[t] as number
      const tokenLow = tokens.low[t] as number
      // The first token at or after this one; walking backwards from it wraps alike.
      const insertAt = this.table.firstAtOrAfter(tokenHigh, tokenLow)
      let distinct = 0
      let start = -1
      for (let step = 1; step <= total; step++) {
        const i = (insertAt - step + total) % total
        const holder = node[i] as number
        let known = false
        for (let j = 0; j < distinct; j++) if (seen[j] === holder) known = true
        if (known) continue
        seen[distinct++] = holder
        if (distinct === depth) {
          start = i
          break
        }
      }
      // Fewer than `depth` nodes on the ring: the joiner enters every key's set.
      if (start < 0) return keyCount
      const from = upperBoundPosition(
        this.#sorted.high,
        this.#sorted.low,
        high[start] as number,
        low[start] as number,
      )
      const to = upperBoundPosition(this.#sorted.high, this.#sorted.low, tokenHigh, tokenLow)
      if (compare(high[start] as number, low[start] as number, tokenHigh, tokenLow) < 0) {
        ranges.push([from, to])
      } else {
        ranges.push([from, keyCount], [0, to])
      }
    }
    return unionLength(ranges)
  }
}

function compare(aHigh: number, aLow: number, bHigh: number, bLow: number): number {
  return aHigh !== bHigh ? aHigh - bHigh : aLow - bLow
}

/** Total length of the union of half-open index ranges. */
function unionLength(ranges: Array<[number, number]>): number {
  ranges.sort((a, b) => a[0] - b[0])
  let covered = 0
  let end = 0
  for (const [from, to] of ranges) {
    if (to <= end) continue
    covered += to - Math.max(from, end)
    end = to
  }
  return covered
}
