import { ringIdOf } from '@ringdht/ring'
import { BucketDigests, digestOf, recordHash } from './digest.js'
import { StoreClosedError } from './errors.js'
import { checkRecord, type PositionOf } from './record-checks.js'
import { checkedSpans, checkLimit, type PositionSpan, type RangeCursor } from './ring-range.js'
import {
  type ApplyOutcome,
  isExpired,
  type RangeDigest,
  type RangeDigestBucket,
  type RangeOptions,
  type Store,
  type StoredRecord,
  type StoreStats,
} from './store.js'
import { compareRecords, timestampMillis } from './version.js'

export interface MemoryStoreInit {
  /** How to find a key's ring position, to check records against. Default: ringIdOf. */
  readonly positionOf?: PositionOf
}

interface Entry {
  record: StoredRecord
  /** recordHash of the current record, kept for digests. */
  hash: bigint
}

/** New keys wait here until a scan needs order; above this many they are merged, not spliced in one by one. */
const SPLICE_LIMIT = 16

/**
 * Records in memory, for tests and for peers without a data folder.
 *
 * A Map answers point reads; range scans walk an array kept sorted by (position, key).
 * New keys are appended to a small unsorted list and folded into the sorted array
 * when a scan next needs it (spliced in when few, merged when many), so a burst of
 * writes costs one sort of the burst, not a sort of the store. A scan remembers the
 * last record it returned and finds its place again by binary search whenever the
 * array changed under it, so writes and removals during a scan are safe.
 */
export class MemoryStore implements Store {
  readonly #positionOf: PositionOf
  readonly #byKey = new Map<string, Entry>()
  #sorted: Entry[] = []
  #unsorted: Entry[] = []
  /** Bumped whenever entries join or leave the order, so open scans re-find their place. */
  #layout = 0
  #tombstones = 0
  #closed = false

  constructor(init: MemoryStoreInit = {}) {
    this.#positionOf = init.positionOf ?? ringIdOf
  }

  getSync(key: Uint8Array): StoredRecord | undefined {
    this.#assertOpen()
    return this.#byKey.get(mapKey(key))?.record
  }

  async get(key: Uint8Array): Promise<StoredRecord | undefined> {
    return this.getSync(key)
  }

