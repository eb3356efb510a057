import { TopicRetention as WireRetention } from '@ringdht/protocol'
import { InvalidInputError } from '../errors.js'
import type { Retention } from '../homes/home-log.js'

/** How much of one topic its home keeps (`configureTopic`). */
export interface TopicRetention {
  /** Messages kept at most, the oldest going first. 0 or absent: the ring's default. */
  retainCount?: number
  /** Messages older than this go, ms. 0 or absent: the ring's default (no age limit). */
  retainMs?: number
}

/** The longest age a topic may keep messages for: about 10 years, ms. */
const MAX_RETAIN_MS = 10 * 365 * 24 * 3600 * 1000

const encoder = new TextEncoder()

/**
 * The coordination register of a topic's retention. Registers are their own keyspace,
 * and this prefix is not a home's epoch register's ('home-epoch/').
 */
export function retentionRegisterKey(topic: Uint8Array): Uint8Array {
  const prefix = encoder.encode('topic-retention/')
  const key = new Uint8Array(prefix.byteLength + topic.byteLength)
  key.set(prefix, 0)
  key.set(topic, prefix.byteLength)
  return key
}

/** Checks a caller's setting and puts it in wire form (0: the default). */
export function retentionToWire(retention: TopicRetention): WireRetention {
  if (typeof retention !== 'object' || retention === null) {
    throw new InvalidInputError('retention must be an object: { retainCount?, retainMs? }')
  }
  const count = retention.retainCount ?? 0
  const ms = retention.retainMs ?? 0
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new InvalidInputError('retainCount must be an integer ≥ 0 (0: the default)')
  }
  if (!Number.isSafeInteger(ms) || ms < 0 || ms > MAX_RETAIN_MS) {
    throw new InvalidInputError(`retainMs must be an integer from 0 to ${MAX_RETAIN_MS}`)
  }
  return { maxEntries: BigInt(count), maxAgeMs: BigInt(ms) }
}

/** A wire setting as the caller sees it (absent fields: the default). */
export function retentionFromWire(wire: WireRetention): TopicRetention {
  const count = Number(wire.maxEntries)
  const ms = Number(wire.maxAgeMs)
  return { ...(count > 0 ? { retainCount: count } : {}), ...(ms > 0 ? { retainMs: ms } : {}) }
}

/** What a home keeps: the topic's setting where it has one, the ring's default elsewhere. */
export function effectiveRetention(wire: WireRetention | undefined, base: Retention): Retention {
  const count = Number(wire?.maxEntries ?? 0)
  const ms = Number(wire?.maxAgeMs ?? 0)
  return Object.freeze({
    maxEntries: count > 0 ? count : base.maxEntries,
    maxAgeMs: ms > 0 ? ms : base.maxAgeMs,
  })
}

/** The register's bytes of a setting. */
export function encodeRetention(wire: WireRetention): Uint8Array {
  return WireRetention.encode(wire)
}

/** A setting from its register's bytes; undefined (the default) for none or bad bytes. */
export function decodeRetention(bytes: Uint8Array | undefined): WireRetention | undefined {
  if (bytes === undefined || bytes.byteLength === 0) return undefined
  try {
    return WireRetention.decode(bytes)
  } catch {
    return undefined
  }
}
