import { hash } from 'node:crypto'
import { EmptyRingError } from '../errors.js'
import type { RingId } from '../ring-id.js'
import { requireVirtualNodes } from './consistent-hashing.js'
import { requireNodeId, requireReplicaCount } from './partitioner.js'
import { lowerBoundPosition, sortPositions } from './position-sort.js'

const LOW_32 = 0xffffffffn

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
  const input = Buffer.alloc(12)
  input.writeUInt32BE(high[0], 0)
  input.writeUInt32BE(low[0], 4)
  for (let i = 1; i < count; i++) {
    input.writeUInt32BE(i, 8)
    const digest = hash('sha256', input, 'buffer')
    high[i] = digest.readUInt32BE(0)
    low[i] = digest.readUInt32BE(4)
  }
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

  constructor(nodes: Iterable<RingId>, virtualNodes = 1) {
    requireVirtualNodes(virtualNodes)
    const unique = [...new Set(nodes)]
    for (const node of unique) requireNodeId(node)
    this.nodes = unique.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    this.virtualNodes = virtualNodes
    const total = this.nodes.length * virtualNodes
    this.high = new Uint32Array(total)
    this.low = new Uint32Array(total)
    this.node = new Int32Array(total)
    this.nodes.forEach((node, n) => {
      const positions = tokenPositions(node, virtualNodes)
      this.high.set(positions.high, n * virtualNodes)
      this.low.set(positions.low, n * virtualNodes)
      this.node.fill(n, n * virtualNodes, (n + 1) * virtualNodes)
    })
    // Filled in node-id order and sorted stably: equal positions stay in node-id order.
    sortPositions(this.high, this.low, this.node)
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
    const i = lowerBoundPosition(this.high, this.low, keyHigh, keyLow)
    return i === this.high.length ? 0 : i
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