  /** `apply` without a promise. */
  applySync(record: StoredRecord): ApplyOutcome {
    this.#assertOpen()
    checkRecord(record, this.#positionOf)
    return this.#apply(record)
  }

  async apply(record: StoredRecord): Promise<ApplyOutcome> {
    return this.applySync(record)
  }

  async applyBatch(records: readonly StoredRecord[]): Promise<number> {
    this.#assertOpen()
    // check everything first so a bad record leaves the store untouched
    for (const record of records) checkRecord(record, this.#positionOf)
    let applied = 0
    for (const record of records) if (this.#apply(record) === 'applied') applied++
    return applied
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
    for (const entry of this.#entries(checkedSpans(start, end, options.after))) {
      options.signal?.throwIfAborted()
      this.#assertOpen()
      if (!withTombstones && (entry.record.value === undefined || isExpired(entry.record, now)))
        continue
      yield entry.record
      if (++yielded >= limit) return
    }
  }

  async count(start: bigint, end: bigint): Promise<number> {
    this.#assertOpen()
    this.#settle()
    let count = 0
    for (const span of checkedSpans(start, end)) {
      const [low, high] = this.#indexesOf(span)
      count += high - low
    }
    return count
  }

  async digest(start: bigint, end: bigint): Promise<RangeDigest> {
    this.#assertOpen()
    let count = 0
    let sum = 0n
    for (const entry of this.#entries(checkedSpans(start, end))) {
      count++
      sum += entry.hash
    }
    return digestOf(count, BigInt.asUintN(64, sum))
  }

  async digestBuckets(start: bigint, end: bigint, buckets: number): Promise<RangeDigestBucket[]> {
    this.#assertOpen()
    const spans = checkedSpans(start, end)
    const digests = new BucketDigests(start, end, buckets)
    for (const entry of this.#entries(spans)) digests.add(entry.record.position, entry.hash)
    return digests.result()
  }

  async removeRange(start: bigint, end: bigint): Promise<number> {
    this.#assertOpen()
    this.#settle()
    // splice the later run first so the earlier one's indexes stay valid
    const runs = checkedSpans(start, end)
      .map((span) => this.#indexesOf(span))
      .sort((a, b) => b[0] - a[0])
    let removed = 0
    for (const [low, high] of runs) {
      for (const entry of this.#sorted.splice(low, high - low)) this.#forget(entry)
      removed += high - low
    }
    if (removed > 0) this.#layout++
    return removed
  }

  async collectTombstones(olderThanMillis: number): Promise<number> {
    this.#assertOpen()
    this.#settle()
    const before = this.#sorted.length
    this.#sorted = this.#sorted.filter((entry) => {
      const { value, version } = entry.record
      const collectable =
        value === undefined
          ? timestampMillis(version.timestamp) < olderThanMillis
          : isExpired(entry.record, olderThanMillis - 1)
      if (!collectable) return true
      this.#forget(entry)
      return false
    })
    const removed = before - this.#sorted.length
    if (removed > 0) this.#layout++
    return removed
  }

  stats(): StoreStats {
    return { records: this.#byKey.size, tombstones: this.#tombstones }
  }

  async close(): Promise<void> {
    this.#closed = true
    this.#byKey.clear()
    this.#sorted = []
    this.#unsorted = []
    this.#layout++
  }

  #apply(offered: StoredRecord): ApplyOutcome {
    const id = mapKey(offered.key)
    const existing = this.#byKey.get(id)
    if (existing !== undefined && compareRecords(offered, existing.record) <= 0) {
      return 'stale'
    }
    const record = ownCopy(offered)
    const hash = recordHash(record.key, record.version, record.value, record.expiresAt)
    if (record.value === undefined) this.#tombstones++
    if (existing === undefined) {
      const entry = { record, hash }
      this.#byKey.set(id, entry)
      this.#unsorted.push(entry)
      this.#layout++
    } else {
      // same key, same place in the order: replace in place
      if (existing.record.value === undefined) this.#tombstones--
      existing.record = record
      existing.hash = hash
    }
    return 'applied'
  }

  #forget(entry: Entry): void {
    this.#byKey.delete(mapKey(entry.record.key))
    if (entry.record.value === undefined) this.#tombstones--
  }

  /** Entries in the spans, in order, surviving changes to the store between steps. */
  *#entries(spans: readonly PositionSpan[]): Generator<Entry> {
    for (const span of spans) {
      let cursor: RangeCursor | undefined = span.after
      let layout = -1
      let index = 0
      for (;;) {
        this.#assertOpen()
        if (layout !== this.#layout) {
          this.#settle()
          layout = this.#layout
          index = cursor === undefined ? this.#firstAtOrAfter(span.from) : this.#firstAfter(cursor)
        }
        const entry = this.#sorted[index]
        if (entry === undefined || entry.record.position > span.to) break
        index++
        cursor = entry.record
        yield entry
      }
    }
  }

  /** Fold new keys into the sorted array. */
  #settle(): void {
    if (this.#unsorted.length === 0) return
    const fresh = this.#unsorted.sort(compareEntries)
    this.#unsorted = []
    if (fresh.length <= SPLICE_LIMIT) {
      for (const entry of fresh) this.#sorted.splice(this.#firstAfter(entry.record), 0, entry)
    } else {
      this.#sorted = merge(this.#sorted, fresh)
    }
  }

  /** [low, high) indexes of the span's entries; the array must be settled. */
  #indexesOf(span: PositionSpan): [number, number] {
    const low = this.#firstAtOrAfter(span.from)
    return [low, this.#firstBeyond(span.to)]
  }

  #firstAtOrAfter(position: bigint): number {
    return this.#search((entry) => entry.record.position >= position)
  }

  #firstBeyond(position: bigint): number {
    return this.#search((entry) => entry.record.position > position)
  }

  #firstAfter(cursor: RangeCursor): number {
    return this.#search((entry) => compareToCursor(entry.record, cursor) > 0)
  }

  /** First index whose entry passes `test`, which must be false then true along the array. */
  #search(test: (entry: Entry) => boolean): number {
    let low = 0
    let high = this.#sorted.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if (test(this.#sorted[middle] as Entry)) high = middle
      else low = middle + 1
    }
    return low
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreClosedError()
  }
}

function compareToCursor(record: RangeCursor, cursor: RangeCursor): number {
  if (record.position !== cursor.position) return record.position < cursor.position ? -1 : 1
  return Buffer.compare(record.key, cursor.key)
}

function compareEntries(a: Entry, b: Entry): number {
  return compareToCursor(a.record, b.record)
}

function merge(sorted: readonly Entry[], fresh: readonly Entry[]): Entry[] {
  const merged = new Array<Entry>(sorted.length + fresh.length)
  let i = 0
  let j = 0
  let k = 0
  while (i < sorted.length && j < fresh.length) {
    const a = sorted[i] as Entry
    const b = fresh[j] as Entry
    if (compareEntries(a, b) <= 0) {
      merged[k++] = a
      i++
    } else {
      merged[k++] = b
      j++
    }
  }
  while (i < sorted.length) merged[k++] = sorted[i++] as Entry
  while (j < fresh.length) merged[k++] = fresh[j++] as Entry
  return merged
}

/** Map key for bytes: latin1 maps each byte to one UTF-16 unit, so it is exact and cheap. */
function mapKey(key: Uint8Array): string {
  return Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('latin1')
}

/**
 * The store keeps its own copy: callers may reuse their buffers, and a key sliced from a
 * large network frame would otherwise keep the whole frame alive.
 */
function ownCopy(record: StoredRecord): StoredRecord {
  return {
    // new Uint8Array(bytes) copies; Buffer#slice would not
    key: new Uint8Array(record.key),
    position: record.position,
    value: record.value === undefined ? undefined : new Uint8Array(record.value),
    version: { timestamp: record.version.timestamp, writer: record.version.writer },
    ...(record.expiresAt === undefined ? {} : { expiresAt: record.expiresAt }),
  }
}
