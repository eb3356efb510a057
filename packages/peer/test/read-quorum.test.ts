import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ringIdOf } from '@ringdht/ring'
import { createTestRing } from '../src/testing.js'
import { replicaSetOf, text, waitFor } from './helpers.js'

const R = 3
const encoder = new TextEncoder()

// issue 17, cause 1: an owner back from a pause or a partition answered from its own
// store alone and returned what it held before (stale) or nothing (absent)
describe('quorum reads', () => {
  it('see a write the owner missed, repair the owner, and one-copy reads stay available', async (t) => {
    const ring = await createTestRing(5, { replicas: R, teardown: (stop) => t.after(stop) })
    const keys = Array.from({ length: 20 }, (_, i) => `missed-${i}`)
    for (const key of keys) await ring.peers[0]?.put(key, 'before')
    await waitFor(
      () =>
        keys.every((key) =>
          replicaSetOf(ring.peers, key, R).every(
            (p) => p.store.getSync(encoder.encode(key)) !== undefined,
          ),
        ),
      'every copy',
    )
    // the owner's replicas took a newer write (or a delete) while the owner was away
    for (const [i, key] of keys.entries()) {
      const [owner, ...replicas] = replicaSetOf(ring.peers, key, R)
      const held = owner?.store.getSync(encoder.encode(key))
      assert.ok(held, key)
      const newer = {
        key: encoder.encode(key),
        position: ringIdOf(encoder.encode(key)),
        value: i % 2 === 0 ? encoder.encode('after') : undefined,
        version: { timestamp: held.version.timestamp + (1n << 16n), writer: held.version.writer },
      }
      for (const replica of replicas) await replica.store.apply(newer)
    }
    for (const [i, key] of keys.entries()) {
      for (const [p, peer] of ring.peers.entries()) {
        const found = await peer.get(key)
        assert.equal(text(found?.value), i % 2 === 0 ? 'after' : undefined, `${key} via peer ${p}`)
      }
    }
    // read repair brought each owner up to date
    await waitFor(
      () =>
        keys.every((key, i) => {
          const owner = replicaSetOf(ring.peers, key, R)[0]
          const value = owner?.store.getSync(encoder.encode(key))?.value
          return text(value) === (i % 2 === 0 ? 'after' : undefined)
        }),
      'owners repaired',
    )
    const one = await ring.peers[1]?.get(keys[0] as string, { consistency: 'one' })
    assert.equal(text(one?.value), 'after')
  })
})
