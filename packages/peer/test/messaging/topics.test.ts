import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { SortedRing } from '@ringdht/ring'
import { logPosition } from '../../src/homes/log-keys.js'
import {
  createClient,
  InvalidInputError,
  KeyTooLargeError,
  type RingClient,
  type RingPeer,
  type TopicMessage,
  TrimmedError,
  ValueTooLargeError,
} from '../../src/index.js'
import { createTestRing, type TestRing } from '../../src/testing.js'
import { waitFor } from '../helpers.js'

const bytes = (s: string) => new TextEncoder().encode(s)
const text = (b: Uint8Array) => new TextDecoder().decode(b)

/** Collects a subscription's messages in the background until `stop()`. */
function record(messages: AsyncGenerator<TopicMessage>, controller: AbortController) {
  const seen: TopicMessage[] = []
  let failure: unknown
  const done = (async () => {
    try {
      for await (const m of messages) seen.push(m)
    } catch (err) {
      failure = err
    }
  })()
  return {
    seen,
    get failure() {
      return failure
    },
    async stop() {
      controller.abort()
      await done
    },
  }
}

describe('topics on a ring of 5 (r = 3, W = 2)', () => {
  let ring: TestRing
  let client: RingClient

  before(async () => {
    ring = await createTestRing(5, { replicas: 3, topicRetention: { maxEntries: 50 } })
    client = await createClient({ peer: String(ring.peers[0]?.getMultiaddrs()[0]) })
  })
  after(async () => {
    await client?.close()
    await ring?.stop()
  })

  const homeOf = (topic: string): RingPeer => {
    const order = new SortedRing(ring.peers.map((p) => p.ringId))
    const id = order.successor(logPosition({ space: 'topic', name: bytes(topic) }))
    return ring.peers.find((p) => p.ringId === id) as RingPeer
  }
  const notHome = (topic: string, but: RingPeer[] = []): RingPeer =>
    ring.peers.find((p) => p !== homeOf(topic) && !but.includes(p)) as RingPeer

  it('delivers live and replayed messages in order, to members and clients', async () => {
    const topic = 'prices'
    const member = notHome(topic)
    // a subscription from 1 on an empty topic waits at its end for the first message
    const live = new AbortController()
    const fromOne = record(member.subscribe(topic, { from: 1, signal: live.signal }), live)
    for (let i = 1; i <= 5; i++) {
      assert.deepEqual(await client.publish(topic, `p${i}`), { seq: i })
    }
    await waitFor(() => fromOne.seen.length === 5, 'the live subscriber to see 5 messages')
    await fromOne.stop()
    assert.deepEqual(
      fromOne.seen.map((m) => [m.seq, text(m.message)]),
      [1, 2, 3, 4, 5].map((i) => [i, `p${i}`]),
    )
    // without `from`, only what is published after the subscription started
    const now = new AbortController()
    const fromNow = record(client.subscribe(topic, { signal: now.signal }), now)
    for (let i = 6; fromNow.seen.length < 3; i++) {
      await client.publish(topic, `p${i}`)
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    await fromNow.stop()
    const seqs = fromNow.seen.map((m) => m.seq)
    assert.ok((seqs[0] ?? 0) > 5, `the first live message is new (${seqs[0]})`)
    assert.deepEqual(
      seqs,
      seqs.map((_, i) => (seqs[0] ?? 0) + i),
    )
    const replay = new AbortController()
    const fromThree = record(client.subscribe(topic, { from: 3, signal: replay.signal }), replay)
    await waitFor(() => fromThree.seen.length >= 3, 'the replay from 3')
    await fromThree.stop()
    assert.deepEqual(
      fromThree.seen.slice(0, 3).map((m) => m.seq),
      [3, 4, 5],
    )
    assert.ok((fromThree.seen[0]?.publishedAt ?? 0) > Date.now() - 60_000)
  })

  it('refuses bad input with clear errors and changes nothing', async () => {
    await client.publish('bounded', 'one')
    await assert.rejects(client.publish('x'.repeat(300), 'm'), KeyTooLargeError)
    await assert.rejects(client.publish('', 'm'), InvalidInputError)
    await assert.rejects(
      client.publish('bounded', new Uint8Array(1024 * 1024 + 1)),
      ValueTooLargeError,
    )
    const future = client.subscribe('bounded', { from: 5 })
    await assert.rejects(future.next(), /in the future/)
    // retention keeps 50: after 120 more, reading from 1 is below what is retained
    for (let i = 0; i < 120; i++) await ring.peers[1]?.publish('bounded', `m${i}`)
    const old = client.subscribe('bounded', { from: 1 })
    await assert.rejects(
      old.next(),
      (err: unknown) => err instanceof TrimmedError && err.firstRetained > 1,
    )
  })

  it('a subscriber sees every acknowledged message in order while the home is killed', async () => {
    const topic = 'failover'
    const home = homeOf(topic)
    const publisher = notHome(topic)
    const subscriber = notHome(topic, [publisher])
    await publisher.publish(topic, 'first')
    const stop = new AbortController()
    const sub = record(subscriber.subscribe(topic, { from: 1, signal: stop.signal }), stop)
    const acked = new Map<number, string>()
    let publishing = true
    const publishes = (async () => {
      acked.set(1, 'first')
      for (let i = 0; publishing; i++) {
        try {
          const { seq } = await publisher.publish(topic, `m${i}`)
          acked.set(seq, `m${i}`)
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 20))
        }
      }
    })()
    try {
      await waitFor(() => acked.size >= 30, '30 acknowledged messages')
      await ring.crash(ring.peers.indexOf(home))
      const before = acked.size
      await waitFor(
        () => acked.size >= before + 30,
        '30 more acknowledged after the home died',
        30_000,
      )
    } finally {
      publishing = false
      await publishes
    }
    const last = Math.max(...acked.keys())
    await waitFor(() => (sub.seen.at(-1)?.seq ?? 0) >= last, 'the subscriber to catch up', 30_000)
    await sub.stop()
    assert.equal(sub.failure, undefined)
    // no gap, no reorder, no acknowledged message missing or changed
    assert.deepEqual(
      sub.seen.map((m) => m.seq),
      sub.seen.map((_, i) => i + 1),
    )
    for (const [seq, message] of acked)
      assert.equal(text(sub.seen[seq - 1]?.message ?? new Uint8Array()), message)
  })
})
