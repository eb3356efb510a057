import type { Version } from '@ringdht/store'
import { InvalidInputError } from './errors.js'

/** Keys and values: bytes, or a string taken as UTF-8. */
export type KeyInput = Uint8Array | string

export interface OperationOptions {
  signal?: AbortSignal
  /** Record the peer ids the request went through in `path`. Default false. */
  trace?: boolean
}

export interface PutOptions extends OperationOptions {
  /** Replicas that must hold the write (replication); default the peer's writeQuorum. */
  writeQuorum?: number
}

export interface GetResult {
  value: Uint8Array
  /** Forwards between the peer asked and the owner. */
  hops: number
  /** Peer ids visited, when `trace` was set. */
  path?: string[]
  version?: Version
}

export interface WriteResult {
  hops: number
  path?: string[]
  /** Replicas that acknowledged the write. */
  replicas?: number
}

const encoder = new TextEncoder()

/** The bytes of a key or value given as bytes or as a string (UTF-8). */
export function toBytes(input: KeyInput, what: string): Uint8Array {
  if (typeof input === 'string') return encoder.encode(input)
  if (input instanceof Uint8Array) return input
  throw new InvalidInputError(`${what} must be a Uint8Array or a string`)
}
