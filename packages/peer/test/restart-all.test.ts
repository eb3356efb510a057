import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { NotReadyError } from '../src/errors.js'
import { createPeer, type RingPeer } from '../src/index.js'
import { FAST_TIMERS, tempDir, text, waitFor } from './helpers.js'

const KEYS = Array.from({ length: 30 }, (_, i) => `k${i}`)

// found by the fault suite (restart-all-under-load): the seed, restarted first and without
// bootstrap peers, took itself for a ring of one and answered "absent" for keys it did not
// hold, though acknowledged
describe('every member restarted', () => {
  const peers: RingPeer[] = []
  let dir: Awaited<ReturnType<typeof tempDir>> | undefined

  after(async () => {
    await Promise.allSettled(peers.map((peer) => peer.stop()))
    await dir?.remove()
  })

  it('the seed waits for the members of its last run instead of answering alone', async () => {
    dir = await tempDir()
    const dataDir = (i: number) => join(dir?.path ?? '', `member-${i}`)
    const seed = await createPeer({ dataDir: dataDir(0), timers: FAST_TIMERS })
    peers.push(seed)
    const seedAddress = String(seed.getMultiaddrs()[0])
    const others: RingPeer[] = []
    for (const i of [1, 2]) {
      const peer = await createPeer({
        dataDir: dataDir(i),
        bootstrap: [seedAddress],
        timers: FAST_TIMERS,
      })
      peers.push(peer)
      others.push(peer)
      await peer.ready
    }
    await waitFor(async () => {
      const lists = await Promise.all([seed, ...others].map((p) => p.status()))
      return lists.every((s) => s.successors.length === 2 && s.predecessor !== undefined)
    }, 'a ring of 3 that knows itself')
    for (const key of KEYS) await seed.put(key, `v-${key}`)
    const listen = [seed, ...others].map((p) =>
      String(p.getMultiaddrs()[0]).replace(/\/p2p\/.*$/, ''),
    )
    for (const peer of [seed, ...others]) await peer.crash()

    const back = await createPeer({
      dataDir: dataDir(0),
      listen: [listen[0] as string],
      timers: FAST_TIMERS,
    })
    peers.push(back)
    await back.ready
    // it holds some keys, not all; whatever it answers must not be "absent"
    for (const key of KEYS.slice(0, 10)) {
      await assert.rejects(back.get(key), NotReadyError, `${key} refused while waiting`)
    }
    for (const i of [1, 2]) {
      const peer = await createPeer({
        dataDir: dataDir(i),
        listen: [listen[i] as string],
        bootstrap: [String(back.getMultiaddrs()[0])],
        timers: FAST_TIMERS,
      })
      peers.push(peer)
      await peer.ready
    }
    await waitFor(async () => {
      for (const key of KEYS) {
        if (text((await back.get(key).catch(() => undefined))?.value) !== `v-${key}`) return false
      }
      return true
    }, 'every key readable again through the seed')
  })
})
