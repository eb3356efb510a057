import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { RING_SIZE } from '@ringdht/ring'
import type { StoredRecord } from '@ringdht/store'
import { ProtocolError } from '../src/errors.js'
import { advancePageCursor } from '../src/kv/records.js'

const record = (position: bigint, key: string): StoredRecord => ({
  key: new TextEncoder().encode(key),
  position,
  value: undefined,
  version: { timestamp: 1n, writer: 1n },
})

describe('advancePageCursor', () => {
  const start = RING_SIZE - 100n // a range that wraps past zero

  it('moves to the last record of each forward page, across the wrap', () => {
    let cursor = advancePageCursor(start, undefined, [record(RING_SIZE - 50n, 'a')])
    assert.equal(cursor?.position, RING_SIZE - 50n)
    cursor = advancePageCursor(start, cursor, [record(RING_SIZE - 1n, 'b'), record(5n, 'c')])
    assert.equal(cursor?.position, 5n, 'position 5 lies after 2^64-1 in a range from 2^64-100')
    cursor = advancePageCursor(start, cursor, [record(5n, 'd')])
    assert.equal(new TextDecoder().decode(cursor?.key), 'd', 'same position, later key')
    assert.equal(advancePageCursor(start, cursor, []), cursor, 'an empty page keeps the cursor')
  })

  it('refuses a page that repeats or rewinds', () => {
    const cursor = advancePageCursor(start, undefined, [record(5n, 'k')])
    for (const [label, page] of [
      ['repeated', [record(5n, 'k')]],
      ['rewound by key', [record(5n, 'a')]],
      ['rewound across the wrap', [record(RING_SIZE - 10n, 'z')]],
    ] as const) {
      assert.throws(() => advancePageCursor(start, cursor, page), ProtocolError, label)
    }
  })
})
