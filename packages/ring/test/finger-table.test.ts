import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import {
  buildFingerTable,
  clockwiseDistance,
  closestPrecedingNode,
  fingerStart,
  inHalfOpenInterval,
  inOpenInterval,
  mergeSuccessorList,
  RING_BITS,
  RING_SIZE,
  type RingId,
  SortedRing,
} from '../src/index.js'
import { bruteSuccessor, nodeIdsArb, ringIdArb } from './arbitraries.js'

const member = (id: RingId) => ({ id })

describe('finger table', () => {
  it('puts finger i at successor(n + 2^i)', () => {
    fc.assert(
      fc.property(nodeIdsArb(1, 25), fc.nat(), (ids, pick) => {
        const self = ids[pick % ids.length] as RingId
        const fingers = buildFingerTable(self, new SortedRing(ids))
        assert.equal(fingers.length, RING_BITS)
        for (let i = 0; i < RING_BITS; i++) {
          const start = (self + (1n << BigInt(i))) % RING_SIZE
          assert.equal(fingerStart(self, i), start, `start ${i}`)
          assert.equal(fingers[i], bruteSuccessor(ids, start), `finger ${i}`)
        }
      }),
      { numRuns: 50 },
    )
  })

  it('refuses finger indexes outside [0, 64)', () => {
    assert.throws(() => fingerStart(0n, -1), RangeError)
    assert.throws(() => fingerStart(0n, 64), RangeError)
    assert.throws(() => fingerStart(0n, 1.5), RangeError)
  })
})

describe('closestPrecedingNode', () => {
  it('picks the candidate in (self, key) nearest the key, or none', () => {
    fc.assert(
      fc.property(
        ringIdArb,
        ringIdArb,
        fc.array(ringIdArb, { maxLength: 20 }),
        (self, key, ids) => {
          const candidates = ids.map(member)
          const found = closestPrecedingNode(self, key, candidates)
          const inside = ids.filter((id) => inOpenInterval(id, self, key))
          if (inside.length === 0) return found === undefined
          const furthest = inside.reduce((a, b) =>
            clockwiseDistance(self, b) > clockwiseDistance(self, a) ? b : a,
          )
          return found !== undefined && found.id === furthest && candidates.includes(found)
        },
      ),
    )
  })

  it('routes every key to its owner on a complete ring, visiting each node at most once', () => {
    fc.assert(
      fc.property(nodeIdsArb(1, 64), ringIdArb, fc.nat(), (ids, key, pick) => {
        const ring = new SortedRing(ids)
        const tables = new Map(ids.map((id) => [id, buildFingerTable(id, ring).map(member)]))
        const owner = ring.successor(key)
        let at = ids[pick % ids.length] as RingId
        let steps = 0
        while (!inHalfOpenInterval(key, ring.predecessor(at), at)) {
          at = closestPrecedingNode(at, key, tables.get(at) ?? [])?.id ?? ring.nextAfter(at)
          steps++
          // each step lands strictly nearer the key, and halves the id distance left
          assert.ok(steps <= Math.min(ids.length, RING_BITS + 1), `too many steps to ${key}`)
        }
        return at === owner
      }),
      { numRuns: 60 },
    )
  })
})

describe('mergeSuccessorList', () => {
  it('keeps the nearest distinct members clockwise, never self', () => {
    fc.assert(
      fc.property(ringIdArb, fc.array(ringIdArb, { maxLength: 30 }), fc.nat(12), (self, ids, n) => {
        const merged = mergeSuccessorList(self, ids.map(member), n)
        const expected = [...new Set(ids)]
          .filter((id) => id !== self)
          .sort((a, b) => (clockwiseDistance(self, a) < clockwiseDistance(self, b) ? -1 : 1))
          .slice(0, n)
        assert.deepEqual(
          merged.map((m) => m.id),
          expected,
        )
      }),
    )
  })
})
