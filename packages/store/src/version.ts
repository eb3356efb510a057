import { hash } from 'node:crypto'

/**
 * Record versions: a hybrid logical clock timestamp plus the writer's id.
 *
 * The timestamp packs wall-clock milliseconds into the high 48 bits and a logical
 * counter into the low 16, so it orders like a number, survives clock skew between
 * peers (a receiver never issues a timestamp below one it has seen) and fits a
 * protobuf uint64. Ties between equal timestamps go to the greater writer id, so
 * every replica picks the same winner without talking to the others.
 */
export interface Version {
  /** HLC timestamp: (milliseconds << 16) | logical counter. */
  readonly timestamp: bigint
  /** Ring id of the peer that issued the version. */
  readonly writer: bigint
}

const LOGICAL_BITS = 16n
const LOGICAL_MASK = (1n << LOGICAL_BITS) - 1n

/** How far ahead of the local wall clock a remote timestamp may be, by default: 60 s. */
export const DEFAULT_MAX_CLOCK_DRIFT_MS = 60_000

/** Negative when a is older than b, 0 when equal, positive when a is newer. */
export function compareVersions(a: Version, b: Version): number {
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp ? -1 : 1
  if (a.writer !== b.writer) return a.writer < b.writer ? -1 : 1
  return 0
}

export function isNewer(candidate: Version, existing: Version | undefined): boolean {
  return existing === undefined || compareVersions(candidate, existing) > 0
}

/**
 * The order in which copies of one key replace each other: by version, and between two
 * copies with equal versions but different contents (a writer that reissued a
 * timestamp, or a crafted copy) by their contents: a value beats a tombstone, and
 * between two values the greater SHA-256 wins. Every replica picks the same winner, so
 * replicas converge instead of keeping different values forever. 0 only for identical
 * copies. The hash is computed only for equal versions.
 */
export function compareRecords(
  a: {
    readonly version: Version
    readonly value: Uint8Array | undefined
    readonly expiresAt?: number | undefined
  },
  b: {
    readonly version: Version
    readonly value: Uint8Array | undefined
    readonly expiresAt?: number | undefined
  },
): number {
  const byVersion = compareVersions(a.version, b.version)
  if (byVersion !== 0) return byVersion
  // the usual case (copies of one write, as a quorum read compares them): equal bytes
  // have equal hashes, so there is nothing to hash
  const byValue = sameBytes(a.value, b.value)
    ? 0
    : compareValueHashes(valueHash(a.value), valueHash(b.value))
  if (byValue !== 0) return byValue
  // equal version and value but different expiries (only a crafted copy does that):
  // the later expiry wins, no expiry latest of all, so replicas still agree
  const expiry = (r: { readonly expiresAt?: number | undefined }) =>
    r.expiresAt ?? Number.POSITIVE_INFINITY
  return Math.sign(expiry(a) - expiry(b)) || 0
}

/** SHA-256 of a value; undefined for a tombstone. What the tie between equal versions compares. */
export function valueHash(value: Uint8Array | undefined): Uint8Array | undefined {
  return value === undefined ? undefined : hash('sha256', value, 'buffer')
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === undefined || b === undefined) return a === b
  return a === b || (a.byteLength === b.byteLength && Buffer.compare(a, b) === 0)
}

/** The tie-break of `compareRecords` on value hashes: a value over a tombstone, then the greater hash. */
export function compareValueHashes(a: Uint8Array | undefined, b: Uint8Array | undefined): number {
  if (a === undefined || b === undefined)
    return (a === undefined ? 0 : 1) - (b === undefined ? 0 : 1)
  return Math.sign(Buffer.compare(a, b))
}

/** Milliseconds since the epoch that a timestamp was issued at. */
export function timestampMillis(timestamp: bigint): number {
  return Number(timestamp >> LOGICAL_BITS)
}

/**
 * A hybrid logical clock. `now()` issues a timestamp greater than every timestamp this
 * clock issued or observed; `observe()` takes in a timestamp seen on the wire, but only
 * one within `maxDriftMs` of the local wall clock: a timestamp from far in the future
 * (a wrong clock, or a crafted version) would otherwise drag every later version with
 * it, win last-writer-wins for ever, and finally overflow the 64 bits.
 */
export class HybridLogicalClock {
  #last = 0n
  readonly #wallClock: () => number
  readonly #maxDriftMs: number

  constructor(wallClock: () => number = Date.now, maxDriftMs = DEFAULT_MAX_CLOCK_DRIFT_MS) {
    this.#wallClock = wallClock
    this.#maxDriftMs = maxDriftMs
  }

  /** True when `remote` is not further ahead of this clock's wall time than the drift allows. */
  accepts(remote: bigint): boolean {
    const limit = BigInt(Math.floor(this.#wallClock() + this.#maxDriftMs) + 1) << LOGICAL_BITS
    return remote >= 0n && remote < limit
  }

  /** How far `remote` is ahead of the local wall clock, in milliseconds (negative: behind). */
  aheadMillis(remote: bigint): number {
    return timestampMillis(remote) - Math.floor(this.#wallClock())
  }

  now(): bigint {
    const physical = BigInt(Math.floor(this.#wallClock())) << LOGICAL_BITS
    this.#last = physical > this.#last ? physical : this.#advanceLogical(this.#last)
    return this.#last
  }

  /** Take in `remote` if the drift allows it; returns whether it was taken. */
  observe(remote: bigint): boolean {
    if (!this.accepts(remote)) return false
    if (remote > this.#last) this.#last = remote
    return true
  }

  #advanceLogical(timestamp: bigint): bigint {
    // when the logical counter overflows, borrow the next millisecond
    return (timestamp & LOGICAL_MASK) === LOGICAL_MASK
      ? ((timestamp >> LOGICAL_BITS) + 1n) << LOGICAL_BITS
      : timestamp + 1n
  }
}
