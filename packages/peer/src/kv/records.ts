import type { Record as WireRecord } from '@ringdht/protocol'
import { clockwiseDistance, ringIdOf } from '@ringdht/ring'
import type { StoredRecord } from '@ringdht/store'
import { ProtocolError } from '../errors.js'

export function toWireRecord(record: StoredRecord): WireRecord {
  return {
    key: record.key as Uint8Array<ArrayBuffer>,
    ...(record.value === undefined ? {} : { value: record.value as Uint8Array<ArrayBuffer> }),
    version: { timestamp: record.version.timestamp, writer: record.version.writer },
  }
}

/** A record received from the network; its position is recomputed, never trusted. */
export function fromWireRecord(record: WireRecord): StoredRecord {
  return {
    key: record.key,
    position: ringIdOf(record.key),
    value: record.value,
    version: {
      timestamp: record.version?.timestamp ?? 0n,
      writer: record.version?.writer ?? 0n,
    },
  }
}

export function wireRecordBytes(record: WireRecord): number {
  return record.key.byteLength + (record.value?.byteLength ?? 0) + 32
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
