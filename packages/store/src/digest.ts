import { hash } from 'node:crypto'
import { addPositions, offsetInRange, rangeSize } from './ring-range.js'
import type { RangeDigest, RangeDigestBucket } from './store.js'
import type { Version } from './version.js'

/*
 * Range digests let two replicas compare a range without shipping it. The digest is
 * the count plus the sum, mod 2^64, of a 64-bit hash per record, where the hash covers
 * the key and the version (not the value: a version names one write, so equal versions
 * carry equal values, and hashing only the fixed-size part keeps digests cheap).
 *
 * A sum is order-independent, so each store can add records in whatever order it scans
 * them, and it is incremental. Sum rather than XOR: XOR cancels pairs of equal hashes
 * and is linear in every bit, a sum carries between bits. The per-record hash is the
 * first 8 bytes of SHA-256, so a peer cannot craft records that collide with others'
 * without breaking SHA-256, and both store engines agree byte for byte. The stores
 * compute it once per write and keep it with the record, so a digest costs a scan and
 * an addition per record.
 */

/**
 * 64-bit hash of one record: SHA-256(key ‖ timestamp ‖ writer ‖ flags ‖ value ‖ expiry),
 * first 8 bytes. The flags byte says tombstone (bit 0 clear) and expiry (bit 1); a record
 * without an expiry hashes as it did before TTLs existed.
 */
export function recordHash(
  key: Uint8Array,
  version: Version,
  value: Uint8Array | undefined,
  expiresAt?: number,
): bigint {
  // the value is part of the hash: two copies with equal versions and different values
  // must differ in the digests, or anti-entropy would never bring them together
  const valueBytes = value?.byteLength ?? 0
  const expiryBytes = expiresAt === undefined ? 0 : 8
  const input = Buffer.allocUnsafe(key.byteLength + 17 + valueBytes + expiryBytes)
  input.set(key, 0)
  input.writeBigUInt64BE(version.timestamp, key.byteLength)
  input.writeBigUInt64BE(version.writer, key.byteLength + 8)
  input[key.byteLength + 16] = (value === undefined ? 0 : 1) | (expiresAt === undefined ? 0 : 2)
  if (value !== undefined) input.set(value, key.byteLength + 17)
  if (expiresAt !== undefined) {
    input.writeBigUInt64BE(BigInt(expiresAt), key.byteLength + 17 + valueBytes)
  }
  return hash('sha256', input, 'buffer').readBigUInt64BE(0)
}

export function digestOf(count: number, sum: bigint): RangeDigest {
  return { count, hash: sum.toString(16).padStart(16, '0') }
}

/** Largest bucket count `digestBuckets` accepts: more buckets than that cost more than shipping the keys. */
export const MAX_DIGEST_BUCKETS = 65_536

/**
 * Accumulates the digests of `buckets` equal slices of (start, end]. Bucket i covers
 * the positions at clockwise offsets (⌊S·i/n⌋, ⌊S·(i+1)/n⌋] from start, S the range size,
 * so the buckets tile the range exactly and every replica slices it the same way.
 */
export class BucketDigests {
  readonly #start: bigint
  readonly #size: bigint
  readonly #buckets: bigint
  readonly #counts: number[]
  readonly #sums: bigint[]

  constructor(start: bigint, end: bigint, buckets: number) {
    if (!Number.isSafeInteger(buckets) || buckets < 1 || buckets > MAX_DIGEST_BUCKETS) {
      throw new RangeError(
        `buckets must be an integer in [1, ${MAX_DIGEST_BUCKETS}], got ${buckets}`,
      )
    }
    this.#start = start
    this.#size = rangeSize(start, end)
    // a bucket must hold at least one position, or its (s, s] would read as the whole ring
    const count = this.#size < BigInt(buckets) ? Number(this.#size) : buckets
    this.#buckets = BigInt(count)
    this.#counts = new Array<number>(count).fill(0)
    this.#sums = new Array<bigint>(count).fill(0n)
  }

  /** Add a record whose position lies in the range. */
  add(position: bigint, recordHash: bigint): void {
    const offset = offsetInRange(this.#start, position)
    const index = Number((offset * this.#buckets + this.#size - 1n) / this.#size - 1n)
    this.#counts[index] = (this.#counts[index] as number) + 1
    this.#sums[index] = BigInt.asUintN(64, (this.#sums[index] as bigint) + recordHash)
  }

  result(): RangeDigestBucket[] {
    const buckets: RangeDigestBucket[] = []
    for (let i = 0n; i < this.#buckets; i++) {
      const index = Number(i)
      buckets.push({
        start: addPositions(this.#start, this.#boundary(i)),
        end: addPositions(this.#start, this.#boundary(i + 1n)),
        ...digestOf(this.#counts[index] as number, this.#sums[index] as bigint),
      })
    }
    return buckets
  }

  #boundary(i: bigint): bigint {
    return (this.#size * i) / this.#buckets
  }
}
