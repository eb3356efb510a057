import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import type { RingPeer } from '../src/index.js'
import { createTestRing, type TestRing } from '../src/testing.js'
import { replicaSetOf, text, underReplicated, waitFor } from './helpers.js'

const N = 8
const R = 3
const KEYS = 200

describe('owner cache: members send gets straight to the owner', () => {
  let ring: TestRing | undefined

  after(async () => {
    await ring?.stop()
  })

  const keys = Array.from({ length: KEYS }, (_, i) => `owner-cache-${i}`)
  const ownerOf = (key: string): RingPeer => replicaSetOf(ring?.peers ?? [], key, 1)[0] as RingPeer
  const counter = async (peer: RingPeer, name: string) => (await peer.status()).counters[name] ?? 0

  /** Every key read through `reader`: the hops each answer reports, by key. */
  async function readAll(reader: RingPeer, which = keys): Promise<Map<string, number>> {
    const hops = new Map<string, number>()
    await Promise.all(
      which.map(async (key) => {
        const found = await reader.get(key)
        assert.equal(text(found?.value), `v-${key}`, `${key} through ${reader.peerId}`)
        hops.set(key, found?.hops ?? -1)
      }),
    )
    return hops
  }

  it('warm gets from every member take one hop (none on the owner)', async () => {
    ring = await createTestRing(N, { replicas: R, convergeTimeoutMs: 60_000 })
    const peers = ring.peers
    await Promise.all(keys.map((key, i) => peers[i % N]?.put(key, `v-${key}`)))
    await waitFor(() => underReplicated(peers, keys, R).length === 0, 'full replication')
    for (const reader of peers) await readAll(reader) // warm
    let total = 0
    let gets = 0
    for (const reader of peers) {
      for (const [key, hops] of await readAll(reader)) {
        if (ownerOf(key) === reader) {
          assert.equal(hops, 0, `${key} on its owner`)
          continue
        }
        total += hops
        gets++
      }
    }
    const mean = total / gets
    assert.ok(mean <= 1.02, `warm gets from non-owners took ${mean.toFixed(3)} hops on average`)
    for (const peer of peers) {
      assert.ok((await counter(peer, 'ownerCacheHits')) > 0)
      // the traffic counters the scale run reads: every member served requests
      const served = await counter(peer, 'rpcRequestsServed')
      assert.ok(served > 0)
      assert.ok((await counter(peer, 'rpcBytesIn')) > served)
      assert.ok((await counter(peer, 'rpcBytesOut')) > served)
    }
  })

  it('after an owner leaves or crashes, its entries are dropped and every get still answers', async () => {
    if (ring === undefined) throw new Error('the ring of the first test is needed')
    const reader = ring.peers[0] as RingPeer
    // two members that own keys, other than the reader, and not next to each other
    const inRingOrder = [...ring.peers].sort((a, b) => (a.ringId < b.ringId ? -1 : 1))
    const at = (i: number) => inRingOrder[(i + N) % N] as RingPeer
    const from = inRingOrder.indexOf(reader)
    const leaving = at(from + 2)
    const crashing = at(from + 5)
    const ownedBy = (peer: RingPeer) => keys.filter((k) => ownerOf(k) === peer)
    const leavingKeys = ownedBy(leaving)
    const crashingKeys = ownedBy(crashing)
    for (const key of [...leavingKeys, ...crashingKeys]) {
      const found = await reader.get(key, { trace: true })
      assert.deepEqual(found?.path, [reader.peerId.toString(), ownerOf(key).peerId.toString()])
    }
    /** The reader's next gets of `which` pass `gone` nowhere: its entry was dropped. */
    const avoid = async (gone: RingPeer, which: string[]) => {
      for (const key of which) {
        const found = await reader.get(key, { trace: true })
        assert.equal(text(found?.value), `v-${key}`)
        assert.ok(
          !found?.path?.includes(gone.peerId.toString()),
          `${key} still went to ${gone.peerId}`,
        )
      }
    }

    ring.peers.splice(ring.peers.indexOf(leaving), 1)
    await leaving.stop()
    await readAll(reader, leavingKeys)
    await avoid(leaving, leavingKeys)

    await ring.crash(ring.peers.indexOf(crashing))
    await readAll(reader, crashingKeys)
    await avoid(crashing, crashingKeys)

    // once the ring has healed, the reader learns the new owners and goes direct again
    await ring.converged({ timeoutMs: 30_000 })
    for (const key of [...leavingKeys, ...crashingKeys]) await reader.get(key)
    for (const key of [...leavingKeys, ...crashingKeys]) {
      const found = await reader.get(key, { trace: true })
      assert.equal(text(found?.value), `v-${key}`)
      const owner = ownerOf(key)
      if (owner === reader) continue
      assert.deepEqual(found?.path, [reader.peerId.toString(), owner.peerId.toString()], key)
    }
    await readAll(reader)
  })
})
