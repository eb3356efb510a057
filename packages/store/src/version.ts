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

/** Negative when a is older than b, 0 when equal, positive when a is newer. */
export function compareVersions(a: Version, b: Version): number {
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp ? -1 : 1
  if (a.writer !== b.writer) return a.writer < b.writer ? -1 : 1
  return 0
}

export function isNewer(candidate: Version, existing: Version | undefined): boolean {
  return existing === undefined || compareVersions(candidate, existing) > 0
}

/** Milliseconds since the epoch that a timestamp was issued at. */
export function timestampMillis(timestamp: bigint): number {
  return Number(timestamp >> LOGICAL_BITS)
}

/**
 * A hybrid logical clock. `now()` issues a timestamp greater than every timestamp this
 * clock issued or observed; `observe()` takes in a timestamp seen on the wire.
 */
export class HybridLogicalClock {
  #last = 0n
  readonly #wallClock: () => number

  constructor(wallClock: () => number = Date.now) {
    this.#wallClock = wallClock
  }

  now(): bigint {
    const physical = BigInt(Math.floor(this.#wallClock())) << LOGICAL_BITS
    this.#last = physical > this.#last ? physical : this.#advanceLogical(this.#last)
    return this.#last
  }

  observe(remote: bigint): void {
    if (remote > this.#last) this.#last = remote
  }

  #advanceLogical(timestamp: bigint): bigint {
    // when the logical counter overflows, borrow the next millisecond
    return (timestamp & LOGICAL_MASK) === LOGICAL_MASK
      ? ((timestamp >> LOGICAL_BITS) + 1n) << LOGICAL_BITS
      : timestamp + 1n
  }
}
