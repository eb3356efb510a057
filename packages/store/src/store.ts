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
  /**
   * When the record stops being readable, in ms since the epoch (a put with a TTL):
   * the version's time plus the TTL, fixed by the member that coordinated the write, so
   * every replica expires it at the same moment whatever its own clock said when the
   * copy arrived. An expired record reads as absent and is collected like a tombstone.
   */
  readonly expiresAt?: number
}

/** True when `record` carries an expiry at or before `nowMillis`. */
export function isExpired(
  record: { readonly expiresAt?: number | undefined },
  nowMillis: number,
): boolean {
  return record.expiresAt !== undefined && record.expiresAt <= nowMillis
}

/** True when `record` reads as a value at `nowMillis`: not a tombstone, not expired. */
export function isLive(record: StoredRecord, nowMillis: number): boolean {
  return record.value !== undefined && !isExpired(record, nowMillis)
}

export type ApplyOutcome = 'applied' | 'stale'

export interface RangeOptions {
  /** Resume after this (position, key): pagination for batched transfers. */
  readonly after?: { readonly position: bigint; readonly key: Uint8Array }
  /** Stop after this many records. */
  readonly limit?: number
  /**
   * Include tombstones and expired records (replication and hand-off do; reads do not).
   * Default true.
   */
  readonly tombstones?: boolean
  /** The time `tombstones: false` judges expiry by, in ms since the epoch. Default Date.now(). */
  readonly now?: number
  /** Stop the scan: the iterator throws the signal's reason at its next record. */
  readonly signal?: AbortSignal
}

/** A summary of a ring range, compared between replicas to find what differs. */
export interface RangeDigest {
  readonly count: number
  /** Order-independent hash of (key, version) over the range, hex. */
  readonly hash: string
}

/** The digest of one slice (start, end] of a larger range: see `Store.digestBuckets`. */
export interface RangeDigestBucket extends RangeDigest {
  readonly start: bigint
  readonly end: bigint
}

/** What a store holds, for status pages and metrics. */
export interface StoreStats {
  /** Records, tombstones included. */
  readonly records: number
  readonly tombstones: number
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
  /** `get` without a promise: both engines read synchronously (LMDB reads the memory map). */
  getSync(key: Uint8Array): StoredRecord | undefined
  /**
   * Store `record` unless an equal or newer version is already stored. Throws
   * InvalidRecordError (and stores nothing) when `position` is not ringIdOf(key).
   */
  apply(record: StoredRecord): Promise<ApplyOutcome>
  /** Apply many records, atomically in LMDB; returns how many were applied. */
  applyBatch(records: readonly StoredRecord[]): Promise<number>
  /**
   * Records with positions in (start, end], ordered by (position, key) clockwise from
   * start: when the range wraps, positions after start come first, then those from 0
   * up to end. Records written during the scan may or may not appear; none is repeated.
   */
  range(start: bigint, end: bigint, options?: RangeOptions): AsyncIterable<StoredRecord>
  /** Number of records (including tombstones) in (start, end]. */
  count(start: bigint, end: bigint): Promise<number>
  digest(start: bigint, end: bigint): Promise<RangeDigest>
  /**
   * Digests of `buckets` equal slices of (start, end], clockwise from start, in one
   * scan: replicas compare slices and recurse into (or ship) only the ones that differ.
   * Both replicas must ask for the same range and bucket count to compare the results.
   * A range narrower than `buckets` positions gets one bucket per position.
   */
  digestBuckets(start: bigint, end: bigint, buckets: number): Promise<RangeDigestBucket[]>
  /** Remove the records in (start, end] (keys this peer no longer replicates). */
  removeRange(start: bigint, end: bigint): Promise<number>
  /**
   * Drop tombstones whose version is older than `olderThanMillis` (epoch ms), and
   * records that expired before it: both have been unreadable for the grace period.
   */
  collectTombstones(olderThanMillis: number): Promise<number>
  /** Record and tombstone counts, kept up to date as writes land: O(1). */
  stats(): StoreStats
  close(): Promise<void>
}
