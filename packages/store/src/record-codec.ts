import { StoreCorruptError } from './errors.js'
import type { StoredRecord } from './store.js'
import type { Version } from './version.js'

/*
 * How LmdbStore lays records out on disk.
 *
 * Key: the ring position as 8 big-endian bytes, then the key bytes. LMDB orders keys
 * bytewise, so that order is (position, key) and a ring range is one or two cursor
 * runs. A position alone (8 bytes) sorts before every key at that position, which makes
 * it the bound of a run.
 *
 * Value: a fixed 25-byte header, the expiry when flagged, then the value bytes.
 *   byte 0       format (high nibble, 1) and flags (bit 0: tombstone, bit 1: expiry)
 *   bytes 1-8    version timestamp, big-endian
 *   bytes 9-16   version writer, big-endian
 *   bytes 17-24  recordHash(key, version, value, expiresAt), kept for digests
 *   bytes 25-32  only with the expiry flag: expiresAt, ms since the epoch, big-endian
 * Records written before TTLs existed have no expiry flag and read as before.
 * A fixed header rather than msgpack: the write path compares versions and the digest
 * path sums hashes by reading fixed offsets, without decoding values or building
 * objects, and a record costs 25 bytes more than its key and value.
 */

export const POSITION_BYTES = 8
export const HEADER_BYTES = 25
const FORMAT_1 = 0x10
const FORMAT_MASK = 0xf0
const TOMBSTONE = 0x01
const EXPIRES = 0x02
const EXPIRY_BYTES = 8

export function storageKey(position: bigint, key: Uint8Array): Buffer {
  const bytes = Buffer.allocUnsafe(POSITION_BYTES + key.byteLength)
  bytes.writeBigUInt64BE(position, 0)
  bytes.set(key, POSITION_BYTES)
  return bytes
}

/** The smallest storage key at `position`: the start of its run. */
export function positionBound(position: bigint): Buffer {
  const bytes = Buffer.allocUnsafe(POSITION_BYTES)
  bytes.writeBigUInt64BE(position, 0)
  return bytes
}

export function encodeValue(record: StoredRecord, hash: bigint): Buffer {
  const valueBytes = record.value?.byteLength ?? 0
  const expires = record.expiresAt !== undefined
  const valueStart = HEADER_BYTES + (expires ? EXPIRY_BYTES : 0)
  const bytes = Buffer.allocUnsafe(valueStart + valueBytes)
  bytes[0] = FORMAT_1 | (record.value === undefined ? TOMBSTONE : 0) | (expires ? EXPIRES : 0)
  bytes.writeBigUInt64BE(record.version.timestamp, 1)
  bytes.writeBigUInt64BE(record.version.writer, 9)
  bytes.writeBigUInt64BE(hash, 17)
  if (record.expiresAt !== undefined) {
    bytes.writeBigUInt64BE(BigInt(record.expiresAt), HEADER_BYTES)
  }
  if (record.value !== undefined) bytes.set(record.value, valueStart)
  return bytes
}

/** The expiry of a stored record, or undefined when it has none. */
export function readExpiresAt(storedValue: Buffer): number | undefined {
  if (((storedValue[0] as number) & EXPIRES) === 0) return undefined
  return Number(storedValue.readBigUInt64BE(HEADER_BYTES))
}

/** The value bytes of a stored record that is not a tombstone. */
export function readValue(storedValue: Buffer): Buffer {
  const expires = ((storedValue[0] as number) & EXPIRES) !== 0
  return storedValue.subarray(HEADER_BYTES + (expires ? EXPIRY_BYTES : 0))
}

export function decodeRecord(storedKey: Buffer, storedValue: Buffer): StoredRecord {
  checkHeader(storedKey, storedValue)
  const expiresAt = readExpiresAt(storedValue)
  return {
    key: storedKey.subarray(POSITION_BYTES),
    position: storedKey.readBigUInt64BE(0),
    value: isTombstone(storedValue) ? undefined : readValue(storedValue),
    version: readVersion(storedValue),
    ...(expiresAt === undefined ? {} : { expiresAt }),
  }
}

export function readVersion(storedValue: Buffer): Version {
  return { timestamp: storedValue.readBigUInt64BE(1), writer: storedValue.readBigUInt64BE(9) }
}

export function readPosition(storedKey: Buffer): bigint {
  return storedKey.readBigUInt64BE(0)
}

export function readHash(storedValue: Buffer): bigint {
  return storedValue.readBigUInt64BE(17)
}

export function isTombstone(storedValue: Buffer): boolean {
  return ((storedValue[0] as number) & TOMBSTONE) !== 0
}

export function checkHeader(storedKey: Buffer, storedValue: Buffer): void {
  if (
    storedKey.byteLength < POSITION_BYTES ||
    storedValue.byteLength < HEADER_BYTES ||
    ((storedValue[0] as number) & FORMAT_MASK) !== FORMAT_1 ||
    (((storedValue[0] as number) & EXPIRES) !== 0 &&
      storedValue.byteLength < HEADER_BYTES + EXPIRY_BYTES)
  ) {
    throw new StoreCorruptError(
      `unreadable record under key ${storedKey.toString('hex')}: unknown format or truncated`,
    )
  }
}
