import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { layoutRing, renderRingSvg, ringFraction } from '../src/ring-svg.js'

const members = [
  { peerId: 'peer-c', ringId: 'c000000000000000', keyCount: 3, replicaKeyCount: 5, health: 'ok' },
  { peerId: 'peer-a', ringId: '4000000000000000', keyCount: 1, replicaKeyCount: 2, health: 'ok' },
  { peerId: 'peer-b', ringId: '8000000000000000', keyCount: 2, replicaKeyCount: 4, health: 'ok' },
  { peerId: 'peer-d', ringId: 'e000000000000000', keyCount: 0, replicaKeyCount: 0, health: 'ok' },
]

describe('ring picture', () => {
  it('places ring ids as fractions of the ring', () => {
    assert.equal(ringFraction('0000000000000000'), 0)
    assert.equal(ringFraction('8000000000000000'), 0.5)
    assert.equal(ringFraction('c000000000000000'), 0.75)
    assert.ok(ringFraction('ffffffffffffffff') < 1)
  })

  it('gives each live member the arc from the previous live member, and r members per replica set', () => {
    const laid = layoutRing(members, { replicas: 3 })
    assert.deepEqual(
      laid.map((m) => m.peerId),
      ['peer-a', 'peer-b', 'peer-c', 'peer-d'],
    )
    const a = laid[0]
    assert.deepEqual(a?.arc, { start: 0.875, end: 0.25 })
    assert.deepEqual(laid[1]?.arc, { start: 0.25, end: 0.5 })
    assert.deepEqual(a?.replicaSet, ['peer-a', 'peer-b', 'peer-c'])
    assert.deepEqual(laid[3]?.replicaSet, ['peer-d', 'peer-a', 'peer-b'])
  })

  it('a failed member owns no arc: its successor takes it over', () => {
    const laid = layoutRing(
      members.map((m) => (m.peerId === 'peer-b' ? { ...m, health: 'unreachable' } : m)),
      { replicas: 2 },
    )
    const b = laid.find((m) => m.peerId === 'peer-b')
    const c = laid.find((m) => m.peerId === 'peer-c')
    assert.equal(b?.state, 'failed')
    assert.equal(b?.arc, undefined)
    assert.deepEqual(b?.replicaSet, [])
    assert.deepEqual(c?.arc, { start: 0.25, end: 0.75 })
    assert.deepEqual(laid[0]?.replicaSet, ['peer-a', 'peer-c'])
  })

  it('a lone member owns the whole ring', () => {
    const laid = layoutRing([members[0] as (typeof members)[number]])
    assert.deepEqual(laid[0]?.arc, { start: 0.75, end: 1.75 })
    const svg = renderRingSvg([members[0] as (typeof members)[number]])
    assert.match(svg, /class="arc"/)
  })

  it('renders an SVG document with one element per member and one arc per live member', () => {
    const svg = renderRingSvg(
      [...members, { peerId: 'gone', ringId: '1000000000000000', state: 'left' as const }],
      { replicas: 3, path: ['peer-a', 'peer-c'], caption: '<now> & "then"' },
    )
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/)
    assert.match(svg, /<\/svg>\n$/)
    assert.equal(svg.match(/<g class="member"/g)?.length, 5)
    assert.equal(svg.match(/<path class="arc"/g)?.length, 4)
    assert.match(svg, /data-peer-id="gone"[^>]*data-state="left"/)
    assert.match(svg, /data-path="peer-a peer-c"/)
    assert.match(svg, /&lt;now&gt; &amp; &quot;then&quot;/)
    assert.match(svg, /4 live members, 6 primary keys/)
  })

  it('escapes what members report', () => {
    const svg = renderRingSvg([{ peerId: '<script>', ringId: '0', health: 'ok' }])
    assert.doesNotMatch(svg, /<script>/)
  })
})
