import { isRingId, type RingId, ringIdOf } from '../ring-id.js'

/** Which rule places keys on nodes. */
export type PartitionerKind = 'chord' | 'rendezvous'

/**
 * A key as callers hold it: its bytes (or a string, hashed as UTF-8), or a bigint that
 * is already a ring position (the hash of the key bytes, see {@link keyPosition}).
 */
export type KeyLike = RingId | Uint8Array | string

/**
 * Decides which nodes hold a key. A node is named by its ring id, the hash of its peer
 * id bytes: the same id the Chord ring and the finger tables use, so a partitioner and
 * a live ring agree on who a node is without a second naming scheme.
 *
 * Every answer depends only on the current set of nodes, never on the order they were
 * added in, so two peers that know the same members agree on every owner.
 */
export interface Partitioner {
  readonly kind: PartitionerKind
  /** Number of (physical) nodes. */
  readonly size: number
  /** The nodes, in ascending id order. */
  nodes(): RingId[]
  has(node: RingId): boolean
  /** Adds a node; false when it was already there. */
  addNode(node: RingId): boolean
  /** Removes a node; false when it was not there. */
  removeNode(node: RingId): boolean
  /** The node responsible for `key`. Throws EmptyRingError when there are no nodes. */
  ownerOf(key: KeyLike): RingId
  /**
   * The `count` distinct nodes that hold `key`, owner first, in the order a reader
   * falls back through them. Fewer when there are fewer nodes.
   */
  replicasOf(key: KeyLike, count: number): RingId[]
}

/** The ring position of a key: bytes and strings are hashed, a bigint is taken as is. */
export function keyPosition(key: KeyLike): RingId {
  if (typeof key === 'bigint') {
    if (!isRingId(key)) throw new RangeError(`key position out of the ring: ${key}`)
    return key
  }
  return ringIdOf(key)
}

export function requireNodeId(node: RingId): void {
  if (typeof node !== 'bigint' || !isRingId(node)) {
    throw new RangeError(`a node must be named by its ring id, got ${String(node)}`)
  }
}

export function requireReplicaCount(count: number): void {
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`replica count must be a non-negative integer, got ${count}`)
  }
}
