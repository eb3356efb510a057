import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { FormerRing } from '../../src/core/former-ring.js'
import type { RingNode } from '../../src/core/ring-node.js'
import { ringNodes } from '../stubs.js'

let sorted: RingNode[]

/** Neighbours as the core shows them: a successor list and a predecessor. */
const view = (successors: RingNode[], predecessor?: RingNode) => ({ successors, predecessor })

describe('FormerRing', () => {
  before(async () => {
    sorted = (await ringNodes(6)).sort((a, b) => (a.id < b.id ? -1 : 1))
  })

  it('has no guard without remembered members (a new member)', () => {
    const ring = new FormerRing(sorted[0] as RingNode, 3, 60_000)
    ring.restore([])
    assert.equal(ring.active, false)
    assert.equal(ring.mayAnswerAbsent(0n, view([])), true)
  })

  it('refuses absent for a key whose former replica set has a member not back, allows the others', () => {
    const [a, b, c, d, e, f] = sorted as [
      RingNode,
      RingNode,
      RingNode,
      RingNode,
      RingNode,
      RingNode,
    ]
    // c restarted; it remembers a, b (before it) and d, e, f (after it)
    const ring = new FormerRing(c, 3, 60_000)
    ring.restore([a, b, d, e, f])
    // back so far: b (its predecessor) and d, e (successors); a and f are not
    const now = view([d, e], b)
    // a key owned by c in the former ring: replicas c, d, e, all here
    assert.equal(ring.mayAnswerAbsent(c.id, now), true)
    // a key owned by b: replicas b, c, d: all here
    assert.equal(ring.mayAnswerAbsent(b.id, now), true)
    // a key owned by a: replicas a, b, c: a is not back
    assert.equal(ring.mayAnswerAbsent(a.id, now), false)
    // a key owned by e: replicas e, f, a
    assert.equal(ring.mayAnswerAbsent(e.id, now), false)
    // once a and f are seen, the guard is down for good
    assert.equal(ring.mayAnswerAbsent(a.id, view([d, e, f, a], b)), true)
    assert.equal(ring.active, false)
    assert.equal(ring.mayAnswerAbsent(e.id, view([])), true)
  })

  it('lifts the guard when the grace period ends, members back or not', () => {
    let now = 1_000
    const [a, b, c] = sorted as [RingNode, RingNode, RingNode]
    const ring = new FormerRing(c, 3, 5_000, () => now)
    ring.restore([a, b])
    assert.equal(ring.mayAnswerAbsent(a.id, view([])), false)
    now += 5_000
    assert.equal(ring.mayAnswerAbsent(a.id, view([])), true)
    assert.equal(ring.active, false)
  })
})
