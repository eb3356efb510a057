import { mkdir } from 'node:fs/promises'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { ringIdOf } from '@ringdht/ring'
import { type RangeOptions as LmdbRangeOptions, open, type RootDatabase } from 'lmdb'
import { BucketDigests, digestOf, recordHash } from './digest.js'
import { InvalidRecordError, StoreClosedError, StoreOpenError } from './errors.js'
import { checkRecord, type PositionOf } from './record-checks.js'
import {
  checkHeader,
  decodeRecord,
  encodeValue,
  isTombstone,
  POSITION_BYTES,
  positionBound,
  readExpiresAt,
  readHash,
  readPosition,
  readValue,
  readVersion,
  storageKey,
} from './record-codec.js'
import { checkedSpans, checkLimit, MAX_POSITION, type PositionSpan } from './ring-range.js'
import type {
  ApplyOutcome,
  RangeDigest,
  RangeDigestBucket,
  RangeOptions,
  Store,
  StoredRecord,
  StoreStats,
} from './store.js'
import { isExpired } from './store.js'
import { compareRecords, compareVersions, timestampMillis, type Version } from './version.js'

/*
 * Why LMDB (over LevelDB): it is an embedded, memory-mapped B+tree. Keys are kept in
 * byte order, so ring ranges are cursor runs; transactions are ACID and a crash (or
 * SIGKILL) leaves the last committed state, with no recovery step at start-up; reads
 * are synchronous lookups in the map, microseconds with no I/O thread hop; lmdb-js
 * batches the writes of one event-loop turn into one transaction; and the npm package
 * ships prebuilt binaries, so installing needs no compiler. LevelDB's LSM tree writes
 * faster under heavy load but reads through several levels, compacts in the background,
 * and its Node bindings are asynchronous only.
 */

/** Longest key LmdbStore accepts: LMDB's 1978-byte key limit less the 8-byte position. */
export const LMDB_MAX_KEY_BYTES = 1978 - POSITION_BYTES

/** Records per read transaction when scanning: short transactions let LMDB reuse pages. */
const SCAN_CHUNK = 1024

export interface LmdbStoreInit {
  /** Folder of the LMDB environment; created (with its parents) when missing. */
  readonly path: string
  /** How to find a key's ring position, to check records and look keys up. Default: ringIdOf. */
  readonly positionOf?: PositionOf
  /**
   * Skip fsync on commit. A killed process still loses nothing committed (the OS holds
   * the pages); an OS crash or power loss may lose recent writes. Default false.
   */
  readonly noSync?: boolean
  /**
   * When `apply` and `applyBatch` resolve. 'sync' (default): once the write is flushed to
   * disk, so an acknowledged write survives a power cut; concurrent writes share their
   * flush (lmdb-js commits the writes of one event-loop turn as one transaction and syncs
   * transactions in overlapping batches), so the cost is one fsync per batch, not per
   * write. 'none': once committed and visible, before the flush (a killed process loses
   * nothing; a power cut may lose the last moments).
   */
  readonly durability?: Durability
}

export type Durability = 'sync' | 'none'

type RawEntry = { key: Buffer; value: Buffer }

/**
 * Records on disk in an LMDB environment. Reads are synchronous; writes go through
 * lmdb-js's batched asynchronous transactions, and each `apply` compares versions
 * inside the write transaction, so concurrent applies to one key keep the newest.
 *
 * @example
 * ```ts
 * const store = await LmdbStore.open({ path: '/var/lib/ringdht/records' })
 * await store.apply({ key, position: ringIdOf(key), value, version })
 * await store.close()
 * ```
 */
export class LmdbStore implements Store {
  readonly #db: RootDatabase<Buffer, Buffer>
  readonly #positionOf: PositionOf
  readonly #durability: Durability
  #records: number
  #tombstones: number
  #closed = false

  /** Open (creating when missing) the store at `init.path`; throws StoreOpenError when that fails. */
  static async open(init: LmdbStoreInit): Promise<LmdbStore> {
    let db: RootDatabase<Buffer, Buffer>
    try {
      await mkdir(init.path, { recursive: true })
      db = open<Buffer, Buffer>({
        path: init.path,
        keyEncoding: 'binary',
        encoding: 'binary',
        noSync: init.noSync ?? false,
      })
    } catch (error) {
      throw new StoreOpenError(init.path, error)
    }
    try {
      return new LmdbStore(db, init)
    } catch (error) {
      await db.close()
      throw error
    }
  }

