import { MessageType, type Request, type Record as WireRecord } from '@ringdht/protocol'
import { clockwiseDistance, type RingId, ringIdOf } from '@ringdht/ring'
import type { StoredRecord } from '@ringdht/store'
import { ProtocolError } from '../errors.js'

export function toWireRecord(record: StoredRecord): WireRecord {
  return {
    key: record.key as Uint8Array<ArrayBuffer>,
    ...(record.value === undefined ? {} : { value: record.value as Uint8Array<ArrayBuffer> }),
    version: { timestamp: record.version.timestamp, writer: record.version.writer },
    ...(record.expiresAt === undefined ? {} : { expiresAt: BigInt(record.expiresAt) }),
  }
}

/**
 * The request that offers a copy of `record` to another member as it is (a replica
 * copy, a read repair, a hand-off): its version and expiry travel with it unchanged.
 */
export function copyRequest(
  record: StoredRecord,
): Pick<Request, 'type' | 'local' | 'key' | 'value' | 'version' | 'expiresAt'> {
  const tombstone = record.value === undefined
  return {
    type: tombstone ? MessageType.DELETE : MessageType.PUT,
    local: true,
    key: record.key as Uint8Array<ArrayBuffer>,
    ...(tombstone ? {} : { value: record.value as Uint8Array<ArrayBuffer> }),
    version: record.version,
    ...(record.expiresAt === undefined ? {} : { expiresAt: BigInt(record.expiresAt) }),
  }
}

/** A record received from the network; its position is recomputed, never trusted. */
export function fromWireRecord(record: WireRecord): StoredRecord {
  return fromWireRecordOf(record, undefined)
}

/**
 * An answer to a request for `asked.key`: when the record is for that key, its position
 * is the one the asker computed already rather than hashed again; any other key's is
 * recomputed, as in `fromWireRecord`.
 */
export function fromWireRecordFor(
  record: WireRecord,
  asked: { key: Uint8Array; position: RingId },
): StoredRecord {
  return fromWireRecordOf(record, sameKey(record.key, asked.key) ? asked.position : undefined)
}

function fromWireRecordOf(record: WireRecord, position: RingId | undefined): StoredRecord {
  return {
    key: record.key,
    position: position ?? ringIdOf(record.key),
    value: record.value,
    ...versionAndExpiryOf(record),
  }
}

function sameKey(a: Uint8Array, b: Uint8Array): boolean {
  return a === b || (a.byteLength === b.byteLength && Buffer.compare(a, b) === 0)
}

/** The version and expiry a caller is shown of a record from the wire (no position needed). */
export function versionAndExpiryOf(
  record: WireRecord,
): Pick<StoredRecord, 'version' | 'expiresAt'> {
  return {
    version: {
      timestamp: record.version?.timestamp ?? 0n,
      writer: record.version?.writer ?? 0n,
    },
    ...(record.expiresAt === undefined ? {} : { expiresAt: expiryFromWire(record.expiresAt) }),
  }
}

/**
 * An expiry from the wire as ms since the epoch. Beyond what a safe integer holds (no
 * real expiry is: that is 285,000 years away) it is refused, not rounded, so the store's
 * checks never see a value that is not the one sent.
 */
export function expiryFromWire(expiresAt: bigint): number {
  if (expiresAt < 0n || expiresAt > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new ProtocolError('MALFORMED_MESSAGE', `expiry ${expiresAt} is out of range`)
  }
  return Number(expiresAt)
}

export function wireRecordBytes(record: WireRecord): number {
  return record.key.byteLength + (record.value?.byteLength ?? 0) + 40
}

/** Where a paged read of a ring range has got to: the last record received. */
export interface PageCursor {
  readonly position: bigint
  readonly key: Uint8Array
}

/**
 * The cursor after a page of a range (start, end]. Pages must move forward, in ring
 * order from `start` and then by key bytes: a peer that repeats or rewinds a page
 * (buggy or hostile) would otherwise keep the reader asking for the same page forever.
 */
export function advancePageCursor(
  rangeStart: bigint,
  previous: PageCursor | undefined,
  page: readonly StoredRecord[],
): PageCursor | undefined {
  const last = page.at(-1)
  if (last === undefined) return previous
  if (previous !== undefined && compareInRange(rangeStart, last, previous) <= 0) {
    throw new ProtocolError('MALFORMED_MESSAGE', 'a range page did not move past the previous one')
  }
  return last
}

function compareInRange(rangeStart: bigint, a: PageCursor, b: PageCursor): number {
  const da = clockwiseDistance(rangeStart, a.position)
  const db = clockwiseDistance(rangeStart, b.position)
  if (da !== db) return da < db ? -1 : 1
  return Buffer.compare(a.key, b.key)
}
