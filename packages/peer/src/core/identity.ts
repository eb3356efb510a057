import { mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { Logger } from 'pino'
import { InvalidInputError } from '../errors.js'
import { generatePuzzleKey, puzzleBits, solvesPuzzle } from './id-puzzle.js'

const KEY_FILE = 'peer.key'

/** True when `dataDir` holds an identity key from an earlier start. */
export async function identityExists(dataDir: string | undefined): Promise<boolean> {
  if (dataDir === undefined) return false
  try {
    await stat(join(dataDir, KEY_FILE))
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw err
  }
}

/**
 * The peer's private key: read from `<dataDir>/peer.key` when present, otherwise
 * generated (Ed25519, solving the id puzzle at `difficulty`) and written there with
 * mode 0600, so a restarted peer keeps its peer id and therefore its ring position.
 * Without a dataDir the key lives in memory. A stored key that does not solve the
 * puzzle is refused (members would refuse it too); one that other users can read is
 * used, with a warning.
 */
export async function loadOrCreateIdentity(
  dataDir: string | undefined,
  difficulty: number,
  logger: Logger,
): Promise<PrivateKey> {
  if (dataDir === undefined) return generatePuzzleKey(difficulty)
  const path = join(dataDir, KEY_FILE)
  let stored: PrivateKey | undefined
  try {
    stored = privateKeyFromProtobuf(await readFile(path))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  if (stored !== undefined) {
    const mode = (await stat(path)).mode & 0o777
    if ((mode & 0o077) !== 0) {
      logger.warn(
        { path, mode: mode.toString(8) },
        'the identity key is readable by other users: anyone who reads it can act as this member; chmod 600 it',
      )
    }
    const peerId = peerIdFromPrivateKey(stored)
    if (!solvesPuzzle(peerId, difficulty)) {
      throw new InvalidInputError(
        `the identity in ${path} has ${puzzleBits(peerId)} puzzle bits, fewer than the id difficulty ${difficulty}: lower the difficulty, or move the key away to get a new identity (and a new ring position)`,
      )
    }
    return stored
  }
  await mkdir(dataDir, { recursive: true })
  const key = await generatePuzzleKey(difficulty)
  await writeFile(path, privateKeyToProtobuf(key), { mode: 0o600, flag: 'wx' })
  return key
}
