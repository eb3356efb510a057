import { EmptyRingError } from '../errors.js'
import type { RingId } from '../ring-id.js'
import { requireVirtualNodes } from './consistent-hashing.js'
import { requireNodeId, requireReplicaCount } from './partitioner.js'
import { sortPositions } from './position-sort.js'
import { shortSha256 } from './short-sha256.js'

const LOW_32 = 0xffffffffn
/** At most 2^22 slices: a 16 MiB index for rings of millions of tokens. */
const MAX_SLICE_BITS = 22

function sliceOf(high: number, shift: number): number {
  return shift === 32 ? 0 : high >>> shift
}

/**
 * The positions of a node's virtual nodes as two 32-bit halves: the same positions as
 * {@link virtualNodePositions}, without a bigint or a Hash object per position.
 */
export function tokenPositions(
  node: RingId,
  count: number,
): { high: Uint32Array; low: Uint32Array } {
  requireNodeId(node)
  requireVirtualNodes(count)
  const high = new Uint32Array(count)
  const low = new Uint32Array(count)
  high[0] = Number(node >> 32n)
  low[0] = Number(node & LOW_32)
  // hash(id as 8 big-endian bytes ‖ i as 4): three words.
  const words = [high[0], low[0], 0]
  const digest = new Uint32Array(2)
  for (let i = 1; i < count; i++) {
    words[2] = i
    shortSha256(words, 3, digest)
    high[i] = digest[0] as number
    low[i] = digest[1] as number
  }
  return { high, low }
}

/**
 * Computes every node's token positions, node by node: node n's V positions at
 * n·V … n·V + V − 1, in the order {@link tokenPositions} gives them. The default works
 * through the nodes one after another; a caller with many nodes may spread the hashing
 * over threads (the simulator does), as long as the layout and the values are the same.
 */
export type TokenPlacer = (
  nodes: readonly RingId[],
  virtualNodes: number,
) => { high: Uint32Array; low: Uint32Array }

export const placeTokens: TokenPlacer = (nodes, virtualNodes) => {
  const high = new Uint32Array(nodes.length * virtualNodes)
  const low = new Uint32Array(nodes.length * virtualNodes)
  nodes.forEach((node, n) => {
    const positions = tokenPositions(node, virtualNodes)
    high.set(positions.high, n * virtualNodes)
    low.set(positions.low, n * virtualNodes)
  })
  return { high, low }
}

/**
 * A fixed consistent-hashing ring in typed arrays: every node's virtual nodes sorted by
 * (position, node id), as {@link ConsistentHashing} orders them, so both give the same
 * owner and replicas for every key. For callers that place millions of keys on a ring
 * that does not change (the simulator): building is a radix sort, a lookup a binary
 * search over 32-bit halves, and nothing is allocated per key.
 */
export class TokenTable {
  /** The nodes, ascending; tokens name their node by index into this. */
  readonly nodes: readonly RingId[]
  readonly virtualNodes: number
  /** Token positions, sorted: high and low 32-bit halves. */
  readonly high: Uint32Array
  readonly low: Uint32Array
  /** Index (into `nodes`) of the node each token belongs to. */
  readonly node: Int32Array
  // First token of each of 2^bits equal slices of the ring (and the size, at the end):
  // a lookup searches one slice of a few tokens instead of the whole array. Tokens are
  // hash positions, so slices are evenly filled; on a ring of 12.8 million tokens this
  // saves some twenty cache misses per lookup, which is most of a lookup's time.
  readonly #sliceStart: Int32Array
  readonly #sliceShift: number

  constructor(nodes: Iterable<RingId>, virtualNodes = 1, place: TokenPlacer = placeTokens) {
    requireVirtualNodes(virtualNodes)
    const unique = [...new Set(nodes)]
    for (const node of unique) requireNodeId(node)
    this.nodes = unique.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    this.virtualNodes = virtualNodes
    const total = this.nodes.length * virtualNodes
    const { high, low } = place(this.nodes, virtualNodes)
    if (high.length !== total || low.length !== total) {
      throw new RangeError(`a token placer must return ${total} positions`)
    }
    this.high = high
    this.low = low
    this.node = new Int32Array(total)
    for (let n = 0; n < this.nodes.length; n++) {
      this.node.fill(n, n * virtualNodes, (n + 1) * virtualNodes)
    }
    // Filled in node-id order and sorted stably: equal positions stay in node-id order.
    sortPositions(this.high, this.low, this.node)
    const bits = Math.min(MAX_SLICE_BITS, Math.floor(Math.log2(Math.max(total, 1))))
    this.#sliceShift = 32 - bits
    this.#sliceStart = new Int32Array(2 ** bits + 1)
    let token = 0
    for (let slice = 0; slice <= 2 ** bits; slice++) {
      while (token < total && sliceOf(this.high[token] as number, this.#sliceShift) < slice) token++
      this.#sliceStart[slice] = token
    }
  }

  /** Number of tokens: nodes × virtual nodes. */
  get size(): number {
    return this.high.length
  }

  positionAt(token: number): RingId {
    return (BigInt(this.high[token] as number) << 32n) | BigInt(this.low[token] as number)
  }

  /** The token that owns the position (keyHigh, keyLow): the first at or after it, wrapping. */
  firstAtOrAfter(keyHigh: number, keyLow: number): number {
    if (this.high.length === 0) throw new EmptyRingError()
    // Every token before the key's slice is below the key; every one after it, above.
    const slice = sliceOf(keyHigh, this.#sliceShift)
    let lo = this.#sliceStart[slice] as number
    let hi = this.#sliceStart[slice + 1] as number
    const { high, low } = this
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const h = high[mid] as number
      if (h < keyHigh || (h === keyHigh && (low[mid] as number) < keyLow)) lo = mid + 1
      else hi = mid
    }
    return lo === high.length ? 0 : lo
  }

  /**
   * Writes the first `count` distinct nodes clockwise from `token` (node indices, owner
   * first) into `out`; returns how many (fewer when there are fewer nodes).
   */
  replicaNodes(token: number, count: number, out: Int32Array): number {
    const wanted = Math.min(count, this.nodes.length)
    const total = this.node.length
    let filled = 0
    for (let step = 0; step < total && filled < wanted; step++) {
      const node = this.node[(token + step) % total] as number
      let seen = false
      for (let j = 0; j < filled; j++) if (out[j] === node) seen = true
      if (!seen) out[filled++] = node
    }
    return filled
  }

  ownerOf(position: RingId): RingId {
    const token = this.firstAtOrAfter(Number(position >> 32n), Number(position & LOW_32))
    return this.nodes[this.node[token] as number] as RingId
  }

  replicasOf(position: RingId, count: number): RingId[] {
    requireReplicaCount(count)
    if (this.nodes.length === 0) return []
    const token = this.firstAtOrAfter(Number(position >> 32n), Number(position & LOW_32))
    const out = new Int32Array(Math.min(count, this.nodes.length))
    const filled = this.replicaNodes(token, count, out)
    return Array.from(out.subarray(0, filled), (n) => this.nodes[n] as RingId)
  }
}
