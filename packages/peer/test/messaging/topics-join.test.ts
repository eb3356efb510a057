import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { RingPeer, TopicMessage } from '../../src/index.js'
import { createTestRing, type TestRing } from '../../src/testing.js'
import { waitFor } from '../helpers.js'

const text = (b: Uint8Array) => new TextDecoder().decode(b)

describe('a topic while members join (ring of 4 + 3, r = 3)', () => {
  let ring: TestRing

  before(async () => {
    ring = await createTestRing(4, { replicas: 3 })
  })
  after(async () => {
    await ring?.stop()
  })

  it('stays gap-free and complete for a subscriber, and a resumed subscription picks up where it left', async () => {
    const topic = 'joins'
    const publisher = ring.peers[0] as RingPeer
    const subscriber = ring.peers[1] as RingPeer
    const acked = new Map<number, string>()
    let publishing = true
    const publishes = (async () => {
      for (let i = 0; publishing; i++) {
        try {
          const { seq } = await publisher.publish(topic, `m${i}`)
          acked.set(seq, `m${i}`)
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 20))
        }
      }
    })()
    const stop = new AbortController()
    const seen: TopicMessage[] = []
    const reading = (async () => {
      for await (const m of subscriber.subscribe(topic, { from: 1, signal: stop.signal }))
        seen.push(m)
    })()
    try {
      for (let joined = 0; joined < 3; joined++) {
        const before = acked.size
        await ring.add()
        await waitFor(() => acked.size >= before + 20, `20 acknowledged after join ${joined + 1}`)
      }
    } finally {
      publishing = false
      await publishes
    }
    const last = Math.max(...acked.keys())
    await waitFor(() => (seen.at(-1)?.seq ?? 0) >= last, 'the subscriber to reach the last message')
    stop.abort()
    await reading
    assert.deepEqual(
      seen.map((m) => m.seq),
      seen.map((_, i) => i + 1),
    )
    for (const [seq, message] of acked)
      assert.equal(text(seen[seq - 1]?.message as Uint8Array), message)

    // a subscriber that went away resumes from the seq after the last one it saw
    const resumed: number[] = []
    for await (const m of (ring.peers.at(-1) as RingPeer).subscribe(topic, { from: last - 4 })) {
      resumed.push(m.seq)
      if (resumed.length === 5) break
    }
    assert.deepEqual(resumed, [last - 4, last - 3, last - 2, last - 1, last])
  })
})
