/**
 * The shapes of get/put/delete shared by a ring member (`RingPeer`) and a client
 * (`RingClient`): both take the same keys and options and give the same results.
 */
import type { Version } from '@ringdht/store'
import { InvalidInputError } from './errors.js'

/** A key or a value: bytes as they are, or a string encoded as UTF-8. */
export type KeyInput = Uint8Array | string

/** Options every get/put/delete takes. */
export interface OperationOptions {
  signal?: AbortSignal
  /** Record the peer ids the request went through in `path`. Default false. */
  trace?: boolean
}

/** Options of a get. */
export interface GetOptions extends OperationOptions {
  /**
   * 'quorum' (default): the newest copy among R replicas (the ring's read quorum), which
   * sees every acknowledged write. 'one': the owner's copy alone, faster but possibly
   * stale while a member returns from a failure.
   */
  consistency?: Consistency
}

export type Consistency = 'quorum' | 'one'

/** The wire's read_quorum for a consistency: 0 is the ring's own R. */
export function readQuorumOf(consistency: Consistency | undefined): number {
  if (consistency === undefined || consistency === 'quorum') return 0
  if (consistency === 'one') return 1
  throw new InvalidInputError(`consistency must be 'quorum' or 'one', got ${String(consistency)}`)
}

/** What a get found. */
export interface GetResult {
  value: Uint8Array
  /** Forwards between the peer asked and the owner. */
  hops: number
  /** Peer ids visited, when `trace` was set. */
  path?: string[]
  version?: Version
  /** When the value stops being readable (ms since the epoch), for a put with `ttlMs`. */
  expiresAt?: number
}

/** How a put or delete went. */
export interface WriteResult {
  hops: number
  /** Peer ids visited, when `trace` was set. */
  path?: string[]
  /** Replicas that acknowledged the write. */
  replicas?: number
}

/** The version and expiry of a record found by a get, as a GetResult shows them. */
export function expiryOf(record: {
  version: Version
  expiresAt?: number
}): Pick<GetResult, 'version' | 'expiresAt'> {
  return {
    version: record.version,
    ...(record.expiresAt === undefined ? {} : { expiresAt: record.expiresAt }),
  }
}

const encoder = new TextEncoder()

/**
 * The bytes of a key or value. Callers may be plain JavaScript, so anything else is
 * refused with an InvalidInputError naming `what` rather than failing deep in encoding.
 */
export function toBytes(input: KeyInput, what: string): Uint8Array {
  if (typeof input === 'string') return encoder.encode(input)
  if (input instanceof Uint8Array) return input
  throw new InvalidInputError(`${what} must be a Uint8Array or a string`)
}

/** Options of a put. */
export interface PutOptions extends OperationOptions {
  /** Replicas that must hold the write (replication); default the peer's writeQuorum. */
  writeQuorum?: number
  /**
   * Time to live in ms: the key reads as absent from its version's time plus `ttlMs` on
   * (on every replica alike), and is collected like a deleted key. Default: no expiry.
   */
  ttlMs?: number
}

/** The longest TTL a put takes: ten years, in ms. */
export const MAX_TTL_MS = 10 * 365 * 24 * 3600 * 1000

/** The wire's ttl_ms for a put's `ttlMs` (0n: no expiry); refuses 0, fractions, negatives and absurd values. */
export function ttlOf(ttlMs: number | undefined): bigint {
  if (ttlMs === undefined) return 0n
  if (!Number.isSafeInteger(ttlMs) || ttlMs < 1 || ttlMs > MAX_TTL_MS) {
    throw new InvalidInputError(
      `ttlMs must be a whole number of ms from 1 to ${MAX_TTL_MS} (ten years), got ${String(ttlMs)}`,
    )
  }
  return BigInt(ttlMs)
}
