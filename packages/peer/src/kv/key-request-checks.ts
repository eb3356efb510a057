import { MessageType, type Request } from '@ringdht/protocol'
import type { HybridLogicalClock, StoredRecord } from '@ringdht/store'
import { InvalidInputError, KeyTooLargeError, ValueTooLargeError } from '../errors.js'
import { MAX_TTL_MS } from '../operations.js'
import { expiryFromWire } from './records.js'

/** The limits a get / put / delete is checked against at every member it passes. */
export interface KeyRequestLimits {
  maxKeyBytes: number
  maxValueBytes: number
}

/** The key of a get / put / delete, once the request is known to be well formed and within limits. */
export function checkKeyRequest(request: Request, limits: KeyRequestLimits): Uint8Array {
  const key = request.key
  if (key === undefined || key.byteLength === 0) throw new InvalidInputError('a key is required')
  if (key.byteLength > limits.maxKeyBytes) {
    throw new KeyTooLargeError(`key is ${key.byteLength} bytes; the limit is ${limits.maxKeyBytes}`)
  }
  if (request.ttlMs !== 0n) {
    if (request.type !== MessageType.PUT || request.local) {
      throw new InvalidInputError('only a put takes a TTL')
    }
    if (request.ttlMs > BigInt(MAX_TTL_MS)) {
      throw new InvalidInputError(`a TTL of ${request.ttlMs} ms is beyond ten years`)
    }
  }
  if (request.type === MessageType.PUT) {
    if (request.value === undefined) throw new InvalidInputError('put needs a value')
    if (request.value.byteLength > limits.maxValueBytes) {
      throw new ValueTooLargeError(
        `value is ${request.value.byteLength} bytes; the limit is ${limits.maxValueBytes}`,
      )
    }
  }
  return key
}

/**
 * The record a replica copy (a `local` put or delete from the member that coordinated the
 * write) stores: its version taken as it is only when the timestamp is within the clock
 * drift of this member's clock (a version from further ahead would win every later write
 * and drag this clock along), its expiry as the coordinator fixed it.
 */
export function replicaCopyOf(
  request: Request,
  record: Pick<StoredRecord, 'key' | 'position' | 'value'>,
  clock: Pick<HybridLogicalClock, 'observe' | 'aheadMillis'>,
  maxClockDriftMs: number,
): StoredRecord {
  const offered = request.version
  if (offered === undefined || offered.timestamp <= 0n) {
    throw new InvalidInputError('a replica copy needs the version it was written at')
  }
  if (!clock.observe(offered.timestamp)) {
    throw new InvalidInputError(
      `the version is ${clock.aheadMillis(offered.timestamp)} ms ahead of this member's clock; at most ${maxClockDriftMs} ms is accepted`,
    )
  }
  return {
    ...record,
    version: { timestamp: offered.timestamp, writer: offered.writer },
    ...(request.expiresAt === undefined ? {} : { expiresAt: expiryFromWire(request.expiresAt) }),
  }
}
