import { type RingId, ringIdOf } from '@ringdht/ring'
import { InvalidInputError, KeyTooLargeError } from '../errors.js'

/**
 * How a home log is named and where its state lives. A log is (space, name): the space
 * says what uses it ('topic', 'queue'), the name is the caller's bytes. Its ring position
 * is the hash of both, so a topic and a queue with the same name have different homes and
 * different logs.
 */
export interface LogId {
  readonly space: string
  readonly name: Uint8Array
}

const SPACE_PATTERN = /^[a-z][a-z0-9-]{0,31}$/
const encoder = new TextEncoder()

/** Throws unless `space` is a short lower-case word (it is part of every key of the log). */
export function checkSpace(space: string): void {
  if (!SPACE_PATTERN.test(space)) {
    throw new InvalidInputError(
      `log space "${space}" must be 1-32 characters of a-z, 0-9 and '-', starting with a letter`,
    )
  }
}

/** Throws unless `name` is non-empty and at most `maxBytes`. */
export function checkName(name: Uint8Array | undefined, maxBytes: number, what = 'name'): void {
  if (name === undefined || name.byteLength === 0)
    throw new InvalidInputError(`a ${what} is required`)
  if (name.byteLength > maxBytes) {
    throw new KeyTooLargeError(`${what} is ${name.byteLength} bytes; the limit is ${maxBytes}`)
  }
}

/** The log's key: `<space> 0x00 <name>`; unique per log, and hashed to its position. */
export function logKey(id: LogId): Uint8Array {
  const space = encoder.encode(id.space)
  const key = new Uint8Array(space.byteLength + 1 + id.name.byteLength)
  key.set(space, 0)
  key.set(id.name, space.byteLength + 1)
  return key
}

/**
 * The space of key watch logs (messaging/watches): a watch log sits at its key's own ring
 * position, so its home is the key's owner and its replicas are the key's replicas (the
 * owner appends each change it applies without another hop).
 */
export const WATCH_SPACE = 'watch'

/** The log's ring position: its home is the owner of this position. */
export function logPosition(id: LogId): RingId {
  return id.space === WATCH_SPACE ? ringIdOf(id.name) : ringIdOf(logKey(id))
}

/**
 * The coordination register that counts the log's epochs: every home that takes the log
 * over increments it, so no two homes ever hold the same epoch. Registers are a keyspace
 * of their own, so this key cannot meet a key/value key.
 */
export function epochRegisterKey(id: LogId): Uint8Array {
  return concat(encoder.encode('home-epoch/'), logKey(id))
}

/** A printable form of the log for logs and errors. */
export function logLabel(id: LogId): string {
  return `${id.space}/${Buffer.from(id.name).toString('utf8')}`
}

/** A string that identifies the log in maps. */
export function logMapKey(id: LogId): string {
  return `${id.space}\u0000${Buffer.from(id.name).toString('hex')}`
}

// Table keys: 'm' + log key: the replica's state of the log; 'e' + u16 length + log key +
// u64 seq: one entry. Entries of one log sort by sequence number.
const META = 0x6d
const ENTRY = 0x65

export function metaKey(key: Uint8Array): Uint8Array {
  return concat(Uint8Array.of(META), key)
}

/** The log key of a meta key, or undefined when `tableKey` is not one. */
export function logKeyOfMeta(tableKey: Uint8Array): Uint8Array | undefined {
  return tableKey[0] === META ? tableKey.subarray(1) : undefined
}

/** The log id a log key spells, or undefined when it is not one. */
export function logIdOfKey(key: Uint8Array): LogId | undefined {
  const zero = key.indexOf(0)
  if (zero <= 0) return undefined
  const space = Buffer.from(key.subarray(0, zero)).toString('utf8')
  if (!SPACE_PATTERN.test(space)) return undefined
  return { space, name: Uint8Array.from(key.subarray(zero + 1)) }
}

export function entryPrefix(key: Uint8Array): Uint8Array {
  const prefix = new Uint8Array(3 + key.byteLength)
  prefix[0] = ENTRY
  new DataView(prefix.buffer).setUint16(1, key.byteLength)
  prefix.set(key, 3)
  return prefix
}

export function entryKey(prefix: Uint8Array, seq: number): Uint8Array {
  const key = new Uint8Array(prefix.byteLength + 8)
  key.set(prefix, 0)
  new DataView(key.buffer).setBigUint64(prefix.byteLength, BigInt(seq))
  return key
}

/** The sequence number of an entry key under `prefix`, or undefined for another log's key. */
export function seqOfEntryKey(prefix: Uint8Array, key: Uint8Array): number | undefined {
  if (key.byteLength !== prefix.byteLength + 8) return undefined
  for (let i = 0; i < prefix.byteLength; i++) if (key[i] !== prefix[i]) return undefined
  return Number(new DataView(key.buffer, key.byteOffset).getBigUint64(prefix.byteLength))
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength)
  out.set(a, 0)
  out.set(b, a.byteLength)
  return out
}
