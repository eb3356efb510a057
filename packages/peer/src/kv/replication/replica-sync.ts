import {
  ErrorCode,
  MessageType,
  type RangeDigest,
  type Request,
  type Response,
  type Record as WireRecord,
} from '@ringdht/protocol'
import { inHalfOpenInterval, type RingId } from '@ringdht/ring'
import {
  compareRecords,
  compareValueHashes,
  compareVersions,
  type HybridLogicalClock,
  MAX_DIGEST_BUCKETS,
  type RangeDigestBucket,
  type Store,
  type StoredRecord,
  type Version,
  valueHash,
} from '@ringdht/store'
import type { Logger } from 'pino'
import type { RingNode } from '../../core/ring-node.js'
import type { MemberRequests } from '../../core/rpc/member-requests.js'
import type { Counters } from '../../counters.js'
import { errorFromWire } from '../../errors.js'
import {
  advancePageCursor,
  fromWireRecord,
  type PageCursor,
  toWireRecord,
  wireRecordBytes,
} from '../records.js'
import { validSignedCopy } from '../signed-keys.js'

/** Slices a differing slice is cut into, one level down the tree. */
const FANOUT = 16
/** A differing slice this small (on both sides) exchanges its records. */
const LEAF_RECORDS = 128
/** Levels below the first: 64 × 16^6 slices is finer than any range needs. */
const MAX_DEPTH = 6

export interface ReplicaSyncComponents {
  store: Store
  pool: MemberRequests
  /** Versions from beyond the clock drift are refused. */
  clock: Pick<HybridLogicalClock, 'accepts'>
  counters: Counters
  logger: Logger
}

export interface ReplicaSyncInit {
  buckets: number
  maxPageRecords: number
  maxPageBytes: number
  maxKeyBytes: number
  maxValueBytes: number
  requestTimeoutMs: number
}

export interface SyncOptions {
  signal: AbortSignal
  /** Also take the remote's newer records (false: push only, as a leaving peer does). */
  pull: boolean
  /**
   * Also offer ours where the remote's are older (default true; false: pull only, from a
   * member that is no replica of the range and should not get copies of it).
   */
  push?: boolean
  /** Records this sync may still move; decremented as it goes. */
  budget: { records: number }
}

export interface SyncResult {
  pulled: number
  pushed: number
  /** Slices that differed. */
  differing: number
}

/**
 * Brings two peers' copies of a range (start, end] together: compare bucket digests
 * level by level down a Merkle tree of the range (see #descend), then for each small
 * differing slice fetch the remote's records, keep the newer version of each key, and
 * push back the ones the remote lacks or holds older. Identical ranges cost one digest
 * exchange.
 */
export class ReplicaSync {
  readonly #c: ReplicaSyncComponents
  readonly #init: ReplicaSyncInit

  constructor(components: ReplicaSyncComponents, init: ReplicaSyncInit) {
    this.#c = components
    this.#init = init
  }

  // ---- request handlers ----

