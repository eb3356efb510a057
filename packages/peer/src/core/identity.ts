import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'

const KEY_FILE = 'peer.key'

/**
 * The peer's private key: read from `<dataDir>/peer.key` when present, otherwise
 * generated (Ed25519) and written there with mode 0600, so a restarted peer keeps its
 * peer id and therefore its ring position. Without a dataDir the key lives in memory.
 */
export async function loadOrCreateIdentity(dataDir: string | undefined): Promise<PrivateKey> {
  if (dataDir === undefined) return generateKeyPair('Ed25519')
  const path = join(dataDir, KEY_FILE)
  try {
    return privateKeyFromProtobuf(await readFile(path))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  await mkdir(dataDir, { recursive: true })
  const key = await generateKeyPair('Ed25519')
  await writeFile(path, privateKeyToProtobuf(key), { mode: 0o600, flag: 'wx' })
  return key
}
