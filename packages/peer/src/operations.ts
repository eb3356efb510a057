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

/** What a get found. */
export interface GetResult {
  value: Uint8Array
  /** Forwards between the peer asked and the owner. */
  hops: number
  /** Peer ids visited, when `trace` was set. */
  path?: string[]
  version?: Version
}

/** How a put or delete went. */
export interface WriteResult {
  hops: number
  /** Peer ids visited, when `trace` was set. */
  path?: string[]
  /** Replicas that acknowledged the write. */
  replicas?: number
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
}
