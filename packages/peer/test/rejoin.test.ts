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

    // the same identity on the same address, but with no bootstrap peers: without the
    // rejoin (the seed asking members it heard of, the member asking those it remembers)
    // both would stay rings of one forever
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
    // either side may find the other first: the seed from memory of the member, the
    // member from the neighbours it remembers on disk (members.json)
    const rejoins = async (peer: RingPeer) => (await peer.status()).counters.rejoins ?? 0
    assert.ok((await rejoins(seed)) + (await rejoins(back)) > 0, 'a rejoin was counted')
    await seed.put('after', 'merge')
    assert.equal(text((await back.get('after'))?.value), 'merge')
    assert.equal(text((await back.get('kept'))?.value), 'before')
  })
})
