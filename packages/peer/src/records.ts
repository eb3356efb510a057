import type { Record as WireRecord } from '@ringdht/protocol'
import { ringIdOf } from '@ringdht/ring'
import type { StoredRecord } from '@ringdht/store'

export function toWireRecord(record: StoredRecord): WireRecord {
  return {
    key: record.key as Uint8Array<ArrayBuffer>,
    ...(record.value === undefined ? {} : { value: record.value as Uint8Array<ArrayBuffer> }),
    version: { timestamp: record.version.timestamp, writer: record.version.writer },
  }
}

/** A record received from the network; its position is recomputed, never trusted. */
export function fromWireRecord(record: WireRecord): StoredRecord {
  return {
    key: record.key,
    position: ringIdOf(record.key),
    value: record.value,
    version: {
      timestamp: record.version?.timestamp ?? 0n,
      writer: record.version?.writer ?? 0n,
    },
  }
}

export function wireRecordBytes(record: WireRecord): number {
  return record.key.byteLength + (record.value?.byteLength ?? 0) + 32
}
