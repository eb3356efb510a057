import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { inHalfOpenInterval, type RingId, ringAdd } from '@ringdht/ring'
import fc from 'fast-check'
import { OwnerCache } from '../../src/core/owner-cache.js'
import type { RingNode } from '../../src/core/ring-node.js'

/** The cache reads only a node's id and key. */
const nodeAt = (id: RingId): RingNode => ({ id, key: `n${id}` }) as unknown as RingNode

/** The obvious model: a list in least-recently-used order, scanned in full. */
class ModelCache {
  entries: Array<{ owner: RingNode; after: RingId }> = []
  constructor(readonly max: number) {}
  #holds(e: { owner: RingNode; after: RingId }, position: RingId) {
    return inHalfOpenInterval(position, e.after, e.owner.id)
  }
  ownerOf(position: RingId): string | undefined {
    const at = this.entries.findIndex((e) => this.#holds(e, position))
    if (at < 0) return undefined
    const [entry] = this.entries.splice(at, 1)
    if (entry === undefined) return undefined
    this.entries.push(entry)
    return entry.owner.key
  }
  learn(owner: RingNode, after: RingId) {
    const entry = { owner, after }
    // brute force: two ranges overlap when some position lies in both; every range's
    // positions include its end, and the start just after `after`
    const shares = (x: typeof entry, y: typeof entry) =>
      [x.owner.id, ringAdd(x.after, 1n), y.owner.id, ringAdd(y.after, 1n)].some(
        (p) => this.#holds(x, p) && this.#holds(y, p),
      )
    this.entries = this.entries.filter((e) => e.owner.key !== owner.key && !shares(e, entry))
    this.entries.push(entry)
    if (this.entries.length > this.max) this.entries.shift()
  }
  forget(key: string) {
    this.entries = this.entries.filter((e) => e.owner.key !== key)
  }
}

// a small set of positions spread over the ring, so that ranges overlap often
const SPOTS = Array.from({ length: 12 }, (_, i) => (BigInt(i) * (1n << 64n)) / 12n + 7n)
const spot = fc.constantFrom(...SPOTS)
const probe = fc.oneof(
  spot,
  spot.map((p) => ringAdd(p, 1n)),
  spot.map((p) => ringAdd(p, -1n)),
)
const op = fc.oneof(
  fc.record({ kind: fc.constant('learn' as const), owner: spot, after: spot }),
  fc.record({ kind: fc.constant('forget' as const), owner: spot }),
  fc.record({ kind: fc.constant('ownerOf' as const), position: probe }),
)

describe('OwnerCache', () => {
  it('answers like a full scan of non-overlapping ranges, least recently used out first', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(op, { maxLength: 60 }), (max, ops) => {
        const cache = new OwnerCache(max)
        const model = new ModelCache(max)
        for (const o of ops) {
          if (o.kind === 'learn') {
            cache.learn(nodeAt(o.owner), o.after)
            model.learn(nodeAt(o.owner), o.after)
          } else if (o.kind === 'forget') {
            cache.forget(`n${o.owner}`)
            model.forget(`n${o.owner}`)
          } else {
            assert.equal(cache.ownerOf(o.position)?.key, model.ownerOf(o.position))
          }
          assert.equal(cache.size, model.entries.length)
          assert.ok(cache.size <= max)
        }
        for (const p of SPOTS) assert.equal(cache.ownerOf(p)?.key, model.ownerOf(p))
      }),
      { numRuns: 500 },
    )
  })

  it('covers a range (after, owner], a lone owner covers everything, and a newer range replaces an overlapping one', () => {
    const cache = new OwnerCache()
    const [a, b, c] = [100n, 200n, 300n]
    cache.learn(nodeAt(c), a)
    assert.equal(cache.ownerOf(150n)?.key, `n${c}`)
    assert.equal(cache.ownerOf(c)?.key, `n${c}`)
    assert.equal(cache.ownerOf(a), undefined, 'the start is the predecessor: not in the range')
    assert.equal(cache.ownerOf(301n), undefined)
    // b joined between a and c: it owns (a, b] and c now owns (b, c]
    cache.learn(nodeAt(b), a)
    assert.equal(cache.ownerOf(250n), undefined, "c's old entry overlapped b's and is gone")
    assert.equal(cache.ownerOf(150n)?.key, `n${b}`)
    const alone = new OwnerCache()
    alone.learn(nodeAt(b), b)
    assert.equal(alone.ownerOf(0n)?.key, `n${b}`)
    assert.equal(alone.ownerOf(b + 1n)?.key, `n${b}`)
  })

  it('refuses a bound below one entry', () => {
    assert.throws(() => new OwnerCache(0), RangeError)
  })
})
