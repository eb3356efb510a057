import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import {
  ConsistentHashing,
  EmptyRingError,
  lowerBoundPosition,
  RendezvousHashing,
  RendezvousTable,
  type RingId,
  ringIdOf,
  SHORT_SHA256_MAX_WORDS,
  shortSha256,
  sortPositions,
  TokenTable,
  tokenPositions,
  upperBoundPosition,
  virtualNodePositions,
} from '../src/index.js'
import { nodeIdsArb, ringIdArb } from './arbitraries.js'

const LOW_32 = 0xffffffffn
const keysArb = fc.array(ringIdArb, { minLength: 1, maxLength: 40 })
const join = (high: number, low: number): RingId => (BigInt(high) << 32n) | BigInt(low)

describe('sortPositions', () => {
  it('sorts 64-bit positions given as halves, stably, carrying the payload', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(ringIdArb, fc.constant(5n)), { maxLength: 300 }), (ids) => {
        const high = Uint32Array.from(ids, (id) => Number(id >> 32n))
        const low = Uint32Array.from(ids, (id) => Number(id & LOW_32))
        const payload = Int32Array.from(ids, (_, i) => i)
        sortPositions(high, low, payload)
        const expected = ids
          .map((id, i) => ({ id, i }))
          .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.i - b.i))
        assert.deepEqual(
          Array.from(payload),
          expected.map((e) => e.i),
        )
        assert.deepEqual(
          Array.from(high, (h, i) => join(h, low[i] as number)),
          expected.map((e) => e.id),
        )
      }),
    )
  })

  it('sorts large arrays (bucketed path) the same way, stably', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), (seed) => {
        // 70,000 positions: over the bucketed threshold; a tenth share a few values.
        let state = seed
        const next = () => {
          state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0
          return state
        }
        const n = 70_000
        const high = new Uint32Array(n)
        const low = new Uint32Array(n)
        for (let i = 0; i < n; i++) {
          const shared = next() % 10 === 0
          high[i] = shared ? 0x1234_5678 : next()
          low[i] = shared ? next() % 4 : next()
        }
        const ids = Array.from(high, (h, i) => join(h, low[i] as number))
        const payload = Int32Array.from(ids, (_, i) => i)
        sortPositions(high, low, payload)
        const expected = ids
          .map((id, i) => ({ id, i }))
          .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.i - b.i))
        assert.deepEqual(
          Array.from(payload),
          expected.map((e) => e.i),
        )
        assert.ok(
          expected.every((e, i) => join(high[i] as number, low[i] as number) === e.id),
          'positions follow their payload',
        )
      }),
      { numRuns: 3 },
    )
  })

  it('finds lower and upper bounds as their definitions say', () => {
    fc.assert(
      fc.property(fc.array(ringIdArb, { maxLength: 50 }), ringIdArb, (ids, key) => {
        const sorted = [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
        const high = Uint32Array.from(sorted, (id) => Number(id >> 32n))
        const low = Uint32Array.from(sorted, (id) => Number(id & LOW_32))
        const [kh, kl] = [Number(key >> 32n), Number(key & LOW_32)]
        const lower = sorted.findIndex((id) => id >= key)
        const upper = sorted.findIndex((id) => id > key)
        assert.equal(lowerBoundPosition(high, low, kh, kl), lower < 0 ? sorted.length : lower)
        assert.equal(upperBoundPosition(high, low, kh, kl), upper < 0 ? sorted.length : upper)
      }),
    )
  })
})

describe('TokenTable', () => {
  it('places tokens where virtualNodePositions does', () => {
    const id = ringIdOf('peer')
    const { high, low } = tokenPositions(id, 16)
    assert.deepEqual(
      Array.from(high, (h, i) => join(h, low[i] as number)),
      virtualNodePositions(id, 16),
    )
  })

  it('gives the owner and replicas ConsistentHashing gives, for any V', () => {
    fc.assert(
      fc.property(
        nodeIdsArb(1, 12),
        keysArb,
        fc.integer({ min: 1, max: 8 }),
        fc.nat(6),
        (nodes, keys, virtualNodes, r) => {
          const slow = new ConsistentHashing({ nodes, virtualNodes })
          const fast = new TokenTable(nodes, virtualNodes)
          assert.equal(fast.size, nodes.length * virtualNodes)
          assert.deepEqual(
            Array.from({ length: fast.size }, (_, i) => fast.positionAt(i)),
            slow.positions().map((p) => p.position),
          )
          for (const key of keys) {
            assert.equal(fast.ownerOf(key), slow.ownerOf(key), `owner of ${key}`)
            assert.deepEqual(fast.replicasOf(key, r), slow.replicasOf(key, r), `replicas of ${key}`)
          }
        },
      ),
    )
  })

  it('refuses an empty ring and bad arguments', () => {
    assert.throws(() => new TokenTable([]).ownerOf(1n), EmptyRingError)
    assert.deepEqual(new TokenTable([]).replicasOf(1n, 3), [])
    assert.throws(() => new TokenTable([1n], 0), RangeError)
    assert.throws(() => new TokenTable([-1n]), RangeError)
  })
})

describe('RendezvousTable', () => {
  it('ranks as RendezvousHashing does, weights included', () => {
    fc.assert(
      fc.property(nodeIdsArb(1, 40), keysArb, fc.nat(45), (nodes, keys, r) => {
        const slow = new RendezvousHashing({ nodes })
        const fast = new RendezvousTable(nodes)
        const index = new Int32Array(r)
        const weight = new Float64Array(r)
        for (const key of keys) {
          assert.deepEqual(fast.replicasOf(key, r), slow.replicasOf(key, r), `replicas of ${key}`)
          const filled = fast.rank(Number(key >> 32n), Number(key & LOW_32), r, index, weight)
          assert.equal(filled, Math.min(r, nodes.length))
          for (let j = 0; j < filled; j++) {
            const i = index[j] as number
            const w = fast.weightOf(i, Number(key >> 32n), Number(key & LOW_32))
            assert.equal(weight[j], w)
          }
        }
      }),
    )
  })
})

describe('shortSha256', () => {
  it('gives the first 8 bytes of node:crypto SHA-256 for messages of 0 to 13 words', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: SHORT_SHA256_MAX_WORDS }),
        (words) => {
          const bytes = Buffer.alloc(words.length * 4)
          for (const [i, word] of words.entries()) bytes.writeUInt32BE(word, i * 4)
          const out = new Uint32Array(2)
          shortSha256(words, words.length, out)
          assert.equal(join(out[0] as number, out[1] as number), ringIdOf(bytes))
        },
      ),
    )
  })

  it('refuses a message that does not fit one block', () => {
    assert.throws(() => shortSha256(new Array(14).fill(0), 14, new Uint32Array(2)), RangeError)
  })
})
