import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  createClient,
  FencedError,
  InvalidInputError,
  LockNotHeldError,
  type RingClient,
  type RingPeer,
} from '../../src/index.js'
import { createTestRing, type TestRing } from '../../src/testing.js'
import { text, waitFor } from '../helpers.js'

describe('locks with fencing tokens on a ring of 4 (r = 3)', () => {
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

  const peer = (i: number) => ring.peers[i] as RingPeer

  it('grants one holder at a time, with a token that grows with every grant', async () => {
    const grants: number[] = []
    let inside = 0
    let most = 0
    const contender = async (client: RingClient) => {
      for (let i = 0; i < 4; i++) {
        const lock = await client.lock('mutex', { ttlMs: 5_000 })
        inside++
        most = Math.max(most, inside)
        grants.push(lock.token)
        await new Promise((resolve) => setImmediate(resolve))
        inside--
        await lock.unlock()
      }
    }
    await Promise.all(clients.map(contender))
    assert.equal(most, 1, 'never two holders at once')
    assert.equal(grants.length, 12)
    for (let i = 1; i < grants.length; i++) {
      assert.ok((grants[i] as number) > (grants[i - 1] as number), `tokens ${grants.join(', ')}`)
    }
    const state = await peer(3).coordination.lockState('mutex')
    assert.equal(state.holder, undefined)
    assert.equal(state.token, grants.at(-1))
  })

  it('refuses a second holder without waiting, and a renewal or unlock by a former holder', async () => {
    const first = await clients[0]?.lock('lease', { ttlMs: 300, autoRenew: false })
    assert.ok(first !== undefined)
    await assert.rejects(
      clients[1]?.lock('lease', { ttlMs: 300, wait: false }) as Promise<unknown>,
      LockNotHeldError,
    )
    const lost = new Promise<Error>((resolve) => first.onLost(resolve))
    // the lease runs out without a renewal: another holder gets a higher token
    const second = await clients[1]?.lock('lease', { ttlMs: 5_000 })
    assert.ok(second !== undefined && second.token > first.token)
    assert.ok((await lost) instanceof LockNotHeldError)
    assert.equal(first.lost, true)
    await assert.rejects(first.renew(), LockNotHeldError)
    await assert.rejects(first.unlock(), LockNotHeldError)
    // the refused unlock left the lock with its holder
    const state = await peer(0).coordination.lockState('lease')
    assert.equal(state.holder, second.holder)
    assert.equal(state.token, second.token)
    await second.unlock()
  })

  it('refuses a write fenced with a token older than one the key has seen', async () => {
    const old = await peer(1).lock('fence-lock', { ttlMs: 200, autoRenew: false })
    assert.equal(
      (await peer(1).cas('fenced', undefined, 'a', { fence: old.token })).succeeded,
      true,
    )
    // the old holder pauses past its lease; a new holder writes with its newer token
    await waitFor(
      async () => (await peer(2).coordination.lockState('fence-lock')).holder === undefined,
      'the lease to run out',
    )
    const fresh = await clients[2]?.lock('fence-lock', { ttlMs: 5_000 })
    assert.ok(fresh !== undefined && fresh.token > old.token)
    assert.equal(
      (await clients[2]?.cas('fenced', 'a', 'b', { fence: fresh.token }))?.succeeded,
      true,
    )
    // the paused holder wakes up and writes with its old token: refused, nothing changed
    await assert.rejects(peer(1).cas('fenced', 'b', 'stale', { fence: old.token }), FencedError)
    await assert.rejects(peer(1).cas('fenced', 'b', 'stale', { fence: old }), FencedError)
    // a token from the future, checked against the lock it names: refused, nothing changed
    await assert.rejects(
      peer(0).cas('fenced', 'b', 'future', {
        fence: { lock: 'fence-lock', token: fresh.token + 1 },
      }),
      (err: Error) => err instanceof InvalidInputError && /from the future/.test(err.message),
    )
    // the current holder's handle is a fence that passes the check
    assert.equal((await clients[2]?.cas('fenced', 'b', 'b', { fence: fresh }))?.version, 3)
    const now = await peer(3).read('fenced')
    assert.equal(text(now.value), 'b')
    assert.equal(now.version, 3)
    await fresh.unlock()
  })

  it('refuses a ttl of 0, an absurd one, and a bad holder', async () => {
    for (const ttlMs of [0, -5, 1.5, 10, 1e12, Number.NaN]) {
      await assert.rejects(peer(0).lock('ttl', { ttlMs }), InvalidInputError, String(ttlMs))
    }
    await assert.rejects(peer(0).lock('ttl', { ttlMs: 1000, holder: '' }), InvalidInputError)
    await assert.rejects(peer(0).lock('ttl', undefined as never), InvalidInputError)
    assert.equal((await peer(0).coordination.lockState('ttl')).token, 0, 'nothing granted')
  })
})
