import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { SortedRing } from '@ringdht/ring'
import { createClient } from '../src/index.js'
import { createTestRing, type TestRing } from '../src/testing.js'

const N = 8
const KEYS = 2000

describe('a ring of 8 peers bootstrapped in a chain', () => {
  let ring: TestRing | undefined

  before(async () => {
    ring = await createTestRing(N, { topology: 'chain', convergeTimeoutMs: 60_000 })
  })

  after(async () => {
    await ring?.stop()
  })

  it('every successor and predecessor matches the ring order', () => {
    assert.ok(ring)
    const order = new SortedRing(ring.peers.map((p) => p.ringId))
    assert.equal(order.size, N)
    for (const peer of ring.peers) {
      const view = peer.routingSnapshot()
      assert.equal(view.successors[0], order.nextAfter(peer.ringId), `successor of ${peer.peerId}`)
      assert.equal(
        view.predecessor,
        order.predecessor(peer.ringId),
        `predecessor of ${peer.peerId}`,
      )
      assert.ok(view.successors.length >= 3, `successor list of ${peer.peerId}`)
    }
  })

  it('2,000 keys put through random peers are readable through every other peer within ⌈log2 N⌉ + 1 hops', async () => {
    assert.ok(ring)
    const peers = ring.peers
    const maxHops = Math.ceil(Math.log2(N)) + 1
    const writers: number[] = []
    for (let start = 0; start < KEYS; start += 200) {
      await Promise.all(
        Array.from({ length: Math.min(200, KEYS - start) }, async (_, j) => {
          const i = start + j
          const writer = Math.floor(Math.random() * N)
          writers[i] = writer
          const result = await peers[writer]?.put(`key-${i}`, `value-${i}`)
          assert.ok(result, `put key-${i}`)
          assert.ok(result.hops <= maxHops, `put key-${i}: ${result.hops} hops`)
        }),
      )
    }
    let gets = 0
    let totalHops = 0
    for (let i = 0; i < KEYS; i++) {
      await Promise.all(
        peers.map(async (peer, p) => {
          if (p === writers[i]) return
          const found = await peer.get(`key-${i}`)
          assert.ok(found, `key-${i} through peer ${p}`)
          assert.equal(
            new TextDecoder().decode(found.value),
            `value-${i}`,
            `key-${i} through peer ${p}`,
          )
          assert.ok(found.hops <= maxHops, `key-${i} through peer ${p}: ${found.hops} hops`)
          gets++
          totalHops += found.hops
        }),
      )
    }
    assert.equal(gets, KEYS * (N - 1))
    console.log(`# ${gets} gets, mean hops ${(totalHops / gets).toFixed(2)}`)
    // every key lies in exactly one primary range (its owner's); copies on replicas are not counted
    const order = new SortedRing(peers.map((p) => p.ringId))
    let stored = 0
    for (const peer of peers) {
      const status = await peer.status()
      assert.equal(
        status.range.start,
        order.predecessor(peer.ringId).toString(16).padStart(16, '0'),
      )
      stored += status.keyCount
    }
    assert.equal(stored, KEYS)
  })

  it('delete removes a key for every peer; an absent key reads as undefined', async () => {
    assert.ok(ring)
    const [a, b] = ring.peers
    assert.ok(a && b)
    await a.put('to-delete', 'x')
    assert.ok(await b.get('to-delete'))
    await b.delete('to-delete')
    for (const [p, peer] of ring.peers.entries()) {
      assert.equal(await peer.get('to-delete'), undefined, `peer ${p}`)
    }
    assert.equal(await a.get('never-written'), undefined)
  })

  it('trace reports the path of peer ids', async () => {
    assert.ok(ring)
    const peer = ring.peers[0]
    assert.ok(peer)
    await peer.put('traced', 'v')
    const found = await peer.get('traced', { trace: true })
    assert.ok(found?.path)
    assert.equal(found.path.length, found.hops + 1)
    assert.equal(found.path[0], peer.peerId.toString())
  })

  it('a client can get/put/delete, walk the ring and scan it', async () => {
    assert.ok(ring)
    const client = await createClient({ peer: String(ring.peers[3]?.getMultiaddrs()[0]) })
    try {
      await client.put('from-client', 'hello')
      const found = await client.get('from-client')
      assert.equal(new TextDecoder().decode(found?.value), 'hello')
      const members = await client.ring()
      assert.equal(members.length, N)
      const order = new SortedRing(ring.peers.map((p) => p.ringId))
      const start = members[0]
      assert.ok(start)
      const expected = order
        .successors(BigInt(`0x${start.ringId}`), N)
        .map((id) => id.toString(16).padStart(16, '0'))
      assert.deepEqual(
        members.map((m) => m.ringId),
        expected,
      )
      const status = await client.status()
      assert.equal(status.peerId, ring.peers[3]?.peerId.toString())
      const keys = new Set<string>()
      for await (const { key } of client.scan({ pageSize: 100 })) {
        const text = new TextDecoder().decode(key)
        assert.ok(!keys.has(text), `${text} scanned twice`)
        keys.add(text)
      }
      assert.ok(keys.has('from-client'))
      assert.ok(keys.has('key-0') && keys.has(`key-${KEYS - 1}`))
      assert.equal(keys.has('to-delete'), false)
      await client.delete('from-client')
      assert.equal(await client.get('from-client'), undefined)
    } finally {
      await client.close()
    }
  })
})
