import { readFile } from 'node:fs/promises'
import { generateKey } from '@libp2p/pnet'
import { ConfigError } from './errors.js'

const PSK_HEADER = '/key/swarm/psk/1.0.0/'
const PSK_CODEC = '/base16/'
const PSK_HEX = /^[0-9a-fA-F]{64}$/

/** A new swarm key in the libp2p pnet file format (three lines, 32 random bytes in hex). */
export function newSwarmKey(): Uint8Array {
  const key = new Uint8Array(95)
  generateKey(key)
  return key
}

/**
 * Reads and checks a swarm key file, so a wrong file fails at start with a message
 * instead of every connection failing later with an opaque handshake error.
 */
export async function readSwarmKey(file: string): Promise<Uint8Array> {
  let bytes: Uint8Array
  try {
    bytes = await readFile(file)
  } catch (err) {
    const reason =
      (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message
    throw new ConfigError(`cannot read PSK file ${file}: ${reason}`, err)
  }
  const lines = new TextDecoder().decode(bytes).split(/\r\n|\r|\n/)
  // nothing may follow the key but line ends: trailing bytes mean a damaged or wrong file
  const rest = lines.slice(3).join('')
  if (
    lines[0] !== PSK_HEADER ||
    lines[1] !== PSK_CODEC ||
    !PSK_HEX.test(lines[2] ?? '') ||
    rest !== ''
  ) {
    throw new ConfigError(
      `PSK file ${file} is not a libp2p swarm key (expected "${PSK_HEADER}", "${PSK_CODEC}" and 64 hex digits on three lines; make one with \`ringdht psk generate FILE\`)`,
    )
  }
  return bytes
}
