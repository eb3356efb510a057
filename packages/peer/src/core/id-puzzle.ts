import { createHash } from 'node:crypto'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { PeerId, PrivateKey } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'

/**
 * S/Kademlia's static crypto puzzle: a peer id is valid at difficulty c when
 * SHA-256(SHA-256(its multihash)) starts with c zero bits. A member's ring position is
 * SHA-256(multihash) itself, so the puzzle does not bias positions; it makes choosing
 * one cost about 2^c key generations instead of one, which is what it takes to place
 * oneself on the replicas of a chosen key.
 */
export function puzzleBits(peerId: PeerId): number {
  const inner = createHash('sha256').update(peerId.toMultihash().bytes).digest()
  const outer = createHash('sha256').update(inner).digest()
  let bits = 0
  for (const byte of outer) {
    if (byte === 0) {
      bits += 8
      continue
    }
    bits += Math.clz32(byte) - 24
    break
  }
  return bits
}

export function solvesPuzzle(peerId: PeerId, difficulty: number): boolean {
  return difficulty <= 0 || puzzleBits(peerId) >= difficulty
}

/** A fresh Ed25519 key whose peer id solves the puzzle at `difficulty` (about 2^difficulty tries). */
export async function generatePuzzleKey(difficulty: number): Promise<PrivateKey> {
  for (;;) {
    const key = await generateKeyPair('Ed25519')
    if (solvesPuzzle(peerIdFromPrivateKey(key), difficulty)) return key
  }
}
