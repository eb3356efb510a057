/**
 * @packageDocumentation
 *
 * Where a ringdht peer keeps its records: the `Store` interface, an in-memory store
 * for tests and embedding, and a persistent store on disk (LMDB). Records carry versions
 * (hybrid logical clock + writer id); the newer version always wins, so replication,
 * hand-off and repair all just offer what they have and the stores converge.
 *
 * - Ranges are ring intervals (start, end], wrapping past zero; start === end is the
 *   whole ring. Records come out clockwise from start, in (position, key) order, and
 *   `after` + `limit` page through a range exactly once.
 * - Deletes are tombstones (`value: undefined`), hidden from reads with
 *   `{ tombstones: false }` and dropped by `collectTombstones` after a grace period.
 * - `digest` and `digestBuckets` summarise a range (count + order-independent hash of
 *   keys and versions) so replicas can find differences without shipping records.
 * - LmdbStore is the persistent engine: an embedded, memory-mapped B+tree with keys in
 *   byte order (position ‖ key, so ring ranges are cursor runs), crash-safe ACID
 *   transactions, synchronous reads in microseconds and a prebuilt binary; see
 *   lmdb-store.ts for the comparison with LevelDB.
 * - Both engines check records the same way: a record whose `position` is not
 *   `ringIdOf(key)` is refused with `InvalidRecordError`, as are keys over
 *   `LMDB_MAX_KEY_BYTES` in the LMDB store.
 *
 * @example
 * ```ts
 * import { createStore, HybridLogicalClock } from '@ringdht/store'
 * import { ringIdOf } from '@ringdht/ring'
 *
 * const store = await createStore({ dataDir: '/var/lib/ringdht' }) // or {} for memory
 * const clock = new HybridLogicalClock()
 * const key = new TextEncoder().encode('hello')
 * const version = { timestamp: clock.now(), writer: myRingId }
 * await store.apply({ key, position: ringIdOf(key), value: new Uint8Array([1]), version })
 * await store.get(key) // -> the record
 *
 * // hand-off: page through (predecessor, self]
 * let after
 * for (;;) {
 *   const page = []
 *   for await (const record of store.range(predecessor, self, { after, limit: 500 })) page.push(record)
 *   if (page.length === 0) break
 *   await send(page)
 *   after = page[page.length - 1]
 * }
 * await store.close()
 * ```
 */
import { join } from 'node:path'
import { type Durability, LmdbStore } from './lmdb-store.js'
import { MemoryStore } from './memory-store.js'
import type { PositionOf } from './record-checks.js'
import type { Store } from './store.js'

export { MAX_DIGEST_BUCKETS, recordHash } from './digest.js'
export {
  InvalidRecordError,
  StoreClosedError,
  StoreCorruptError,
  StoreOpenError,
} from './errors.js'
export {
  type Durability,
  LMDB_MAX_KEY_BYTES,
  LmdbStore,
  type LmdbStoreInit,
} from './lmdb-store.js'
export { MemoryStore, type MemoryStoreInit } from './memory-store.js'
export type { PositionOf } from './record-checks.js'
export {
  type ApplyOutcome,
  isExpired,
  isLive,
  type RangeDigest,
  type RangeDigestBucket,
  type RangeOptions,
  type Store,
  type StoredRecord,
  type StoreStats,
} from './store.js'
export { createTable, LmdbTable, MemoryTable, type Table, type TableInit } from './table.js'
export {
  compareRecords,
  compareValueHashes,
  compareVersions,
  DEFAULT_MAX_CLOCK_DRIFT_MS,
  HybridLogicalClock,
  isNewer,
  timestampMillis,
  type Version,
  valueHash,
} from './version.js'

export interface StoreInit {
  /**
   * Folder for the peer's data; records go to `<dataDir>/records`, created when
   * missing. Default: undefined, which keeps records in memory.
   */
  readonly dataDir?: string
  /** How to find a key's ring position. Default: ringIdOf from @ringdht/ring. */
  readonly positionOf?: PositionOf
  /** LMDB only: skip fsync on commit (see LmdbStoreInit.noSync). Default false. */
  readonly noSync?: boolean
  /** LMDB only: whether writes resolve after their flush (see LmdbStoreInit.durability). Default 'sync'. */
  readonly durability?: Durability
}

/** Name of the folder under `dataDir` that holds the records. */
export const RECORDS_FOLDER = 'records'

/**
 * A persistent LMDB store under `dataDir`, or an in-memory store when there is none.
 * Throws StoreOpenError when the folder cannot be created or opened.
 */
export async function createStore(init: StoreInit = {}): Promise<Store> {
  const { dataDir, positionOf, noSync, durability } = init
  if (dataDir === undefined) return new MemoryStore({ positionOf })
  return LmdbStore.open({ path: join(dataDir, RECORDS_FOLDER), positionOf, noSync, durability })
}
