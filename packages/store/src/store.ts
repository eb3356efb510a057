import type { Version } from './version.js'

/**
 * One stored record. A record whose `value` is undefined is a tombstone: the key was
 * deleted at `version`, and the tombstone stays until the grace period passes so a
 * stale replica cannot bring the value back.
 */
export interface StoredRecord {
  readonly key: Uint8Array
  /** Ring position of the key: ringIdOf(key). Records are ordered by it. */
  readonly position: bigint
  readonly value: Uint8Array | undefined
  readonly version: Version
}

export type ApplyOutcome = 'applied' | 'stale'

export interface RangeOptions {
  /** Resume after this (position, key): pagination for batched transfers. */
  readonly after?: { readonly position: bigint; readonly key: Uint8Array }
  /** Stop after this many records. */
  readonly limit?: number
  /** Include tombstones (replication and hand-off do; reads do not). Default true. */
  readonly tombstones?: boolean
}

/** A summary of a ring range, compared between replicas to find what differs. */
export interface RangeDigest {
  readonly count: number
  /** Order-independent hash of (key, version) over the range, hex. */
  readonly hash: string
}

/**
 * Where a peer keeps records. Ranges are ring intervals (start, end] with wrap-around,
 * as the ring package defines them: start === end means the whole ring.
 *
 * Writes are last-writer-wins by version: `apply` keeps whichever of the stored and
 * the offered record is newer, so replication, hand-off and repair can all just
 * offer what they have.
 */
export interface Store {
  get(key: Uint8Array): Promise<StoredRecord | undefined>
  /** Store `record` unless an equal or newer version is already stored. */
  apply(record: StoredRecord): Promise<ApplyOutcome>
  /** Apply many records; returns how many were applied. */
  applyBatch(records: readonly StoredRecord[]): Promise<number>
  /** Records with positions in (start, end], ordered by (position, key). */
  range(start: bigint, end: bigint, options?: RangeOptions): AsyncIterable<StoredRecord>
  /** Number of records (including tombstones) in (start, end]. */
  count(start: bigint, end: bigint): Promise<number>
  digest(start: bigint, end: bigint): Promise<RangeDigest>
  /** Remove the records in (start, end] (keys this peer no longer replicates). */
  removeRange(start: bigint, end: bigint): Promise<number>
  /** Drop tombstones whose version is older than `olderThanMillis` (epoch ms). */
  collectTombstones(olderThanMillis: number): Promise<number>
  close(): Promise<void>
}
