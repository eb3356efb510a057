import { type LogEntry, WatchChange } from '@ringdht/protocol'
import type { StoredRecord, Version } from '@ringdht/store'

/** One change of a watched key, as its owner applied it. */
export interface KeyChange {
  readonly key: Uint8Array
  readonly op: 'put' | 'delete'
  /** The record's version (HLC timestamp + writer): newer changes have higher versions. */
  readonly version: Version
  /** A put's value; absent for a delete, or when `valueOmitted`. */
  readonly value?: Uint8Array
  /** The value was too large to keep in the key's change log: get the key to read it. */
  readonly valueOmitted?: true
  /** When the value stops being readable (a put with a TTL), ms since the epoch. */
  readonly expiresAt?: number
  /** Its place in the key's change log: gap-free and increasing per key. */
  readonly seq: number
  /** When the owner logged it, ms since the epoch (the owner's clock). */
  readonly appliedAt: number
}

/** A change as a watch log holds it (WatchChange on the wire). */
export type LoggedChange = WatchChange

/** The largest writer id: `{ timestamp, writer: MAX_WRITER }` is after every version at that time. */
const MAX_WRITER = (1n << 64n) - 1n

/** The version a `fromVersion` option names: a whole version, or an HLC timestamp alone. */
export function versionOf(from: Version | bigint): Version {
  return typeof from === 'bigint' ? { timestamp: from, writer: MAX_WRITER } : from
}

/** Orders versions as the store does: by timestamp, then by writer. */
export function compareVersions(a: Version, b: Version): number {
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp ? -1 : 1
  if (a.writer !== b.writer) return a.writer < b.writer ? -1 : 1
  return 0
}

/**
 * The log entry of a change the owner applied (or of the key's state when its log began:
 * `baseline`). A value that would make the entry larger than `maxEntryBytes` is left out
 * and marked so; the change itself (its version, put or delete) is always logged.
 */
export function encodeChange(
  record: StoredRecord | undefined,
  maxEntryBytes: number,
  baseline = false,
): Uint8Array {
  const change: WatchChange = {
    version: record?.version ?? { timestamp: 0n, writer: 0n },
    deleted: record?.value === undefined,
    valueOmitted: false,
    baseline,
    ...(record?.value === undefined ? {} : { value: record.value as Uint8Array<ArrayBuffer> }),
    ...(record?.expiresAt === undefined ? {} : { expiresAt: BigInt(record.expiresAt) }),
  }
  const bytes = WatchChange.encode(change)
  if (bytes.byteLength <= maxEntryBytes) return bytes
  const { value: _left, ...rest } = change
  return WatchChange.encode({ ...rest, valueOmitted: true })
}

/** A logged change from its entry's bytes; undefined for bytes that are not one. */
export function decodeChange(data: Uint8Array): LoggedChange | undefined {
  try {
    const change = WatchChange.decode(data)
    return change.version === undefined ? undefined : change
  } catch {
    return undefined
  }
}

/** The change a watcher sees, from a log entry and the change it holds. */
export function keyChangeOf(key: Uint8Array, entry: LogEntry, change: LoggedChange): KeyChange {
  return {
    key,
    op: change.deleted ? 'delete' : 'put',
    version: change.version ?? { timestamp: 0n, writer: 0n },
    seq: Number(entry.seq),
    appliedAt: Number(entry.publishedAt),
    ...(change.value === undefined || change.deleted ? {} : { value: change.value }),
    ...(change.valueOmitted ? { valueOmitted: true as const } : {}),
    ...(change.expiresAt === undefined ? {} : { expiresAt: Number(change.expiresAt) }),
  }
}
