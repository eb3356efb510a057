import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import {
  clockwiseDistance,
  isRingId,
  RING_BITS,
  RING_SIZE,
  ringAdd,
  ringIdFromHex,
  ringIdOf,
  ringIdToBytes,
  ringIdToHex,
} from '../src/index.js'
import { ringIdArb } from './arbitraries.js'

describe('ring ids', () => {
  it('are the first 8 bytes of SHA-256, big-endian, for strings and bytes alike', () => {
    const digest = createHash('sha256').update('hello').digest()
    assert.equal(ringIdOf('hello'), BigInt(`0x${digest.subarray(0, 8).toString('hex')}`))
    assert.equal(ringIdOf(new TextEncoder().encode('hello')), ringIdOf('hello'))
    assert.equal(RING_BITS, 64)
    assert.equal(RING_SIZE, 1n << 64n)
  })

  it('round-trip through hex and bytes', () => {
    fc.assert(
      fc.property(ringIdArb, (id) => {
        assert.equal(ringIdToHex(id).length, 16)
        assert.equal(ringIdFromHex(ringIdToHex(id)), id)
        const bytes = ringIdToBytes(id)
        assert.equal(bytes.length, 8)
        assert.equal(BigInt(`0x${Buffer.from(bytes).toString('hex')}`), id)
        assert.ok(isRingId(id))
      }),
    )
    assert.throws(() => ringIdFromHex('xyz'), RangeError)
    assert.throws(() => ringIdFromHex('0'.repeat(17)), RangeError)
  })

  it('add and measure distance modulo 2^64', () => {
    assert.equal(ringAdd(RING_SIZE - 1n, 1n), 0n)
    assert.equal(clockwiseDistance(RING_SIZE - 1n, 0n), 1n)
    assert.equal(clockwiseDistance(0n, RING_SIZE - 1n), RING_SIZE - 1n)
    fc.assert(
      fc.property(ringIdArb, ringIdArb, (a, b) => ringAdd(a, clockwiseDistance(a, b)) === b),
    )
  })
})
