import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ringIdToHex } from '@ringdht/ring'
import { RingView } from '../../src/client/ring-view.js'

const member = (name: string, position: bigint) => ({
  peerId: name,
  ringId: ringIdToHex(position),
  multiaddrs: [],
})

describe('RingView', () => {
  const view = new RingView([
    member('c', 300n),
    member('a', 100n),
    member('b', 200n),
    member('a', 100n),
  ])

  it('sorts members by position and keeps each once', () => {
    assert.deepEqual(
      view.members.map((m) => m.peerId),
      ['a', 'b', 'c'],
    )
    assert.equal(view.size, 3)
  })

  it('finds the owner: the first member at or after a position, wrapping', () => {
    assert.equal(view.members[view.ownerIndexOf(100n)]?.peerId, 'a', 'at a member')
    assert.equal(view.members[view.ownerIndexOf(150n)]?.peerId, 'b', 'between members')
    assert.equal(view.members[view.ownerIndexOf(301n)]?.peerId, 'a', 'past the last member')
    assert.equal(view.members[view.ownerIndexOf(0n)]?.peerId, 'a', 'before the first member')
  })

  it('lists the owner and its successors, wrapping, never repeating a member', () => {
    assert.deepEqual(
      view.ownerAndSuccessors(250n, 1).map((m) => m.peerId),
      ['c', 'a'],
    )
    assert.deepEqual(
      view.ownerAndSuccessors(250n, 5).map((m) => m.peerId),
      ['c', 'a', 'b'],
    )
    assert.deepEqual(new RingView([]).ownerAndSuccessors(1n, 2), [])
  })
})
