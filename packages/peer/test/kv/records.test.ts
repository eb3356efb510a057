import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ringIdOf } from '@ringdht/ring'
import { fromWireRecord, fromWireRecordFor, versionAndExpiryOf } from '../../src/kv/records.js'

const bytes = (s: string) => new TextEncoder().encode(s) as Uint8Array<ArrayBuffer>
const wire = (key: string) => ({
  key: bytes(key),
  value: bytes('v'),
  version: { timestamp: 7n, writer: 3n },
  expiresAt: 99n,
})

describe('records from the wire', () => {
  it('take the asker’s position only for the key it asked for', () => {
    const asked = { key: bytes('k'), position: 12345n }
    assert.equal(fromWireRecordFor(wire('k'), asked).position, 12345n)
    assert.equal(
      fromWireRecordFor(wire('other'), asked).position,
      ringIdOf(bytes('other')),
      'an answer for another key is hashed, not trusted',
    )
    assert.deepEqual(fromWireRecordFor(wire('k'), { ...asked, position: ringIdOf(bytes('k')) }), {
      ...fromWireRecord(wire('k')),
    })
  })

  it('show version and expiry as fromWireRecord reads them', () => {
    const { version, expiresAt } = fromWireRecord(wire('k'))
    assert.deepEqual(versionAndExpiryOf(wire('k')), { version, expiresAt })
  })
})
