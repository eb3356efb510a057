/**
 * What the id puzzle costs an attacker who wants to hold every replica of a chosen key:
 * in a ring of `members` honest members, generate identities (valid at `difficulty`)
 * until r of them are the first r members at or after the key's position. Prints the key
 * generations that took, and the time, per trial, with real Ed25519 keys.
 *
 *   node packages/peer/dist/scripts/measure-puzzle.js [difficulty=10] [members=8] [r=3] [trials=3]
 */
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { type RingId, ringIdOf, SortedRing } from '@ringdht/ring'
import { solvesPuzzle } from '../src/core/id-puzzle.js'
import { ringIdOfPeer } from '../src/core/ring-node.js'

const [difficulty = 10, members = 8, r = 3, trials = 3] = process.argv.slice(2).map(Number)

async function validId(): Promise<{ id: RingId; keygens: number }> {
  for (let keygens = 1; ; keygens++) {
    const peerId = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    if (solvesPuzzle(peerId, difficulty)) return { id: ringIdOfPeer(peerId), keygens }
  }
}

const results: Array<{ keygens: number; ids: number; seconds: number }> = []
for (let trial = 0; trial < trials; trial++) {
  const honest: RingId[] = []
  for (let i = 0; i < members; i++) honest.push((await validId()).id)
  const target = ringIdOf(new TextEncoder().encode(`chosen key ${trial}`))
  const started = performance.now()
  const mine = new Set<RingId>()
  let keygens = 0
  let ids = 0
  for (;;) {
    const found = await validId()
    keygens += found.keygens
    ids++
    const ring = new SortedRing([...honest, ...mine, found.id])
    // keep an id only if it would sit among the key's replicas
    if (ring.successors(target, r).includes(found.id)) mine.add(found.id)
    const replicas = new SortedRing([...honest, ...mine]).successors(target, r)
    if (replicas.every((id) => mine.has(id))) break
  }
  results.push({ keygens, ids, seconds: (performance.now() - started) / 1000 })
}
console.log(JSON.stringify({ difficulty, members, r, trials: results }, null, 2))
