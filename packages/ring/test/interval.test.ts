import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import {
  inClosedInterval,
  inHalfOpenInterval,
  inOpenInterval,
  inRightOpenInterval,
  RING_SIZE,
  ringAdd,
} from '../src/index.js'
import {
  inClosedOnRing,
  inHalfOpenOnRing,
  inOpenOnRing,
  inRightOpenOnRing,
} from '../src/interval.js'
import { ringIdArb } from './arbitraries.js'

type Kind = 'open' | 'half-open' | 'right-open' | 'closed'
const KINDS: readonly Kind[] = ['open', 'half-open', 'right-open', 'closed']

const onRing = {
  open: inOpenOnRing,
  'half-open': inHalfOpenOnRing,
  'right-open': inRightOpenOnRing,
  closed: inClosedOnRing,
} as const

const on64 = {
  open: inOpenInterval,
  'half-open': inHalfOpenInterval,
  'right-open': inRightOpenInterval,
  closed: inClosedInterval,
} as const

/**
 * The definition, by walking: step clockwise from start to end (a full lap when they
 * are equal) and collect every position passed, the ends only when closed.
 */
function bruteMembers(kind: Kind, start: bigint, end: bigint, size: bigint): Set<bigint> {
  const span = start === end ? size : (end - start + size) % size
  const members = new Set<bigint>()
  const includeStart = kind === 'right-open' || kind === 'closed'
  const includeEnd = kind === 'half-open' || kind === 'closed'
  for (let step = 0n; step <= span; step++) {
    if (step === 0n && !includeStart) continue
    if (step === span && !includeEnd) continue
    members.add((start + step) % size)
  }
  return members
}

/** An independent 64-bit definition by cases on the ends, no modular arithmetic. */
function byCases(kind: Kind, x: bigint, start: bigint, end: bigint): boolean {
  const leftOk = (v: bigint) => (kind === 'open' || kind === 'half-open' ? v > start : v >= start)
  const rightOk = (v: bigint) => (kind === 'open' || kind === 'right-open' ? v < end : v <= end)
  if (start === end) return kind === 'open' ? x !== start : true
  if (start < end) return leftOk(x) && rightOk(x)
  return leftOk(x) || rightOk(x)
}

describe('interval', () => {
  it('wraps past zero', () => {
    const start = RING_SIZE - 10n
    assert.equal(inOpenInterval(0n, start, 5n), true)
    assert.equal(inOpenInterval(6n, start, 5n), false)
    assert.equal(inHalfOpenInterval(5n, start, 5n), true)
    assert.equal(inRightOpenInterval(start, start, 5n), true)
    assert.equal(inRightOpenInterval(5n, start, 5n), false)
    assert.equal(inClosedInterval(RING_SIZE - 11n, start, 5n), false)
  })

  it('treats equal ends as the whole ring, minus the point when both ends are open', () => {
    for (const n of [0n, 7n, RING_SIZE - 1n]) {
      for (const x of [0n, 1n, n, ringAdd(n, 1n), RING_SIZE - 1n]) {
        assert.equal(inOpenInterval(x, n, n), x !== n, `(${n}, ${n}) at ${x}`)
        assert.equal(inHalfOpenInterval(x, n, n), true, `(${n}, ${n}] at ${x}`)
        assert.equal(inRightOpenInterval(x, n, n), true, `[${n}, ${n}) at ${x}`)
        assert.equal(inClosedInterval(x, n, n), true, `[${n}, ${n}] at ${x}`)
      }
    }
  })

  it('agrees with walking the ring, for every triple on a 16-position ring', () => {
    const size = 16n
    for (const kind of KINDS) {
      for (let start = 0n; start < size; start++) {
        for (let end = 0n; end < size; end++) {
          const members = bruteMembers(kind, start, end, size)
          for (let x = 0n; x < size; x++) {
            assert.equal(
              onRing[kind](x, start, end, size - 1n),
              members.has(x),
              `${kind} x=${x} start=${start} end=${end}`,
            )
          }
        }
      }
    }
  })

  it('agrees with walking the ring, on rings of 2 to 2^10 positions', () => {
    const case_ = fc
      .record({ bits: fc.integer({ min: 1, max: 10 }), kind: fc.constantFrom(...KINDS) })
      .chain(({ bits, kind }) => {
        const id = fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n })
        return fc.tuple(fc.constant(bits), fc.constant(kind), id, id, id)
      })
    fc.assert(
      fc.property(case_, ([bits, kind, x, start, end]) => {
        const size = 1n << BigInt(bits)
        const expected = bruteMembers(kind, start, end, size).has(x)
        return onRing[kind](x, start, end, size - 1n) === expected
      }),
    )
  })

  it('agrees with a case-by-case definition on the 64-bit ring', () => {
    fc.assert(
      fc.property(fc.constantFrom(...KINDS), ringIdArb, ringIdArb, ringIdArb, (kind, x, s, e) => {
        return on64[kind](x, s, e) === byCases(kind, x, s, e)
      }),
    )
  })

  it('is unchanged by rotating the ring', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...KINDS),
        ringIdArb,
        ringIdArb,
        ringIdArb,
        ringIdArb,
        (kind, x, s, e, d) => {
          const rotated = on64[kind](ringAdd(x, d), ringAdd(s, d), ringAdd(e, d))
          return rotated === on64[kind](x, s, e)
        },
      ),
    )
  })

  it('splits the ring into (s, e] and (e, s] when s ≠ e', () => {
    fc.assert(
      fc.property(ringIdArb, ringIdArb, ringIdArb, (x, s, e) => {
        fc.pre(s !== e)
        return inHalfOpenInterval(x, s, e) !== inHalfOpenInterval(x, e, s)
      }),
    )
  })

  it('relates the four kinds by their ends', () => {
    fc.assert(
      fc.property(ringIdArb, ringIdArb, ringIdArb, (x, s, e) => {
        fc.pre(s !== e)
        const open = inOpenInterval(x, s, e)
        assert.equal(inHalfOpenInterval(x, s, e), open || x === e)
        assert.equal(inRightOpenInterval(x, s, e), open || x === s)
        assert.equal(inClosedInterval(x, s, e), open || x === s || x === e)
      }),
    )
  })
})
