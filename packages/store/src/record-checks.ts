import { InvalidRecordError } from './errors.js'
import { MAX_POSITION } from './ring-range.js'
import type { StoredRecord } from './store.js'

/** How a store finds a key's ring position; ringIdOf from @ringdht/ring unless told otherwise. */
export type PositionOf = (key: Uint8Array) => bigint

/**
 * Refuse records a store could not find again. Both engines run the same checks so a
 * record that one accepts the other accepts too.
 */
export function checkRecord(record: StoredRecord, positionOf: PositionOf): void {
  if (!(record.key instanceof Uint8Array)) throw new InvalidRecordError('key must be a Uint8Array')
  if (record.value !== undefined && !(record.value instanceof Uint8Array)) {
    throw new InvalidRecordError('value must be a Uint8Array or undefined (a tombstone)')
  }
  if (!isUint64(record.version?.timestamp) || !isUint64(record.version?.writer)) {
    throw new InvalidRecordError('version timestamp and writer must be 64-bit unsigned bigints')
  }
  if (
    record.expiresAt !== undefined &&
    (!Number.isSafeInteger(record.expiresAt) || record.expiresAt < 0)
  ) {
    throw new InvalidRecordError('expiresAt must be a whole number of ms since the epoch')
  }
  if (record.position !== positionOf(record.key)) {
    throw new InvalidRecordError(
      `position ${String(record.position)} is not the ring position of the key; build records with ringIdOf(key)`,
    )
  }
}

function isUint64(value: unknown): value is bigint {
  return typeof value === 'bigint' && value >= 0n && value <= MAX_POSITION
}
