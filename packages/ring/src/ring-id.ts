import { hash } from 'node:crypto'

/**
 * Width of the identifier space in bits.
 *
 * 64 bits: the chance that two of a million nodes collide is about 2.7e-8, a finger
 * table has 64 entries (most collapse to the same peer), an id fits a protobuf
 * `fixed64`, prints as 16 hex digits, and bigint arithmetic on it stays cheap in the
 * simulator's hot loop. Keys may share a position; only node positions must differ.
 */
export const RING_BITS = 64

/** Number of positions on the ring: 2^RING_BITS. */
export const RING_SIZE: bigint = 1n << BigInt(RING_BITS)

const RING_MASK = RING_SIZE - 1n

/** A position on the ring, in [0, RING_SIZE). */
export type RingId = bigint

/**
 * The ring position of some bytes: the first 8 bytes of their SHA-256, big-endian.
 * Node positions hash the peer id bytes, key positions hash the key bytes.
 */
export function ringIdOf(bytes: Uint8Array | string): RingId {
  // one-shot: no Hash object per call (a get hashes its key at the client and the owner)
  return hash('sha256', bytes, 'buffer').readBigUInt64BE(0)
}

/** (a + b) mod RING_SIZE. */
export function ringAdd(a: RingId, b: bigint): RingId {
  return (a + b) & RING_MASK
}

/** Clockwise distance from `from` to `to`, in [0, RING_SIZE). */
export function clockwiseDistance(from: RingId, to: RingId): bigint {
  return (to - from) & RING_MASK
}

/** Fixed-width lowercase hex, the form ids take in logs, JSON and the CLI. */
export function ringIdToHex(id: RingId): string {
  return id.toString(16).padStart(RING_BITS / 4, '0')
}

/** The 8 big-endian bytes of an id: the form vnode positions hash and the wire carries. */
export function ringIdToBytes(id: RingId): Uint8Array {
  const bytes = new Uint8Array(RING_BITS / 8)
  new DataView(bytes.buffer).setBigUint64(0, id & RING_MASK)
  return bytes
}

export function ringIdFromHex(hex: string): RingId {
  if (!/^[0-9a-f]{1,16}$/i.test(hex)) {
    throw new RangeError(`not a ${RING_BITS}-bit hex ring id: ${JSON.stringify(hex)}`)
  }
  return BigInt(`0x${hex}`)
}

export function isRingId(value: bigint): boolean {
  return value >= 0n && value < RING_SIZE
}
