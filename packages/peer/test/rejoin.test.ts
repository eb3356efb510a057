import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { createPeer, type RingPeer } from '../src/index.js'
import { FAST_TIMERS, tempDir, text, waitFor } from './helpers.js'

async function successorOf(peer: RingPeer): Promise<string | undefined> {
  return (await peer.status()).successors[0]?.peerId
}

describe('a peer left alone', () => {
  const peers: RingPeer[] = []
  let dir: Awaited<ReturnType<typeof tempDir>> | undefined

  after(async () => {
    await Promise.allSettled(peers.map((peer) => peer.stop()))
    await dir?.remove()
  })

  it('finds the ring again when a member it knew comes back without bootstrap peers', async () => {
    dir = await tempDir()
    const seed = await createPeer({ timers: FAST_TIMERS })
    peers.push(seed)
    const member = await createPeer({
      dataDir: dir.path,
      bootstrap: [String(seed.getMultiaddrs()[0])],
      timers: FAST_TIMERS,
    })
    peers.push(member)
    await member.ready
    await waitFor(async () => (await successorOf(seed)) === member.peerId.toString(), 'a ring of 2')
    await seed.put('kept', 'before')

    const listen = String(member.getMultiaddrs()[0]).replace(/\/p2p\/.*$/, '')
    await member.crash()
    // alone: no successor, and no predecessor either (else stabilize would find the
    // member again through it, and nothing here would test the rejoin)
    await waitFor(async () => {
      const status = await seed.status()
      return status.successors.length === 0 && status.predecessor === undefined
    }, 'the seed to be alone')

    // the same identity on the same address, but with no bootstrap peers: on its own it
    // would stay a ring of one forever, as would the seed, which has none either
    const back = await createPeer({ dataDir: dir.path, listen: [listen], timers: FAST_TIMERS })
    peers.push(back)
    await back.ready
    assert.equal(back.peerId.toString(), member.peerId.toString())
    await waitFor(
      async () =>
        (await successorOf(seed)) === back.peerId.toString() &&
        (await successorOf(back)) === seed.peerId.toString(),
      'the two rings of one to merge',
    )
    assert.ok(((await seed.status()).counters.rejoins ?? 0) > 0, 'the seed counted its rejoin')
    await seed.put('after', 'merge')
    assert.equal(text((await back.get('after'))?.value), 'merge')
    assert.equal(text((await back.get('kept'))?.value), 'before')
  })
})
