import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { SortedRing } from '@ringdht/ring'
import { FencedError } from '../../src/errors.js'
import type { HomeLog } from '../../src/homes/home-log.js'
import { type LogId, logKey, logPosition } from '../../src/homes/log-keys.js'
import type { RingPeer } from '../../src/index.js'
import { createTestRing, type TestRing } from '../../src/testing.js'
import { waitFor } from '../helpers.js'

const R = 3
const bytes = (s: string) => new TextEncoder().encode(s)
const texts = (entries: readonly { data: Uint8Array }[]) =>
  entries.map((e) => new TextDecoder().decode(e.data))

describe('home logs on a ring of 5 (r = 3, W = 2)', () => {
  let ring: TestRing

  before(async () => {
    ring = await createTestRing(5, { replicas: R })
  })
  after(async () => {
    await ring?.stop()
  })

  /** The log's home and its replica set, in ring order. */
  const setOf = (id: LogId): RingPeer[] => {
    const order = new SortedRing(ring.peers.map((p) => p.ringId))
    return order
      .successors(logPosition(id), R)
      .map((ringId) => ring.peers.find((p) => p.ringId === ringId) as RingPeer)
  }

  it('appends gap-free seqs, acknowledged once a write quorum holds them, kept in the replicas’ tables', async () => {
    const id = { space: 'topic', name: bytes('orders') }
    const [home, ...replicas] = setOf(id)
    const log = await (home as RingPeer).homeLogs.open(id.space, id.name)
    assert.equal(log.epoch, 1)
    const seqs: number[] = []
    for (let i = 1; i <= 20; i++) seqs.push((await log.append([bytes(`m${i}`)])).seq)
    assert.deepEqual(
      seqs,
      Array.from({ length: 20 }, (_, i) => i + 1),
    )
    const batch = await log.append([bytes('b1'), bytes('b2')])
    assert.deepEqual(batch, { seq: 21, last: 22 })
    assert.deepEqual(texts(log.read(19, 10)), ['m19', 'm20', 'b1', 'b2'])
    const key = logKey(id)
    await waitFor(
      () => replicas.every((p) => p.homeLogs.replicas.state(key).lastSeq === 22),
      'every replica to hold the log',
    )
    // another space with the same name is another log
    const queue = await setOf({ space: 'queue', name: id.name })[0]?.homeLogs.open('queue', id.name)
    assert.equal((await (queue as HomeLog).append([bytes('q')])).seq, 1)
  })

  it('fences an old home: once a newer epoch sealed a quorum, its appends are refused', async () => {
    const id = { space: 'topic', name: bytes('fenced') }
    const [home, ...replicas] = setOf(id)
    const log = await (home as RingPeer).homeLogs.open(id.space, id.name)
    await log.append([bytes('before')])
    // a newer home's seal reaches the two other replicas (the old home does not hear of it)
    for (const replica of replicas) await replica.homeLogs.replicas.seal(logKey(id), log.epoch + 1)
    await assert.rejects(log.append([bytes('after')]), FencedError)
    assert.equal(log.lost.aborted, true)
    for (const replica of replicas) {
      assert.equal(replica.homeLogs.replicas.state(logKey(id)).lastSeq, 1)
    }
  })

  it('fails over: the next home continues the seqs without a gap and keeps every acknowledged entry', async () => {
    const id = { space: 'topic', name: bytes('failover') }
    const [home, next] = setOf(id) as [RingPeer, RingPeer]
    const log = await home.homeLogs.open(id.space, id.name)
    for (let i = 1; i <= 10; i++) await log.append([bytes(`m${i}`)])
    await ring.crash(ring.peers.indexOf(home))
    await waitFor(async () => {
      try {
        await next.homeLogs.open(id.space, id.name)
        return true
      } catch {
        return false
      }
    }, 'the next member to take the log over')
    const taken = await next.homeLogs.open(id.space, id.name)
    assert.ok(taken.epoch > log.epoch, `epoch ${taken.epoch} after ${log.epoch}`)
    assert.equal(taken.lastSeq, 10)
    for (let i = 11; i <= 15; i++) assert.equal((await taken.append([bytes(`m${i}`)])).seq, i)
    assert.deepEqual(
      texts(taken.read(1, 100)),
      Array.from({ length: 15 }, (_, i) => `m${i + 1}`),
    )
  })
})
