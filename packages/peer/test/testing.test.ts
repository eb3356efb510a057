import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { NotReadyError } from '../src/index.js'
import { createTestRing } from '../src/testing.js'

describe('@ringdht/peer/testing', () => {
  it('hands its teardown to the test runner once, before the peers start, and it stops them', async () => {
    const teardowns: Array<() => Promise<void>> = []
    const ring = await createTestRing(2, { teardown: (stop) => teardowns.push(stop) })
    assert.equal(teardowns.length, 1)
    await ring.peers[0]?.put('k', 'v')
    await teardowns[0]?.()
    await assert.rejects(ring.peers[0]?.get('k') as Promise<unknown>, NotReadyError)
    await ring.stop() // idempotent
  })
})
