import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { inHalfOpenInterval, inOpenInterval, RING_SIZE } from '../src/index.js'

describe('interval', () => {
  it('wraps past zero', () => {
    const start = RING_SIZE - 10n
    assert.equal(inOpenInterval(0n, start, 5n), true)
    assert.equal(inOpenInterval(6n, start, 5n), false)
    assert.equal(inHalfOpenInterval(5n, start, 5n), true)
  })
})
