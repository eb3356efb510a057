import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  createClient,
  InvalidInputError,
  type LeaderChange,
  type Leadership,
  type RingClient,
  type RingPeer,
} from '../../src/index.js'
import { createTestRing, type TestRing } from '../../src/testing.js'
import { waitFor } from '../helpers.js'

describe('lease-based leader election on a ring of 4 (r = 3)', () => {
  let ring: TestRing
  const clients: RingClient[] = []

  before(async () => {
    ring = await createTestRing(4, { replicas: 3 })
    for (let i = 0; i < 3; i++) {
      clients.push(await createClient({ peer: String(ring.peers[i]?.getMultiaddrs()[0]) }))
    }
  })
  after(async () => {
    await Promise.all(clients.map((c) => c.close()))
    await ring?.stop()
  })

  it('elects one leader at a time, with growing terms, and observers see every change', async () => {
    const seen: LeaderChange[] = []
    const watching = new AbortController()
    const observer = (async () => {
      for await (const change of (ring.peers[3] as RingPeer).observe('scheduler', {
        signal: watching.signal,
        intervalMs: 20,
      })) {
        seen.push(change)
      }
    })()
    await waitFor(() => seen.length > 0, 'the first observation')
    assert.deepEqual(seen[0], { leader: undefined, term: 0 })

    const candidates = clients.map((client, i) =>
      client.campaign('scheduler', { id: `candidate-${i}`, ttlMs: 2_000 }),
    )
    // exactly one wins at first; the others wait
    const first = await Promise.race(candidates)
    let leaders: Leadership[] = [first]
    await waitFor(
      () => seen.some((c) => c.leader === first.id && c.term === first.term),
      'the observer to see the first leader',
    )
    // each leader resigns in turn; the next one leads with a higher term
    for (let round = 1; round < 3; round++) {
      const previous = leaders.at(-1) as Leadership
      await previous.resign()
      assert.equal(previous.lost, true)
      const next = await Promise.race(
        candidates.map(async (c) => {
          const leadership = await c
          return leaders.includes(leadership) ? new Promise<never>(() => {}) : leadership
        }),
      )
      assert.ok(next.term > previous.term, `term ${next.term} after ${previous.term}`)
      leaders = [...leaders, next]
      await waitFor(
        () => seen.some((c) => c.leader === next.id && c.term === next.term),
        `the observer to see leader ${round + 1}`,
      )
    }
    await (leaders.at(-1) as Leadership).resign()
    await waitFor(() => seen.at(-1)?.leader === undefined, 'the observer to see no leader')
    watching.abort()
    await observer
    assert.deepEqual(
      new Set(leaders.map((l) => l.id)),
      new Set(['candidate-0', 'candidate-1', 'candidate-2']),
    )
    const terms = seen.map((c) => c.term)
    assert.deepEqual(
      terms,
      [...terms].sort((a, b) => a - b),
      'terms never go back',
    )
  })

  it('hands leadership over when a leader stops renewing its lease', async () => {
    const leader = await clients[0]?.campaign('failover', { id: 'old', ttlMs: 300 })
    assert.ok(leader !== undefined)
    const lost = new Promise<Error>((resolve) => leader.onLost(resolve))
    // a leader that stops renewing (its process paused) loses the lease by itself; simulate it
    // by a client that closed: no renewal reaches the ring any more
    await clients[0]?.close()
    const started = Date.now()
    const next = await clients[1]?.campaign('failover', { id: 'new', ttlMs: 2_000 })
    assert.ok(next !== undefined && next.term > leader.term)
    console.log(`# new leader after ${Date.now() - started} ms (lease 300 ms)`)
    await lost
    await next.resign()
  })

  it('refuses a bad observe interval', async () => {
    const iterator = (ring.peers[0] as RingPeer).observe('x', { intervalMs: 0 })
    await assert.rejects(iterator.next(), InvalidInputError)
  })
})
