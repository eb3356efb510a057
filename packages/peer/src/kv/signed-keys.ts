import type { PrivateKey, PublicKey } from '@libp2p/interface'
import { peerIdFromPublicKey, peerIdFromString } from '@libp2p/peer-id'

/*
 * Signed keys, as OpenDHT's and BitTorrent's BEP 44 mutable items: a key derived from a
 * public key, whose values carry the owner's signature and a sequence number. Members
 * refuse values that are not signed by the key's owner, or whose sequence number is not
 * above the one they hold; readers discard what does not verify. A lying member can
 * withhold such a value, never forge one.
 *
 * Key:   "sig1/" + the owner's peer id (Ed25519: it embeds the public key) + "/" + name
 * Value: "RDS1" | seq (8 bytes, big-endian) | signature length (1 byte) | signature | value
 * The signature covers "ringdht-signed-v1" | key | seq | value.
 */

const KEY_PREFIX = new TextEncoder().encode('sig1/')
const MAGIC = new TextEncoder().encode('RDS1')
const DOMAIN = new TextEncoder().encode('ringdht-signed-v1')
const SLASH = 0x2f

/** A signed value, opened. */
export interface SignedValue {
  value: Uint8Array
  seq: bigint
}

export function isSignedKey(key: Uint8Array): boolean {
  return startsWith(key, KEY_PREFIX)
}

/** The key of `name` in the namespace of `owner` (a public key, or its peer id string). */
export function signedKey(owner: PublicKey | string, name: Uint8Array | string): Uint8Array {
  const id = typeof owner === 'string' ? peerIdFromString(owner) : peerIdFromPublicKey(owner)
  if (id.publicKey === undefined) throw new Error('the owner must be a public key peer id')
  const nameBytes = typeof name === 'string' ? new TextEncoder().encode(name) : name
  return concat(KEY_PREFIX, new TextEncoder().encode(`${id.toString()}/`), nameBytes)
}

/** The owner's public key named in a signed key; undefined when the key is not well formed. */
export function ownerOf(key: Uint8Array): PublicKey | undefined {
  if (!isSignedKey(key)) return undefined
  const rest = key.subarray(KEY_PREFIX.byteLength)
  const slash = rest.indexOf(SLASH)
  if (slash <= 0) return undefined
  try {
    return peerIdFromString(new TextDecoder().decode(rest.subarray(0, slash))).publicKey
  } catch {
    return undefined
  }
}

/** The bytes to store under `key`: `value` signed by `privateKey` at sequence `seq`. */
export async function sealSigned(
  privateKey: PrivateKey,
  key: Uint8Array,
  value: Uint8Array,
  seq: bigint,
): Promise<Uint8Array> {
  if (seq < 0n || seq >= 1n << 64n) throw new RangeError('seq must fit 64 bits')
  const signature = await privateKey.sign(signedBytes(key, seq, value))
  const header = new Uint8Array(MAGIC.byteLength + 9)
  header.set(MAGIC)
  new DataView(header.buffer).setBigUint64(MAGIC.byteLength, seq)
  header[MAGIC.byteLength + 8] = signature.byteLength
  return concat(header, signature, value)
}

/**
 * The value stored under a signed key, when it is signed by the key's owner; undefined
 * when the envelope is malformed or the signature does not verify. Never throws.
 */
export async function openSigned(
  key: Uint8Array,
  stored: Uint8Array,
): Promise<SignedValue | undefined> {
  const owner = ownerOf(key)
  const at = MAGIC.byteLength
  if (owner === undefined || stored.byteLength < at + 9 || !startsWith(stored, MAGIC)) {
    return undefined
  }
  const view = new DataView(stored.buffer, stored.byteOffset, stored.byteLength)
  const seq = view.getBigUint64(at)
  const signatureLength = stored[at + 8] as number
  const valueStart = at + 9 + signatureLength
  if (stored.byteLength < valueStart) return undefined
  const signature = stored.subarray(at + 9, valueStart)
  const value = stored.subarray(valueStart)
  try {
    return (await owner.verify(signedBytes(key, seq, value), signature))
      ? { value, seq }
      : undefined
  } catch {
    return undefined
  }
}

function signedBytes(key: Uint8Array, seq: bigint, value: Uint8Array): Uint8Array {
  const seqBytes = new Uint8Array(8)
  new DataView(seqBytes.buffer).setBigUint64(0, seq)
  return concat(DOMAIN, key, seqBytes, value)
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (bytes.byteLength < prefix.byteLength) return false
  for (let i = 0; i < prefix.byteLength; i++) if (bytes[i] !== prefix[i]) return false
  return true
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.byteLength
  }
  return out
}

/**
 * Why a member refuses to store `value` (undefined: a delete) under the signed `key`,
 * next to what it holds (`stored`); undefined when it may. Not signed by the key's
 * owner, a sequence number not above the stored one, and deletes are refused.
 */
export async function signedWriteRefusal(
  key: Uint8Array,
  value: Uint8Array | undefined,
  stored: Uint8Array | undefined,
): Promise<string | undefined> {
  if (value === undefined) {
    return 'a signed key is never deleted: its owner publishes a newer signed value instead'
  }
  const offered = await openSigned(key, value)
  if (offered === undefined) return "the value is not signed by the key's owner"
  if (stored === undefined) return undefined
  const held = await openSigned(key, stored)
  if (held !== undefined && offered.seq <= held.seq) {
    return `sequence number ${offered.seq} is not above the stored ${held.seq}`
  }
  return undefined
}

/** Whether a copy pushed or pulled between members may be kept: always, unless it is a signed key it does not satisfy. */
export async function validSignedCopy(
  record: { key: Uint8Array; value: Uint8Array | undefined },
  held: { value: Uint8Array | undefined } | undefined,
): Promise<boolean> {
  if (!isSignedKey(record.key)) return true
  return (await signedWriteRefusal(record.key, record.value, held?.value)) === undefined
}
