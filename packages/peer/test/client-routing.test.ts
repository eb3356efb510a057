import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createClient, type GetResult, type RingClient, type RingPeer } from '../src/index.js'
import { createTestRing, type TestRing } from '../src/testing.js'
import { replicaSetOf, text, waitFor } from './helpers.js'

const N = 8
const KEYS = 200

const keyOf = (i: number): string => `direct-${i}`
const expectedValue = (i: number): string => `value-${i}`

/** The peer that owns `key` in the current ring. */
function ownerOf(peers: readonly RingPeer[], key: string): RingPeer {
  return replicaSetOf(peers, key, 1)[0] as RingPeer
}

describe('a direct-routing client', () => {
  let ring: TestRing | undefined
  let client: RingClient | undefined

  before(async () => {
    ring = await createTestRing(N, { convergeTimeoutMs: 60_000 })
    const first = ring.peers[0] as RingPeer
    for (let i = 0; i < KEYS; i++) await first.put(keyOf(i), expectedValue(i))
    // dial a member that owns few of the keys, so "hops 0" cannot come from the dialled peer
    client = await createClient({ peer: String(ring.peers[5]?.getMultiaddrs()[0]) })
  })

  after(async () => {
    await client?.close()
    await ring?.stop()
  })

  it('learns every member and gets every key from its owner in one request', async () => {
    assert.ok(ring && client)
    // the walk follows successor pointers: on a busy machine stabilize may not have linked
    // the last joiner in yet (a walk of 7 of 8 was seen at load 15)
    await waitFor(
      async () => (await client?.refreshRouting()) === N,
      'a walk of every member',
      20_000,
    )
    const dialled = ring.peers[5]?.peerId.toString()
    let servedElsewhere = 0
    for (let i = 0; i < KEYS; i++) {
      const found: GetResult | undefined = await client.get(keyOf(i), { trace: true })
      assert.equal(text(found?.value), expectedValue(i), `value of ${keyOf(i)}`)
      assert.equal(found?.hops, 0, `hops of ${keyOf(i)}`)
      const owner: string = ownerOf(ring.peers, keyOf(i)).peerId.toString()
      assert.deepEqual(found?.path, [owner], `path of ${keyOf(i)}`)
      if (owner !== dialled) servedElsewhere++
    }
    assert.ok(servedElsewhere > KEYS / 2, `only ${servedElsewhere} keys were owned elsewhere`)
    const written = await client.put('direct-new', 'fresh', { trace: true })
    assert.equal(written.hops, 0)
    assert.equal(written.replicas, 2)
    assert.equal(text((await ring.peers[0]?.get('direct-new'))?.value), 'fresh')
  })

  it('a via-peer client routes through the dialled member', async () => {
    assert.ok(ring)
    const viaPeer = await createClient({
      peer: String(ring.peers[5]?.getMultiaddrs()[0]),
      routing: 'via-peer',
    })
    try {
      assert.equal(await viaPeer.refreshRouting(), 0)
      let forwards = 0
      for (let i = 0; i < 40; i++) {
        const found = await viaPeer.get(keyOf(i))
        assert.equal(text(found?.value), expectedValue(i), `value of ${keyOf(i)}`)
        forwards += found?.hops ?? 0
      }
      assert.ok(forwards > 0, 'no get was forwarded')
    } finally {
      await viaPeer.close()
    }
  })

  it('still answers when a new peer takes over a range, then learns it', async () => {
    assert.ok(ring && client)
    const joined = await ring.add()
    await ring.converged({ timeoutMs: 60_000 })
    await joined.handOverDone()
    const moved = [...Array(KEYS).keys()]
      .filter((i) => ownerOf(ring?.peers ?? [], keyOf(i)) === joined)
      .map((i) => ({ key: keyOf(i), value: expectedValue(i) }))
    // positions are random: a newcomer may take over a range that none of the KEYS fall
    // in; then write a few that do (through a member: the client still has the old view)
    for (let j = 0; moved.length < 3 && j < 1_000_000; j++) {
      const key = `direct-late-${j}`
      if (ownerOf(ring.peers, key) !== joined) continue
      await ring.peers[0]?.put(key, `late-${j}`)
      moved.push({ key, value: `late-${j}` })
    }
    assert.ok(moved.length > 0, 'no key falls in the new peer’s range')
    // the client's view is stale: it sends these to the old owner, which hands them back
    for (const { key, value } of moved) {
      const found: GetResult | undefined = await client.get(key, { trace: true })
      assert.equal(text(found?.value), value, `value of ${key} after the join`)
      assert.equal(found?.path?.at(-1), joined.peerId.toString(), `owner of ${key}`)
    }
    // successor lists take a few stabilize rounds to all name the new peer
    await waitFor(async () => (await client?.refreshRouting()) === N + 1, 'a view of N + 1 members')
    for (const { key } of moved) {
      const found: GetResult | undefined = await client.get(key)
      assert.equal(found?.hops, 0, `hops of ${key} after the refresh`)
    }
  })

  it('still answers every key after the owner of some is killed', async () => {
    assert.ok(ring && client)
    await client.refreshRouting()
    // neither the first peer nor the dialled member (5): the one of the others that owns
    // the most keys (positions are random, so a fixed index may own none)
    const ownedBy = (peer: RingPeer) =>
      [...Array(KEYS).keys()].filter((i) => ownerOf(ring?.peers ?? [], keyOf(i)) === peer)
    const victimIndex = [1, 2, 3, 4].reduce((best, i) =>
      ownedBy(ring?.peers[i] as RingPeer).length > ownedBy(ring?.peers[best] as RingPeer).length
        ? i
        : best,
    )
    const victim = ring.peers[victimIndex] as RingPeer
    const orphaned = ownedBy(victim)
    assert.ok(orphaned.length > 0, 'the killed peer owned no key')
    await ring.crash(victimIndex)
    // before the ring repairs: an export still holds every key once (the dead peer's
    // range comes from its successor's replicas)
    const scanned = new Map<string, number>()
    for await (const { key } of client.scan({ pageSize: 50 })) {
      const name = new TextDecoder().decode(key)
      scanned.set(name, (scanned.get(name) ?? 0) + 1)
    }
    for (let i = 0; i < KEYS; i++) {
      assert.equal(scanned.get(keyOf(i)), 1, `${keyOf(i)} in the export right after the kill`)
    }
    // the client still believes the dead peer owns these: it must fall back
    for (const i of orphaned) {
      const found: GetResult | undefined = await client.get(keyOf(i))
      assert.equal(text(found?.value), expectedValue(i), `value of ${keyOf(i)} after the kill`)
    }
    for (let i = 0; i < KEYS; i += 7) {
      const found: GetResult | undefined = await client.get(keyOf(i))
      assert.equal(text(found?.value), expectedValue(i), `value of ${keyOf(i)}`)
    }
  })
})
