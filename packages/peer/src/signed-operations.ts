import type { PrivateKey, PublicKey } from '@libp2p/interface'
import { openSigned, sealSigned, signedKey } from './kv/signed-keys.js'
import type {
  GetResult,
  KeyInput,
  OperationOptions,
  PutOptions,
  WriteResult,
} from './operations.js'
import { toBytes } from './operations.js'

/** What signed keys need of a member or a client: plain get and put. */
export interface KeyValueCalls {
  get(key: KeyInput, options?: OperationOptions): Promise<GetResult | undefined>
  put(key: KeyInput, value: KeyInput, options?: PutOptions): Promise<WriteResult>
}

export interface PutSignedOptions extends PutOptions {
  /** The sequence number; default: one above the value stored now (1 for a new key). */
  seq?: bigint
}

/**
 * Publish `value` as `name` in the namespace of `privateKey` (an Ed25519 key): the ring
 * stores it under `signedKey(publicKey, name)` only with a valid signature and a
 * sequence number above the stored one.
 */
export async function putSigned(
  ring: KeyValueCalls,
  privateKey: PrivateKey,
  name: KeyInput,
  value: KeyInput,
  options: PutSignedOptions = {},
): Promise<WriteResult & { key: Uint8Array; seq: bigint }> {
  const key = signedKey(privateKey.publicKey, toBytes(name, 'name'))
  let seq = options.seq
  if (seq === undefined) {
    const current = await getSignedAt(ring, key, options)
    seq = (current?.seq ?? 0n) + 1n
  }
  const sealed = await sealSigned(privateKey, key, toBytes(value, 'value'), seq)
  const { seq: _, ...putOptions } = options
  return { ...(await ring.put(key, sealed, putOptions)), key, seq }
}

/**
 * The value `owner` (a public key or its peer id) published as `name`, verified; undefined
 * when there is none, or when what came back is not signed by the owner (discarded).
 */
export async function getSigned(
  ring: KeyValueCalls,
  owner: PublicKey | string,
  name: KeyInput,
  options: OperationOptions = {},
): Promise<(GetResult & { seq: bigint }) | undefined> {
  return getSignedAt(ring, signedKey(owner, toBytes(name, 'name')), options)
}

async function getSignedAt(
  ring: KeyValueCalls,
  key: Uint8Array,
  options: OperationOptions,
): Promise<(GetResult & { seq: bigint }) | undefined> {
  const found = await ring.get(key, options)
  if (found === undefined) return undefined
  const opened = await openSigned(key, found.value)
  return opened === undefined ? undefined : { ...found, value: opened.value, seq: opened.seq }
}
