import { GatewayInputError } from './errors.js'

export type KeyEncoding = 'utf8' | 'base64url' | 'hex'

export const KEY_ENCODINGS: readonly KeyEncoding[] = ['utf8', 'base64url', 'hex']

const BASE64URL = /^[A-Za-z0-9_-]*$/
const HEX = /^(?:[0-9a-fA-F]{2})*$/

/**
 * The key bytes named by a URL path segment (already percent-decoded): UTF-8 text by
 * default, or base64url / hex for binary keys. A bad encoding or an oversized key is the
 * caller's mistake: a GatewayInputError (400) with the reason.
 */
export function decodeKey(segment: string, encoding: KeyEncoding, maxKeyBytes: number): Uint8Array {
  let key: Buffer
  if (encoding === 'utf8') {
    key = Buffer.from(segment, 'utf8')
  } else if (encoding === 'base64url') {
    if (!BASE64URL.test(segment) || segment.length % 4 === 1) {
      throw new GatewayInputError('BAD_KEY_ENCODING', 'the key is not valid base64url')
    }
    key = Buffer.from(segment, 'base64url')
  } else {
    if (!HEX.test(segment)) {
      throw new GatewayInputError('BAD_KEY_ENCODING', 'the key is not valid hex (pairs of 0-9a-f)')
    }
    key = Buffer.from(segment, 'hex')
  }
  if (key.length === 0) throw new GatewayInputError('BAD_KEY', 'the key is empty')
  if (key.length > maxKeyBytes) {
    throw new GatewayInputError(
      'KEY_TOO_LARGE',
      `the key is ${key.length} bytes; the limit is ${maxKeyBytes}`,
    )
  }
  return key
}
