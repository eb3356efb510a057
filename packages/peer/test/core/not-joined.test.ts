import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { after, describe, it } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { ringIdOf } from '@ringdht/ring'
import { createClient, createPeer, NotReadyError, type RingPeer } from '../../src/index.js'
import { FAST_TIMERS } from '../helpers.js'

/** A TCP port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  return typeof address === 'object' && address !== null ? address.port : 0
}

// found by the fault suite: a member restarting on its data folder served gets before it
// had joined, as a ring of one, from the copies it held before it died: stale reads
describe('a member that has not joined yet', () => {
  let peer: RingPeer | undefined

  after(async () => {
    await peer?.crash()
  })

  it('refuses key requests with NOT_READY instead of serving its own store', async () => {
    const nobody = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    peer = await createPeer({
      idDifficulty: 0,
      // the join keeps trying this unreachable member for a while: the window under test
      bootstrap: [`/ip4/127.0.0.1/tcp/${await closedPort()}/p2p/${nobody}`],
      timers: FAST_TIMERS,
    })
    const joining = peer.ready.then(
      () => 'joined',
      () => 'failed',
    )
    await peer.store.apply({
      key: new TextEncoder().encode('old'),
      position: ringIdOf('old'),
      value: new TextEncoder().encode('from before a restart'),
      version: { timestamp: 1n << 16n, writer: 1n },
    })
    const client = await createClient({
      peer: String(peer.getMultiaddrs()[0]),
      routing: 'via-peer',
    })
    try {
      await assert.rejects(client.get('old'), NotReadyError)
      await assert.rejects(client.put('new', 'v'), NotReadyError)
    } finally {
      await client.close()
    }
    assert.equal(await joining, 'failed', 'the join could not have succeeded')
  })
})
