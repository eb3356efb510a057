import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { createPeer, type RingPeer } from '../src/index.js'
import { createTestRing, type TestRing, waitForConvergence } from '../src/testing.js'
import { FAST_TIMERS, tempDir, text, waitFor } from './helpers.js'

describe('restarting a peer with the same dataDir', () => {
  let ring: TestRing | undefined
  let peer: RingPeer | undefined
  let dir: Awaited<ReturnType<typeof tempDir>> | undefined

  after(async () => {
    await peer?.stop()
    await ring?.stop()
    await dir?.remove()
  })

  it('comes back with the same peer id and the same keys', async () => {
    dir = await tempDir()
    ring = await createTestRing(3)
    const bootstrap = [String(ring.peers[0]?.getMultiaddrs()[0])]
    peer = await createPeer({ bootstrap, dataDir: dir.path, timers: FAST_TIMERS, idDifficulty: 0 })
    await peer.ready
    const all = (): RingPeer[] => [...(ring?.peers ?? []), ...(peer ? [peer] : [])]
    await waitFor(async () => (await peer?.status())?.predecessor !== undefined, 'a predecessor')
    for (let i = 0; i < 300; i++) await ring.peers[i % 3]?.put(`r${i}`, `v${i}`)

    const keysBefore: string[] = []
    for await (const record of peer.store.range(peer.ringId, peer.ringId)) {
      keysBefore.push(new TextDecoder().decode(record.key))
    }
    assert.ok(keysBefore.length > 0, 'the persistent peer holds some keys (test would be vacuous)')
    const idBefore = peer.peerId.toString()
    await peer.stop()
    peer = undefined

    peer = await createPeer({ bootstrap, dataDir: dir.path, timers: FAST_TIMERS, idDifficulty: 0 })
    assert.equal(peer.peerId.toString(), idBefore)
    const keysAfter: string[] = []
    for await (const record of peer.store.range(peer.ringId, peer.ringId)) {
      keysAfter.push(new TextDecoder().decode(record.key))
    }
    // replica copies and repairs may land after the snapshot: every key seen before is kept
    const kept = new Set(keysAfter)
    for (const key of keysBefore) assert.ok(kept.has(key), `${key} kept across the restart`)
    await peer.ready
    await waitForConvergence(all(), 30_000, false)
    // for up to refuteTtlMs (2 s) after the restart, a replica that asked the ring about
    // the returning member while it was away still refuses its replica reads
    // (QuorumNotReached): wait for the first read to go through, then check every key
    await waitFor(async () => {
      for (let i = 0; i < 300; i++) {
        if ((await peer?.get(`r${i}`).catch(() => undefined)) === undefined) return false
      }
      return true
    }, 'the restarted peer reads every key again')
    for (let i = 0; i < 300; i++) {
      for (const [p, member] of all().entries()) {
        const found = await member.get(`r${i}`)
        assert.equal(text(found?.value), `v${i}`, `r${i} through peer ${p}`)
      }
    }
  })
})