  private constructor(db: RootDatabase<Buffer, Buffer>, init: LmdbStoreInit) {
    this.#db = db
    this.#positionOf = init.positionOf ?? ringIdOf
    this.#durability = init.noSync === true ? 'none' : (init.durability ?? 'sync')
    // count once at start, then keep the counts as records come and go
    let records = 0
    let tombstones = 0
    for (const { key, value } of db.getRange({})) {
      checkHeader(key, value)
      records++
      if (isTombstone(value)) tombstones++
    }
    this.#records = records
    this.#tombstones = tombstones
  }

  getSync(key: Uint8Array): StoredRecord | undefined {
    this.#assertOpen()
    if (key.byteLength > LMDB_MAX_KEY_BYTES) return undefined
    const stored = storageKey(this.#positionOf(key), key)
    const value = this.#db.getBinary(stored)
    return value === undefined ? undefined : decodeRecord(stored, value)
  }

  async get(key: Uint8Array): Promise<StoredRecord | undefined> {
    return this.getSync(key)
  }

  async apply(record: StoredRecord): Promise<ApplyOutcome> {
    this.#assertOpen()
    const write = this.#prepare(record)
    return this.#durable(await this.#db.transaction(() => this.#applyInTransaction(write)))
  }

  /** `result`, once the writes committed so far are flushed when durability is 'sync'. */
  async #durable<T>(result: T): Promise<T> {
    if (this.#durability === 'sync') await this.#db.flushed
    return result
  }

  async applyBatch(records: readonly StoredRecord[]): Promise<number> {
    this.#assertOpen()
    // prepare (and so check) everything first: a bad record leaves the store untouched
    const writes = records.map((record) => this.#prepare(record))
    if (writes.length === 0) return 0
    return this.#durable(
      await this.#db.transaction(() => {
        let applied = 0
        for (const write of writes) if (this.#applyInTransaction(write) === 'applied') applied++
        return applied
      }),
    )
  }

  async *range(
    start: bigint,
    end: bigint,
    options: RangeOptions = {},
  ): AsyncGenerator<StoredRecord> {
    this.#assertOpen()
    const limit = checkLimit(options.limit)
    if (limit === 0) return
    const withTombstones = options.tombstones !== false
    const now = options.now ?? Date.now()
    let yielded = 0
    for (const chunk of this.#chunks(checkedSpans(start, end, options.after))) {
      for (const { key, value } of chunk) {
        options.signal?.throwIfAborted()
        this.#assertOpen()
        checkHeader(key, value)
        if (!withTombstones && (isTombstone(value) || isExpired(expiryOf(value), now))) continue
        yield decodeRecord(key, value)
        if (++yielded >= limit) return
      }
    }
  }

  async count(start: bigint, end: bigint): Promise<number> {
    this.#assertOpen()
    let count = 0
    for (const span of checkedSpans(start, end)) count += this.#db.getCount(cursorRun(span))
    return count
  }

