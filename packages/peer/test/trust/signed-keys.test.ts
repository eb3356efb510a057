import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { ringIdOf } from '@ringdht/ring'
import {
  createClient,
  InvalidInputError,
  type RingClient,
  type RingPeer,
  signedKey,
} from '../../src/index.js'
import { openSigned, sealSigned } from '../../src/kv/signed-keys.js'
import { createTestRing, type TestRing } from '../../src/testing.js'
import { text } from '../helpers.js'

describe('signed keys (BEP 44 style)', () => {
  let ring: TestRing
  let client: RingClient
  let owner: PrivateKey
  let other: PrivateKey

  before(async () => {
    ring = await createTestRing(4)
    client = await createClient({ peer: String(ring.peers[2]?.getMultiaddrs()[0]) })
    owner = await generateKeyPair('Ed25519')
    other = await generateKeyPair('Ed25519')
  })
  after(async () => {
    await client?.close()
    await ring?.stop()
  })

  it('stores what the owner signs, in sequence, and anyone reads it verified', async () => {
    const first = await (ring.peers[0] as RingPeer).putSigned(owner, 'profile', 'v1')
    assert.equal(first.seq, 1n)
    const ownerId = peerIdFromPrivateKey(owner).toString()
    const read = await client.getSigned(ownerId, 'profile')
    assert.equal(text(read?.value), 'v1')
    assert.equal(read?.seq, 1n)
    const second = await client.putSigned(owner, 'profile', 'v2')
    assert.equal(second.seq, 2n)
    assert.equal(text((await ring.peers[3]?.getSigned(owner.publicKey, 'profile'))?.value), 'v2')
  })

  it('refuses values not signed by the owner, replays of older sequence numbers and deletes', async () => {
    const key = signedKey(owner.publicKey, 'profile')
    const forged = await sealSigned(other, key, new TextEncoder().encode('forged'), 99n)
    await assert.rejects(client.put(key, forged), InvalidInputError)
    const stale = await sealSigned(owner, key, new TextEncoder().encode('old'), 1n)
    await assert.rejects(client.put(key, stale), /not above the stored/)
    await assert.rejects(client.delete(key), /never deleted/)
    await assert.rejects(
      client.putSigned(owner, 'profile', 'explicit', { seq: 2n }),
      /not above the stored/,
    )
    assert.equal(text((await client.getSigned(owner.publicKey, 'profile'))?.value), 'v2')
  })

  it('lets a lying member withhold a value, never forge one: readers discard it', async () => {
    const key = signedKey(owner.publicKey, 'lied-about')
    await client.putSigned(owner, 'lied-about', 'true value')
    // a member that does not play by the rules writes a forgery straight into its store
    const forged = await sealSigned(other, key, new TextEncoder().encode('forged'), 1_000n)
    for (const peer of ring.peers) {
      const held = peer.store.getSync(key)
      if (held === undefined) continue
      await peer.store.apply({
        key,
        position: ringIdOf(key),
        value: forged,
        version: { timestamp: held.version.timestamp + 1n, writer: 1n },
      })
    }
    assert.equal(await openSigned(key, forged), undefined)
    assert.equal(await client.getSigned(owner.publicKey, 'lied-about'), undefined)
    assert.equal(await ring.peers[1]?.getSigned(owner.publicKey, 'lied-about'), undefined)
  })
})
