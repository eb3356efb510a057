import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { QuorumNotReachedError } from '../src/index.js'
import { createTestRing, type TestRing } from '../src/testing.js'
import { text } from './helpers.js'

describe('write quorum', () => {
  let ring: TestRing | undefined

  after(async () => {
    await ring?.stop()
  })

  it('a put that cannot reach W replicas fails with QuorumNotReachedError; W = 2 still succeeds', async () => {
    // the dead peer is never dropped (huge failureThreshold): every coordinator keeps
    // sending it copies, so at most 2 of 3 copies can be acknowledged
    ring = await createTestRing(3, { replicas: 3, failureThreshold: 1_000_000 })
    await ring.crash(2)
    const [a, b] = ring.peers
    assert.ok(a && b)
    let refused = 0
    for (let i = 0; i < 20; i++) {
      await assert.rejects(
        (i % 2 === 0 ? a : b).put(`q-${i}`, 'v', { writeQuorum: 3 }),
        (err: Error) => {
          assert.ok(err instanceof QuorumNotReachedError, `q-${i}: ${err.name}: ${err.message}`)
          assert.equal((err as QuorumNotReachedError).code, 'QUORUM_NOT_REACHED')
          return true
        },
      )
      refused++
      // the write is not rolled back: it is on the peers that acknowledged
      assert.equal(text((await a.get(`q-${i}`))?.value), 'v', `q-${i} after the failed quorum`)
      const ok = await a.put(`w-${i}`, 'v', { writeQuorum: 2 })
      assert.ok((ok.replicas ?? 0) >= 2, `w-${i} acknowledged by ${ok.replicas}`)
    }
    assert.equal(refused, 20)
    let failures = 0
    for (const p of ring.peers) failures += (await p.status()).counters.quorumFailures ?? 0
    assert.equal(failures, 20)
    await assert.rejects(a.put('too-many', 'v', { writeQuorum: 4 }), { code: 'INVALID_INPUT' })
  })
})
