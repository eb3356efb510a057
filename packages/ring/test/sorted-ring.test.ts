import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { EmptyRingError, RING_SIZE, SortedRing, sortClockwiseFrom } from '../src/index.js'
import { bruteStrictPredecessor, bruteSuccessor, nodeIdsArb, ringIdArb } from './arbitraries.js'

describe('SortedRing', () => {
  it('finds successor, next and predecessor as their definitions say', () => {
    fc.assert(
      fc.property(nodeIdsArb(1, 30), fc.array(ringIdArb, { maxLength: 20 }), (ids, probes) => {
        const ring = new SortedRing(ids)
        for (const x of [...probes, ...ids, 0n, RING_SIZE - 1n]) {
          assert.equal(ring.successor(x), bruteSuccessor(ids, x), `successor(${x})`)
          assert.equal(ring.predecessor(x), bruteStrictPredecessor(ids, x), `predecessor(${x})`)
          const next = x === RING_SIZE - 1n ? bruteSuccessor(ids, 0n) : bruteSuccessor(ids, x + 1n)
          assert.equal(ring.nextAfter(x), next, `nextAfter(${x})`)
        }
      }),
    )
  })

  it('lists successors clockwise, distinct, at most the ring size', () => {
    fc.assert(
      fc.property(nodeIdsArb(1, 20), ringIdArb, fc.nat(25), (ids, x, count) => {
        const ring = new SortedRing(ids)
        const expected = sortClockwiseFrom(x, ids, (id) => id).slice(0, count)
        assert.deepEqual(ring.successors(x, count), expected)
      }),
    )
  })

  it('keeps order and membership through adds and removes', () => {
    const op = fc.tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 40n }))
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const ring = new SortedRing()
        const model = new Set<bigint>()
        for (const [isAdd, id] of ops) {
          if (isAdd) assert.equal(ring.add(id), !model.has(id), `add ${id}`)
          else assert.equal(ring.remove(id), model.has(id), `remove ${id}`)
          if (isAdd) model.add(id)
          else model.delete(id)
        }
        assert.deepEqual(
          [...ring.ids()],
          [...model].sort((a, b) => (a < b ? -1 : 1)),
        )
        for (let id = 0n; id <= 40n; id++) assert.equal(ring.has(id), model.has(id), `has ${id}`)
      }),
    )
  })

  it('drops duplicate ids and refuses to answer when empty', () => {
    assert.equal(new SortedRing([5n, 5n, 1n]).size, 2)
    const empty = new SortedRing()
    assert.throws(() => empty.successor(1n), EmptyRingError)
    assert.throws(() => empty.predecessor(1n), RangeError)
  })
})
