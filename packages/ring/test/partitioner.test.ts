import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import {
  ConsistentHashing,
  createPartitioner,
  EmptyRingError,
  keyPosition,
  type Partitioner,
  type PartitionerInit,
  RendezvousHashing,
  type RingId,
  rendezvousWeight,
  ringIdOf,
  SortedRing,
  virtualNodePositions,
} from '../src/index.js'
import { nodeIdsArb, ringIdArb } from './arbitraries.js'

const CONFIGS: readonly PartitionerInit[] = [
  { kind: 'chord', virtualNodes: 1 },
  { kind: 'chord', virtualNodes: 4 },
  { kind: 'rendezvous' },
]
const label = (c: PartitionerInit) => `${c.kind} V=${c.virtualNodes ?? 1}`
const keysArb = fc.array(ringIdArb, { minLength: 1, maxLength: 40 })

function ownersOf(p: Partitioner, keys: readonly RingId[]): RingId[] {
  return keys.map((k) => p.ownerOf(k))
}

for (const config of CONFIGS) {
  describe(`partitioner ${label(config)}`, () => {
    it('moves only the removed node’s keys when a node leaves', () => {
      fc.assert(
        fc.property(nodeIdsArb(2, 16), keysArb, fc.nat(), (nodes, keys, pick) => {
          const p = createPartitioner({ ...config, nodes })
          const before = ownersOf(p, keys)
          const leaving = nodes[pick % nodes.length] as RingId
          assert.ok(p.removeNode(leaving))
          const after = ownersOf(p, keys)
          keys.forEach((key, i) => {
            if (before[i] === leaving) assert.notEqual(after[i], leaving, `key ${key}`)
            else assert.equal(after[i], before[i], `key ${key} moved off ${before[i]}`)
          })
        }),
      )
    })

    it('moves keys only onto the new node when a node joins', () => {
      fc.assert(
        fc.property(nodeIdsArb(2, 16), keysArb, (ids, keys) => {
          const [joining, ...nodes] = ids as [RingId, ...RingId[]]
          const p = createPartitioner({ ...config, nodes })
          const before = ownersOf(p, keys)
          assert.ok(p.addNode(joining))
          const after = ownersOf(p, keys)
          keys.forEach((key, i) => {
            assert.ok(after[i] === before[i] || after[i] === joining, `key ${key} moved elsewhere`)
          })
        }),
      )
    })

    it('gives distinct replicas, owner first, all nodes when asked for more', () => {
      fc.assert(
        fc.property(nodeIdsArb(1, 12), keysArb, fc.nat(15), (nodes, keys, r) => {
          const p = createPartitioner({ ...config, nodes })
          for (const key of keys) {
            const replicas = p.replicasOf(key, r)
            assert.equal(replicas.length, Math.min(r, nodes.length), `count for ${key}`)
            assert.equal(new Set(replicas).size, replicas.length, `distinct for ${key}`)
            for (const node of replicas) assert.ok(nodes.includes(node), `member ${node}`)
            if (r > 0) assert.equal(replicas[0], p.ownerOf(key), `owner first for ${key}`)
            if (r >= nodes.length) assert.deepEqual(new Set(replicas), new Set(nodes))
          }
        }),
      )
    })

    it('replaces a leaving replica with the next in line, keeping the order', () => {
      fc.assert(
        fc.property(nodeIdsArb(2, 12), keysArb, fc.nat(), fc.nat(5), (nodes, keys, pick, r) => {
          const p = createPartitioner({ ...config, nodes })
          const longer = keys.map((k) => p.replicasOf(k, r + 1))
          const leaving = nodes[pick % nodes.length] as RingId
          p.removeNode(leaving)
          keys.forEach((key, i) => {
            const expected = (longer[i] ?? []).filter((n) => n !== leaving).slice(0, r)
            assert.deepEqual(p.replicasOf(key, r), expected, `replicas of ${key}`)
          })
        }),
      )
    })

    it('depends only on the set of nodes, not the order they came in', () => {
      fc.assert(
        fc.property(nodeIdsArb(1, 12), keysArb, (nodes, keys) => {
          const bulk = createPartitioner({ ...config, nodes })
          const oneByOne = createPartitioner({ ...config })
          for (const node of [...nodes].reverse()) oneByOne.addNode(node)
          oneByOne.addNode(ringIdOf('transient'))
          oneByOne.removeNode(ringIdOf('transient'))
          assert.deepEqual(oneByOne.nodes(), bulk.nodes())
          for (const key of keys) {
            assert.deepEqual(oneByOne.replicasOf(key, 3), bulk.replicasOf(key, 3), `key ${key}`)
          }
        }),
      )
    })

    it('tracks membership and refuses an empty ring and bad arguments', () => {
      const p = createPartitioner({ ...config })
      assert.equal(p.size, 0)
      assert.throws(() => p.ownerOf('k'), EmptyRingError)
      assert.deepEqual(p.replicasOf('k', 3), [])
      assert.equal(p.addNode(7n), true)
      assert.equal(p.addNode(7n), false)
      assert.equal(p.has(7n), true)
      assert.equal(p.ownerOf('anything'), 7n)
      assert.throws(() => p.replicasOf('k', -1), RangeError)
      assert.throws(() => p.addNode(-1n), RangeError)
      assert.throws(() => p.ownerOf(1n << 64n), RangeError)
      assert.equal(p.removeNode(7n), true)
      assert.equal(p.removeNode(7n), false)
      assert.equal(p.size, 0)
    })
  })
}

