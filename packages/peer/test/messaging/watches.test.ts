import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { ringIdOf, SortedRing } from '@ringdht/ring'
import { logPosition } from '../../src/homes/log-keys.js'
import {
  createClient,
  InvalidInputError,
  type KeyChange,
  KeyTooLargeError,
  NotReadyError,
  QuorumNotReachedError,
  type RingClient,
  type RingPeer,
  TrimmedError,
} from '../../src/index.js'
import { createTestRing, type TestRing } from '../../src/testing.js'
import { waitFor } from '../helpers.js'

const bytes = (s: string) => new TextEncoder().encode(s)
const text = (b: Uint8Array | undefined) =>
  b === undefined ? undefined : new TextDecoder().decode(b)

/** Collects a watch's changes in the background until `stop()`. */
function record(changes: AsyncGenerator<KeyChange>, controller: AbortController) {
  const seen: KeyChange[] = []
  let failure: unknown
  const done = (async () => {
    try {
      for await (const c of changes) seen.push(c)
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

describe('key watches and topic retention on a ring of 5 (r = 3, W = 2)', () => {
  let ring: TestRing
  let client: RingClient
  let entry: RingPeer

  before(async () => {
    // watch logs keep 100 changes per key here (topics too, unless configured)
    ring = await createTestRing(5, { replicas: 3, topicRetention: { maxEntries: 100 } })
    entry = ring.peers[0] as RingPeer
    client = await createClient({ peer: String(entry.getMultiaddrs()[0]) })
  })
  after(async () => {
    await client?.close()
    await ring?.stop()
  })

  const ownerOf = (position: bigint): RingPeer => {
    const order = new SortedRing(ring.peers.map((p) => p.ringId))
    const id = order.successor(position)
    return ring.peers.find((p) => p.ringId === id) as RingPeer
  }
  const notOwner = (key: string, but: RingPeer[] = []): RingPeer =>
    ring.peers.find((p) => p !== ownerOf(ringIdOf(bytes(key))) && !but.includes(p)) as RingPeer

  it('sees puts and deletes in version order, live and replayed, as members and clients', async () => {
    const key = 'config/flags'
    await client.put(key, 'v0')
    const live = new AbortController()
    const watch = record(notOwner(key).watch(key, { signal: live.signal }), live)
    // the first fetch opens the key's watch log; puts after it are all logged
    await waitFor(async () => {
      await client.put(key, 'probe')
      return watch.seen.length > 0
    }, 'the watch to start')
    for (let i = 1; i <= 5; i++) await client.put(key, `v${i}`)
    await client.delete(key)
    await waitFor(() => watch.seen.at(-1)?.op === 'delete', 'the delete')
    await watch.stop()
    const mine = watch.seen.filter((c) => text(c.value) !== 'probe')
    assert.deepEqual(
      mine.map((c) => `${c.op} ${text(c.value) ?? ''}`),
      ['put v1', 'put v2', 'put v3', 'put v4', 'put v5', 'delete '],
    )
    for (let i = 1; i < watch.seen.length; i++) {
      const [a, b] = [watch.seen[i - 1] as KeyChange, watch.seen[i] as KeyChange]
      assert.ok(b.version.timestamp > a.version.timestamp, `change ${i} is newer than ${i - 1}`)
      assert.equal(b.seq, a.seq + 1, `change ${i} follows ${i - 1} in the log`)
    }
    // replay from a version: the changes after it, from the log
    const from = mine[2]?.version as KeyChange['version']
    const replay = new AbortController()
    const replayed = record(client.watch(key, { fromVersion: from, signal: replay.signal }), replay)
    await waitFor(() => replayed.seen.length >= 3, 'the replay')
    await replayed.stop()
    assert.deepEqual(
      replayed.seen.map((c) => text(c.value) ?? c.op),
      ['v4', 'v5', 'delete'],
    )
  })

  it('refuses bad input with clear errors', async () => {
    await assert.rejects(client.watch('k'.repeat(2000)).next(), KeyTooLargeError)
    await assert.rejects(client.watch('').next(), InvalidInputError)
    await client.put('bad-input', 'x')
    const future = client.watch('bad-input', { fromVersion: BigInt(Date.now() + 3_600_000) << 16n })
    await assert.rejects(future.next(), /in the future/)
    // a key written before anyone watched it: its change log cannot replay from the start
    await assert.rejects(
      client.watch('bad-input', { fromVersion: 1n }).next(),
      (err: unknown) => err instanceof TrimmedError,
    )
  })

  it('a watcher that stops reading holds nothing at the owner, and is told it fell behind', async () => {
    const key = 'slow-reader'
    const watch = client.watch(key, { batch: 4 })
    const first = watch.next()
    let started = false
    void first.then(() => {
      started = true
    })
    await waitFor(async () => {
      await client.put(key, 'probe')
      return started
    }, 'the watch to start')
    // the watcher holds at most one batch; the owner keeps only its log (100 changes)
    for (let i = 0; i < 150; i++) await client.put(key, `n${i}`)
    const next = async () => {
      for (;;) {
        const { value } = await watch.next()
        if (text(value?.value) !== 'probe') return value
      }
    }
    await assert.rejects(
      next(),
      (err: unknown) => err instanceof TrimmedError && err.firstRetained > 50,
    )
  })

  it('a watch sees every acknowledged put of its key while the owner is killed', async () => {
    const key = 'failover-key'
    const owner = ownerOf(ringIdOf(bytes(key)))
    const writer = notOwner(key)
    const watcher = notOwner(key, [writer])
    const stop = new AbortController()
    const watch = record(watcher.watch(key, { signal: stop.signal }), stop)
    await waitFor(async () => {
      await writer.put(key, 'probe')
      return watch.seen.length > 0
    }, 'the watch to start')
    const acked: string[] = []
    let writing = true
    const writes = (async () => {
      for (let i = 0; writing; i++) {
        try {
          await writer.put(key, `m${i}`)
          acked.push(`m${i}`)
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 20))
        }
      }
    })()
    try {
      await waitFor(() => acked.length >= 20, '20 acknowledged puts')
      await ring.crash(ring.peers.indexOf(owner))
      const before = acked.length
      await waitFor(() => acked.length >= before + 20, '20 more after the owner died', 30_000)
    } finally {
      writing = false
      await writes
    }
    const last = acked.at(-1)
    await waitFor(
      () => watch.seen.some((c) => text(c.value) === last),
      'the watch to catch up',
      30_000,
    )
    await watch.stop()
    assert.equal(watch.failure, undefined)
    const values = watch.seen.map((c) => text(c.value))
    // every acknowledged put, in the order it was acknowledged (a failed put may show too)
    let at = -1
    for (const value of acked) {
      const found = values.indexOf(value, at + 1)
      assert.ok(found > at, `${value} seen after the put before it (at ${at}, found ${found})`)
      at = found
    }
    for (let i = 1; i < watch.seen.length; i++) {
      assert.equal(watch.seen[i]?.seq, (watch.seen[i - 1]?.seq ?? 0) + 1, `no gap at ${i}`)
    }
  })

  it('keeps a topic’s own retention, on its home and on the next one', async () => {
    const topic = 'short-memory'
    // the owner the test before killed may have been the client's entry peer: then a member
    const api = ring.peers.includes(entry) ? client : (ring.peers[0] as RingPeer)
    // the topic's first home takes it over on the first request; on a busy machine a
    // replica of a ring this young may not answer the seal yet ("nothing changed"): again
    let configured: unknown
    await waitFor(
      async () => {
        try {
          configured = await api.configureTopic(topic, { retainCount: 5 })
          return true
        } catch (err) {
          if (err instanceof QuorumNotReachedError || err instanceof NotReadyError) return false
          throw err
        }
      },
      'the topic configured',
      20_000,
    )
    assert.deepEqual(configured, { retainCount: 5 })
    for (let i = 1; i <= 20; i++) await api.publish(topic, `m${i}`)
    await assert.rejects(
      api.subscribe(topic, { from: 1 }).next(),
      (err: unknown) => err instanceof TrimmedError && err.firstRetained === 16,
    )
    const kept = await api.subscribe(topic, { from: 16 }).next()
    assert.equal(text(kept.value?.message), 'm16')
    const home = ownerOf(logPosition({ space: 'topic', name: bytes(topic) }))
    await ring.crash(ring.peers.indexOf(home))
    // the client's entry peer may be the one that died: go on through a member
    const member = ring.peers[0] as RingPeer
    await waitFor(
      async () => {
        try {
          await member.publish(topic, 'after')
          return true
        } catch (err) {
          if (process.env.DEBUG_WATCH) console.log(String(err))
          return false
        }
      },
      'a publish on the next home',
      30_000,
    )
    // the new home read the setting from the topic's register: it keeps 5 too
    await assert.rejects(
      member.subscribe(topic, { from: 16 }).next(),
      (err: unknown) => err instanceof TrimmedError && err.firstRetained >= 17,
    )
    await assert.rejects(member.configureTopic(topic, { retainCount: -1 }), InvalidInputError)
  })
})
