/** Ring positions as the bench passes them between processes: bigints or 16 hex digits. */

/** A ring position as the peer reports it: a bigint, or 16 hex digits from a client. */
export type RingPosition = bigint | string

/** A ring position from either representation. */
export function toRingId(position: RingPosition): bigint {
  return typeof position === 'bigint' ? position : BigInt(`0x${position}`)
}

/** A ring position as 16 hex digits. */
export function toRingHex(position: RingPosition): string {
  return typeof position === 'bigint' ? position.toString(16).padStart(16, '0') : position
}