describe('consistent hashing', () => {
  it('with one virtual node, owns and replicates exactly as the Chord ring does', () => {
    fc.assert(
      fc.property(nodeIdsArb(1, 20), keysArb, fc.nat(6), (nodes, keys, r) => {
        const p = new ConsistentHashing({ nodes })
        const ring = new SortedRing(nodes)
        for (const key of keys) {
          assert.equal(p.ownerOf(key), ring.successor(key), `owner of ${key}`)
          assert.deepEqual(p.replicasOf(key, r), ring.successors(key, r), `replicas of ${key}`)
        }
      }),
    )
  })

  it('places virtual node 0 at the node id and the rest by hash(id ‖ index)', () => {
    const id = ringIdOf('peer')
    const positions = virtualNodePositions(id, 4)
    assert.equal(positions[0], id)
    const input = Buffer.alloc(12)
    input.writeBigUInt64BE(id, 0)
    input.writeUInt32BE(3, 8)
    assert.equal(positions[3], ringIdOf(input))
    assert.equal(new Set(positions).size, 4)
    const p = new ConsistentHashing({ virtualNodes: 4, nodes: [id, ringIdOf('other')] })
    assert.equal(p.positions().length, 8)
    for (const position of positions) assert.equal(p.ownerOf(position), id, `at ${position}`)
    assert.throws(() => new ConsistentHashing({ virtualNodes: 0 }), RangeError)
  })
})

describe('rendezvous hashing', () => {
  it('ranks nodes by weight, highest first', () => {
    fc.assert(
      fc.property(nodeIdsArb(1, 16), keysArb, (nodes, keys) => {
        const p = new RendezvousHashing({ nodes })
        for (const key of keys) {
          const expected = [...nodes].sort(
            (a, b) => rendezvousWeight(b, key) - rendezvousWeight(a, key) || (a < b ? 1 : -1),
          )
          assert.deepEqual(p.replicasOf(key, nodes.length), expected, `ranking for ${key}`)
          assert.equal(p.ownerOf(key), expected[0], `owner of ${key}`)
        }
      }),
    )
  })

  it('ranks many nodes the same way through its short-list and sort paths', () => {
    const nodes = Array.from({ length: 150 }, (_, i) => ringIdOf(`node-${i}`))
    const p = new RendezvousHashing({ nodes })
    for (let k = 0; k < 20; k++) {
      const all = p.replicasOf(`key-${k}`, 150)
      assert.deepEqual(p.replicasOf(`key-${k}`, 10), all.slice(0, 10), `key-${k}`)
    }
  })

  it('weighs with integers in [0, 2^53) that spread keys evenly', () => {
    const nodes = Array.from({ length: 10 }, (_, i) => ringIdOf(`node-${i}`))
    const p = new RendezvousHashing({ nodes })
    const counts = new Map<RingId, number>()
    for (let k = 0; k < 20_000; k++) {
      const owner = p.ownerOf(`key-${k}`)
      counts.set(owner, (counts.get(owner) ?? 0) + 1)
      const w = rendezvousWeight(owner, keyPosition(`key-${k}`))
      assert.ok(Number.isSafeInteger(w) && w >= 0, `weight ${w}`)
    }
    // 2,000 expected per node; 5 standard deviations is about ±210
    for (const node of nodes) {
      const count = counts.get(node) ?? 0
      assert.ok(Math.abs(count - 2000) < 250, `node ${node} owns ${count}`)
    }
  })
})

describe('createPartitioner', () => {
  it('builds the kind asked for and checks its options once', () => {
    assert.ok(createPartitioner() instanceof ConsistentHashing)
    assert.ok(createPartitioner({ kind: 'rendezvous' }) instanceof RendezvousHashing)
    assert.throws(() => createPartitioner({ kind: 'rendezvous', virtualNodes: 8 }), RangeError)
    // @ts-expect-error an unknown kind from untyped configuration
    assert.throws(() => createPartitioner({ kind: 'kademlia' }), RangeError)
  })

  it('hashes string and byte keys alike and takes a bigint as a position', () => {
    const p = createPartitioner({ nodes: [1n, 1n << 63n] })
    assert.equal(p.ownerOf('key'), p.ownerOf(new TextEncoder().encode('key')))
    assert.equal(p.ownerOf('key'), p.ownerOf(ringIdOf('key')))
    assert.equal(keyPosition(5n), 5n)
  })
})
