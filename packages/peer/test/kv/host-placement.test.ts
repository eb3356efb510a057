import assert from 'node:assert/strict'
import { describe, it, type TestContext } from 'node:test'
import { ringIdOf, SortedRing } from '@ringdht/ring'
import { hostOf, placeReplicas } from '../../src/core/replica-placement.js'
import type { RingPeer } from '../../src/index.js'
import { createTestRing, type TestRing, type TestRingInit } from '../../src/testing.js'
import { inBatches, text, waitFor } from '../helpers.js'

const R = 3
const KEYS = 300
/** Six members on three loopback "hosts", two each (Linux routes 127.0.0.0/8 to lo). */
const HOSTS = ['127.0.0.2', '127.0.0.3', '127.0.0.4']
const encoder = new TextEncoder()

const hostOfPeer = (peer: RingPeer): string =>
  hostOf({ key: peer.peerId.toString(), multiaddrs: peer.getMultiaddrs() })

/** The members that hold `key` now (a live copy in their store). */
function holdersOf(peers: readonly RingPeer[], key: string): RingPeer[] {
  const bytes = encoder.encode(key)
  return peers.filter((p) => p.store.getSync(bytes)?.value !== undefined)
}

/** The replica set the ring should place `key` on: its owner and `placeReplicas` after it. */
function expectedHolders(peers: readonly RingPeer[], key: string): RingPeer[] {
  const order = new SortedRing(peers.map((p) => p.ringId))
  const ids = order.successors(ringIdOf(encoder.encode(key)), peers.length)
  const [owner, ...after] = ids.map((id) => peers.find((p) => p.ringId === id) as RingPeer)
  const node = (p: RingPeer) => ({ key: p.peerId.toString(), peer: p, host: hostOfPeer(p) })
  const placed = placeReplicas(node(owner as RingPeer), after.map(node), R, (n) => n.host)
  return [owner as RingPeer, ...placed.map((n) => n.peer)]
}

const sameMembers = (a: readonly RingPeer[], b: readonly RingPeer[]): boolean =>
  a.length === b.length && a.every((p) => b.includes(p))

/**
 * Six members on the three hosts, converged, and each with every other member in its
 * successor list (convergence only checks the first): placement then sees the whole ring.
 */
async function ringOnHosts(t: TestContext, extra: TestRingInit = {}): Promise<TestRing> {
  const ring = await createTestRing(6, {
    replicas: R,
    teardown: (stop) => t.after(stop),
    perPeer: (i) => ({ listen: [`/ip4/${HOSTS[i % HOSTS.length]}/tcp/0`] }),
    ...extra,
  })
  await waitFor(
    () => ring.peers.every((p) => new Set(p.routingSnapshot().successors).size === 5),
    'full successor lists',
  )
  return ring
}

describe('host-aware replica placement, 6 members on 3 hosts, r = 3', () => {
  it('puts every key on 3 hosts, and loses no acknowledged key when a whole host dies', async (t) => {
    const ring = await ringOnHosts(t)
    const peers = ring.peers
    assert.deepEqual(new Set(peers.map(hostOfPeer)), new Set(HOSTS.map((h) => `ip:${h}`)))

    const keys = Array.from({ length: KEYS }, (_, i) => `host-key-${i}`)
    await inBatches(KEYS, 50, async (i) => {
      const writer = peers[i % peers.length] as RingPeer
      const result = await writer.put(keys[i] as string, `v-${i}`)
      assert.ok((result.replicas ?? 0) >= 2, `${keys[i]} acknowledged by ${result.replicas}`)
    })

    // the copies still in flight after the acknowledgement land on the placed set
    const misplaced = () =>
      keys.filter((k) => !sameMembers(holdersOf(peers, k), expectedHolders(peers, k)))
    await waitFor(() => misplaced().length === 0, `keys on their placed holders: ${misplaced()}`)
    let skippedNearer = 0
    for (const key of keys) {
      const holders = holdersOf(peers, key)
      assert.equal(new Set(holders.map(hostOfPeer)).size, R, `${key} on ${R} distinct hosts`)
      const order = new SortedRing(peers.map((p) => p.ringId))
      const firstR = order.successors(ringIdOf(encoder.encode(key)), R)
      if (!holders.every((h) => firstR.includes(h.ringId))) skippedNearer++
    }
    console.log(`# ${skippedNearer} of ${KEYS} keys placed past their owner's first 2 successors`)

    // the stray pass looks at ranges owned past the r-th predecessor, where placement put
    // some copies: after it had the stable ring it waits for, they are all still there
    const passes = async () => Promise.all(peers.map(async (p) => (await p.status()).counters))
    const start = (await passes()).map((c) => c.antiEntropyPasses ?? 0)
    await waitFor(
      async () =>
        (await passes()).every((c, i) => (c.antiEntropyPasses ?? 0) >= (start[i] ?? 0) + 4),
      'four more anti-entropy (and stray) passes on every member',
      30_000,
    )
    assert.deepEqual(misplaced(), [], 'no host-aware copy dropped as a stray')

    // kill both members of one host at once, as a machine failing would
    const host = `ip:${HOSTS[0]}`
    for (let i = ring.peers.length - 1; i >= 0; i--) {
      if (hostOfPeer(ring.peers[i] as RingPeer) === host) await ring.crash(i)
    }
    const survivors = ring.peers
    assert.equal(survivors.length, 4)
    // before any repair: every key still has 2 copies on the surviving hosts
    for (const key of keys) assert.equal(holdersOf(survivors, key).length, R - 1, key)

    await ring.converged({ timeoutMs: 30_000, fingers: false })
    await inBatches(KEYS, 25, async (i) => {
      const key = keys[i] as string
      for (const peer of survivors) {
        assert.equal(text((await peer.get(key))?.value), `v-${i}`, `${key} through ${peer.peerId}`)
      }
    })
  })

  it('a member leaving hands its copies to the members placement picks next', async (t) => {
    // anti-entropy out of the way: only the leave's hand-off may place the copies
    const ring = await ringOnHosts(t, { timers: { antiEntropyMs: 600_000 } })
    const peers = ring.peers
    const keys = Array.from({ length: KEYS }, (_, i) => `leave-host-${i}`)
    await inBatches(KEYS, 50, async (i) => {
      await (peers[i % peers.length] as RingPeer).put(keys[i] as string, `v-${i}`)
    })
    const misplaced = () =>
      keys.filter((k) => !sameMembers(holdersOf(peers, k), expectedHolders(peers, k)))
    await waitFor(() => misplaced().length === 0, `keys on their placed holders: ${misplaced()}`)

    const leaving = peers[2] as RingPeer
    await leaving.stop()
    peers.splice(peers.indexOf(leaving), 1)
    // every key on the members the ring without it places it on (they may hold more)
    const missing = keys.filter((k) =>
      expectedHolders(peers, k).some((h) => !holdersOf(peers, k).includes(h)),
    )
    assert.deepEqual(missing, [], 'keys not on their new placement right after the leave')
    for (const key of keys) {
      const hosts = new Set(expectedHolders(peers, key).map(hostOfPeer))
      assert.equal(hosts.size, R, `${key}: 5 members on 3 hosts still give 3 hosts`)
    }
  })
})
