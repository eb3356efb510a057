import { inHalfOpenInterval, ringIdOf } from '@ringdht/ring'
import type { Store, StoredRecord, Version } from '../src/index.js'

const encoder = new TextEncoder()

export function bytes(text: string): Uint8Array {
  return encoder.encode(text)
}

export function text(data: Uint8Array | undefined): string | undefined {
  return data === undefined ? undefined : new TextDecoder().decode(data)
}

export function version(timestamp: bigint | number, writer: bigint | number = 1n): Version {
  return { timestamp: BigInt(timestamp), writer: BigInt(writer) }
}

/** A record for `key`; `value` undefined makes a tombstone. */
export function record(
  key: string,
  value: string | undefined,
  timestamp: bigint | number,
  writer: bigint | number = 1n,
): StoredRecord {
  const keyBytes = bytes(key)
  return {
    key: keyBytes,
    position: ringIdOf(keyBytes),
    value: value === undefined ? undefined : bytes(value),
    version: version(timestamp, writer),
  }
}

/** `count` live records with keys `${prefix}-${i}`. */
export function manyRecords(count: number, prefix = 'key', timestamp = 1000): StoredRecord[] {
  return Array.from({ length: count }, (_, i) => record(`${prefix}-${i}`, `value-${i}`, timestamp))
}

const RING_MASK = (1n << 64n) - 1n

/** Reference answer for range(start, end): filter by the ring package, sort clockwise from start. */
export function expectedRange(
  records: readonly StoredRecord[],
  start: bigint,
  end: bigint,
): StoredRecord[] {
  const offset = (position: bigint) => ((position - start - 1n) & RING_MASK) + 1n
  return records
    .filter((r) => inHalfOpenInterval(r.position, start, end))
    .sort((a, b) => {
      const da = offset(a.position)
      const db = offset(b.position)
      if (da !== db) return da < db ? -1 : 1
      return Buffer.compare(a.key, b.key)
    })
}

export async function collect(iterable: AsyncIterable<StoredRecord>): Promise<StoredRecord[]> {
  const out: StoredRecord[] = []
  for await (const item of iterable) out.push(item)
  return out
}

export function keysOf(records: readonly StoredRecord[]): string[] {
  return records.map((r) => text(r.key) as string)
}

/** Everything in the store, clockwise from 0, as comparable plain data. */
export async function contents(store: Store): Promise<string[]> {
  const all = await collect(store.range(0n, 0n))
  return all.map(
    (r) =>
      `${text(r.key)}@${r.position}=${r.value === undefined ? '<tombstone>' : text(r.value)}` +
      ` v${r.version.timestamp}/${r.version.writer}`,
  )
}