  async digest(start: bigint, end: bigint): Promise<RangeDigest> {
    let count = 0
    let sum = 0n
    await this.#scan(checkedSpans(start, end), (_key, value) => {
      count++
      sum += readHash(value)
    })
    return digestOf(count, BigInt.asUintN(64, sum))
  }

  async digestBuckets(start: bigint, end: bigint, buckets: number): Promise<RangeDigestBucket[]> {
    const spans = checkedSpans(start, end)
    const digests = new BucketDigests(start, end, buckets)
    await this.#scan(spans, (key, value) => digests.add(readPosition(key), readHash(value)))
    return digests.result()
  }

  async removeRange(start: bigint, end: bigint): Promise<number> {
    this.#assertOpen()
    const spans = checkedSpans(start, end)
    return this.#db.transaction(() => {
      let removed = 0
      for (const span of spans) {
        const doomed = Array.from(this.#db.getRange(cursorRun(span)))
        for (const { key, value } of doomed) this.#removeInTransaction(key, value)
        removed += doomed.length
      }
      return removed
    })
  }

  async collectTombstones(olderThanMillis: number): Promise<number> {
    this.#assertOpen()
    return this.#db.transaction(() => {
      const doomed: RawEntry[] = []
      for (const entry of this.#db.getRange({})) {
        const collectable = isTombstone(entry.value)
          ? timestampMillis(readVersion(entry.value).timestamp) < olderThanMillis
          : isExpired(expiryOf(entry.value), olderThanMillis - 1)
        if (collectable) doomed.push(entry)
      }
      for (const { key, value } of doomed) this.#removeInTransaction(key, value)
      return doomed.length
    })
  }

  stats(): StoreStats {
    return { records: this.#records, tombstones: this.#tombstones }
  }

  /** Resolves when every write so far is on disk (not only committed). */
  async flushed(): Promise<void> {
    await this.#db.flushed
  }

  /** Waits for queued writes to commit, then closes the environment. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.#db.close()
  }

  #prepare(record: StoredRecord): PreparedWrite {
    checkRecord(record, this.#positionOf)
    if (record.key.byteLength > LMDB_MAX_KEY_BYTES) {
      throw new InvalidRecordError(
        `key of ${record.key.byteLength} bytes is longer than the ${LMDB_MAX_KEY_BYTES} bytes LMDB allows`,
      )
    }
    return {
      key: storageKey(record.position, record.key),
      value: encodeValue(
        record,
        recordHash(record.key, record.version, record.value, record.expiresAt),
      ),
      version: record.version,
      tombstone: record.value === undefined,
    }
  }

  /** True when the stored copy wins over (or equals) the write: the write is stale. */
  #notNewer(write: PreparedWrite, existing: Buffer): boolean {
    const byVersion = compareVersions(write.version, readVersion(existing))
    if (byVersion !== 0) return byVersion < 0
    // equal versions are rare: only then are the values read and compared, from a copy
    // (getBinaryFast's buffer is shared and sized for reuse, not for this one value)
    const copy = this.#db.getBinary(write.key) ?? existing
    const stored = isTombstone(copy) ? undefined : readValue(copy)
    const offered = write.tombstone ? undefined : readValue(write.value)
    return (
      compareRecords(
        { version: write.version, value: offered, expiresAt: readExpiresAt(write.value) },
        { version: write.version, value: stored, expiresAt: readExpiresAt(copy) },
      ) <= 0
    )
  }

  /** Runs inside a write transaction: reads see its earlier writes, nobody else writes. */
  #applyInTransaction(write: PreparedWrite): ApplyOutcome {
    const existing = this.#db.getBinaryFast(write.key)
    if (existing === undefined) {
      this.#records++
    } else {
      checkHeader(write.key, existing)
      if (this.#notNewer(write, existing)) return 'stale'
      if (isTombstone(existing)) this.#tombstones--
    }
    if (write.tombstone) this.#tombstones++
    void this.#db.put(write.key, write.value) // inside a transaction: written at once
    return 'applied'
  }

  #removeInTransaction(key: Buffer, value: Buffer): void {
    void this.#db.remove(key) // inside a transaction: removed at once
    this.#records--
    if (isTombstone(value)) this.#tombstones--
  }

  /**
   * Raw entries of the spans in order, a chunk per short read transaction. Each chunk
   * resumes after the last key of the one before, so writes between chunks neither
   * repeat nor lose records that were there throughout.
   */
  *#chunks(spans: readonly PositionSpan[]): Generator<RawEntry[]> {
    for (const span of spans) {
      const run = cursorRun(span)
      for (;;) {
        this.#assertOpen()
        const chunk: RawEntry[] = Array.from(this.#db.getRange({ ...run, limit: SCAN_CHUNK }))
        if (chunk.length > 0) yield chunk
        if (chunk.length < SCAN_CHUNK) break
        run.start = (chunk[chunk.length - 1] as RawEntry).key
        run.exclusiveStart = true
      }
    }
  }

  /** Visit every entry of the spans, letting the event loop run between chunks. */
  async #scan(
    spans: readonly PositionSpan[],
    visit: (key: Buffer, value: Buffer) => void,
  ): Promise<void> {
    this.#assertOpen()
    let first = true
    for (const chunk of this.#chunks(spans)) {
      if (!first) await nextTurn()
      first = false
      for (const { key, value } of chunk) {
        checkHeader(key, value)
        visit(key, value)
      }
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreClosedError()
  }
}

interface PreparedWrite {
  readonly key: Buffer
  readonly value: Buffer
  readonly version: Version
  readonly tombstone: boolean
}

/** LMDB range options for a span: [from, to + 1) in storage-key order, or after the cursor. */
function cursorRun(span: PositionSpan): LmdbRangeOptions & { start: Buffer } {
  const run: LmdbRangeOptions & { start: Buffer } =
    span.after === undefined
      ? { start: positionBound(span.from) }
      : { start: storageKey(span.after.position, span.after.key), exclusiveStart: true }
  if (span.to < MAX_POSITION) run.end = positionBound(span.to + 1n)
  return run
}

/** The expiry of a stored record, in the shape `isExpired` reads. */
function expiryOf(storedValue: Buffer): { expiresAt: number | undefined } {
  return { expiresAt: readExpiresAt(storedValue) }
}