  async handleDigest(request: Request): Promise<Partial<Response>> {
    const { rangeStart, rangeEnd } = request
    if (rangeStart === undefined || rangeEnd === undefined || request.buckets === 0) {
      return { error: ErrorCode.INVALID_INPUT, message: 'digest needs a range and buckets' }
    }
    const buckets = await this.#c.store.digestBuckets(
      rangeStart,
      rangeEnd,
      Math.min(request.buckets, MAX_DIGEST_BUCKETS, 4096),
    )
    return { digests: buckets.map(toWireDigest) }
  }

  /**
   * Apply a batch of copies a member pushed (repair, hand-off), keeping only those that
   * are well formed, within the clock drift and, as `mayHold` says, of positions the
   * sender and this member replicate.
   */
  async handleStoreBatch(
    request: Request,
    mayHold: (position: RingId) => Promise<boolean>,
  ): Promise<Partial<Response>> {
    const records: StoredRecord[] = []
    for (const record of request.records.map(fromWireRecord)) {
      if (
        this.#acceptable(record) &&
        (await mayHold(record.position)) &&
        (await validSignedCopy(record, this.#c.store.getSync(record.key)))
      )
        records.push(record)
      else this.#c.counters.refused++
    }
    const applied = records.length === 0 ? 0 : await this.#c.store.applyBatch(records)
    return { applied }
  }

  // ---- the initiator ----

  async sync(
    node: RingNode,
    start: RingId,
    end: RingId,
    options: SyncOptions,
  ): Promise<SyncResult> {
    const result: SyncResult = { pulled: 0, pushed: 0, differing: 0 }
    await this.#descend(node, start, end, this.#init.buckets, 0, options, result)
    this.#c.counters.repairPulled += result.pulled
    this.#c.counters.repairPushed += result.pushed
    return result
  }

  /**
   * A Merkle tree walked on demand: compare the digests of `buckets` slices of
   * (start, end] (one request, one local scan); a slice that differs and holds more than
   * LEAF_RECORDS records is cut into FANOUT slices and compared again, and only slices
   * that small exchange records. A few differences among K records cost O(log K) digest
   * exchanges and a few small fetches, instead of fetching whole 1/buckets of the range.
   */
  async #descend(
    node: RingNode,
    start: RingId,
    end: RingId,
    buckets: number,
    depth: number,
    options: SyncOptions,
    result: SyncResult,
  ): Promise<void> {
    const response = await this.#ask(
      node,
      { type: MessageType.DIGEST, rangeStart: start, rangeEnd: end, buckets },
      options.signal,
    )
    const local = await this.#c.store.digestBuckets(start, end, buckets)
    const remote = response.digests
    for (let i = 0; i < local.length; i++) {
      if (options.budget.records <= 0) break
      const mine = local[i] as RangeDigestBucket
      const theirs = remote[i]
      const aligned = theirs !== undefined && theirs.start === mine.start && theirs.end === mine.end
      if (aligned && theirs.hash === mine.hash && Number(theirs.count) === mine.count) continue
      if (depth === 0) result.differing++
      if (mine.count === 0 && !options.pull) continue
      const largest = Math.max(mine.count, aligned ? Number(theirs.count) : Number.MAX_SAFE_INTEGER)
      if (largest > LEAF_RECORDS && depth < MAX_DEPTH && aligned) {
        await this.#descend(node, mine.start, mine.end, FANOUT, depth + 1, options, result)
        continue
      }
      const { pulled, pushed } = await this.#syncSlice(
        node,
        mine.start,
        mine.end,
        mine.count,
        options,
      )
      result.pulled += pulled
      result.pushed += pushed
    }
  }

  async #syncSlice(
    node: RingNode,
    start: RingId,
    end: RingId,
    localCount: number,
    options: SyncOptions,
  ): Promise<{ pulled: number; pushed: number }> {
    // what the remote holds in the slice: key -> version
    const remoteVersions = new Map<string, Stamp>()
    let pulled = 0
    let after: PageCursor | undefined
    for (;;) {
      const page = await this.#ask(
        node,
        {
          type: MessageType.FETCH_RANGE,
          rangeStart: start,
          rangeEnd: end,
          limit: this.#init.maxPageRecords,
          ...(after === undefined
            ? {}
            : { afterPosition: after.position, afterKey: after.key as Uint8Array<ArrayBuffer> }),
        },
        options.signal,
      )
      const records = page.records.map(fromWireRecord)
      const newer: StoredRecord[] = []
      for (const record of records) {
        remoteVersions.set(keyOf(record.key), stampOf(record))
        if (
          !options.pull ||
          !this.#acceptable(record) ||
          !inHalfOpenInterval(record.position, start, end)
        )
          continue
        const mine = this.#c.store.getSync(record.key)
        if (mine !== undefined && compareRecords(record, mine) <= 0) continue
        if (await validSignedCopy(record, mine)) newer.push(record)
      }
      if (newer.length > 0) pulled += await this.#c.store.applyBatch(newer)
      options.budget.records -= records.length
      after = advancePageCursor(start, after, records)
      if (page.done || records.length === 0) break
    }
    let pushed = 0
    if (localCount > 0 && options.push !== false) {
      let batch: WireRecord[] = []
      let bytes = 0
      const flush = async (): Promise<void> => {
        if (batch.length === 0) return
        const sent = batch
        batch = []
        bytes = 0
        await this.#ask(node, { type: MessageType.STORE_BATCH, records: sent }, options.signal)
        pushed += sent.length
        options.budget.records -= sent.length
      }
      for await (const record of this.#c.store.range(start, end, { signal: options.signal })) {
        const theirs = remoteVersions.get(keyOf(record.key))
        if (theirs !== undefined && compareStamps(theirs, record) >= 0) continue
        const wire = toWireRecord(record)
        batch.push(wire)
        bytes += wireRecordBytes(wire)
        if (batch.length >= this.#init.maxPageRecords || bytes >= this.#init.maxPageBytes)
          await flush()
      }
      await flush()
    }
    return { pulled, pushed }
  }

  async #ask(node: RingNode, request: Partial<Request>, signal: AbortSignal): Promise<Response> {
    const response = await this.#c.pool.request(node, request, {
      signal,
      timeoutMs: this.#init.requestTimeoutMs,
    })
    if (response.error !== 0) throw errorFromWire(response.error, response.message)
    return response
  }

  #acceptable(record: StoredRecord): boolean {
    return (
      record.key.byteLength > 0 &&
      record.key.byteLength <= this.#init.maxKeyBytes &&
      (record.value?.byteLength ?? 0) <= this.#init.maxValueBytes &&
      record.version.timestamp > 0n &&
      this.#c.clock.accepts(record.version.timestamp)
    )
  }
}

/**
 * What the push side remembers of a remote copy: its version, and its value's hash for
 * the rare tie between equal versions (not the value: a slice may hold many).
 */
interface Stamp {
  version: Version
  valueHash: Uint8Array | undefined
}

function stampOf(record: StoredRecord): Stamp {
  return { version: record.version, valueHash: valueHash(record.value) }
}

/** Orders a remote copy against ours the way the store does (`compareRecords`). */
function compareStamps(theirs: Stamp, ours: StoredRecord): number {
  const byVersion = compareVersions(theirs.version, ours.version)
  if (byVersion !== 0) return byVersion
  return compareValueHashes(theirs.valueHash, valueHash(ours.value))
}

function keyOf(key: Uint8Array): string {
  return Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('latin1')
}

function toWireDigest(bucket: RangeDigestBucket): RangeDigest {
  return { start: bucket.start, end: bucket.end, count: BigInt(bucket.count), hash: bucket.hash }
}
