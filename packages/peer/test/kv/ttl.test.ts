import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { timestampMillis } from '@ringdht/store'
import { createClient, InvalidInputError, MAX_TTL_MS, type RingClient } from '../../src/index.js'
import { createTestRing, type TestRing } from '../../src/testing.js'
import { replicaSetOf, text, waitFor } from '../helpers.js'

const encoder = new TextEncoder()

/**
 * TTL per key: the expiry is fixed once, from the version's time, by the member that
 * coordinates the write; every replica keeps the same moment and reads stop at it.
 */
describe('keys with a time to live', () => {
  let ring: TestRing | undefined
  let client: RingClient | undefined

  before(async () => {
    ring = await createTestRing(4, { convergeTimeoutMs: 60_000 })
    client = await createClient({ peer: String(ring.peers[1]?.getMultiaddrs()[0]) })
  })

  after(async () => {
    await client?.close()
    await ring?.stop()
  })

  it('gives every replica the same expiry, from the version time, and reads nothing after it', async () => {
    assert.ok(ring && client)
    await client.put('ttl-short', 'brief', { ttlMs: 1_500 })
    const found = await client.get('ttl-short')
    assert.equal(text(found?.value), 'brief')
    assert.ok(found?.version !== undefined && found.expiresAt !== undefined)
    assert.equal(found.expiresAt, timestampMillis(found.version.timestamp) + 1_500)
    // the copies carry the coordinator's expiry, not one of their own
    const holders = replicaSetOf(ring.peers, 'ttl-short', 3)
    await waitFor(
      () => holders.every((peer) => peer.store.getSync(encoder.encode('ttl-short')) !== undefined),
      'every replica holds the copy',
    )
    for (const peer of holders) {
      assert.equal(peer.store.getSync(encoder.encode('ttl-short'))?.expiresAt, found.expiresAt)
    }
    const expiresAt = found.expiresAt
    await waitFor(() => Date.now() > expiresAt, 'the expiry to pass', 5_000)
    assert.equal(await client.get('ttl-short'), undefined)
    assert.equal(await client.get('ttl-short', { consistency: 'one' }), undefined)
    assert.equal(await ring.peers[0]?.get('ttl-short'), undefined)
    const scanned: string[] = []
    for await (const { key } of client.scan()) scanned.push(new TextDecoder().decode(key))
    assert.ok(!scanned.includes('ttl-short'), 'an expired key is not exported')
  })

  it('drops the expiry when the key is written again without one', async () => {
    assert.ok(client)
    await client.put('ttl-then-kept', 'first', { ttlMs: 60_000 })
    assert.ok((await client.get('ttl-then-kept'))?.expiresAt !== undefined)
    await client.put('ttl-then-kept', 'second')
    const found = await client.get('ttl-then-kept')
    assert.equal(text(found?.value), 'second')
    assert.equal(found?.expiresAt, undefined)
  })

  it('refuses a TTL of 0, a negative, a fraction or beyond ten years, writing nothing', async () => {
    assert.ok(ring && client)
    const member = ring.peers[2]
    assert.ok(member)
    for (const ttlMs of [0, -5, 1.5, MAX_TTL_MS + 1, Number.NaN]) {
      await assert.rejects(client.put('ttl-bad', 'x', { ttlMs }), InvalidInputError, `${ttlMs}`)
      await assert.rejects(member.put('ttl-bad', 'x', { ttlMs }), InvalidInputError, `${ttlMs}`)
    }
    assert.equal(await client.get('ttl-bad'), undefined)
    await client.put('ttl-longest', 'x', { ttlMs: MAX_TTL_MS })
    assert.ok(((await client.get('ttl-longest'))?.expiresAt ?? 0) > Date.now())
  })
})
