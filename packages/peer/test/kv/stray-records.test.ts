import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { MessageType } from '@ringdht/protocol'
import { inHalfOpenInterval, type RingId, ringIdOf } from '@ringdht/ring'
import { MemoryStore, type StoredRecord } from '@ringdht/store'
import { peerInfoOf, type RingNode, RingNodeCache } from '../../src/core/ring-node.js'
import { Counters } from '../../src/counters.js'
import type { ReplicaSync } from '../../src/kv/replication/replica-sync.js'
import { StrayRecords } from '../../src/kv/replication/stray-records.js'
import { ringNodes, StubNeighbours, StubPool, silent } from '../stubs.js'

let n: RingNode[]
const at = (i: number): RingNode => n[i] as RingNode

/** The successor of `position` among the six members. */
function ownerOf(position: RingId): RingNode {
  for (let i = 0; i < n.length; i++) {
    if (inHalfOpenInterval(position, at((i + n.length - 1) % n.length).id, at(i).id)) return at(i)
  }
  throw new Error('unreachable')
}

/** A key whose position lies in (from, to]. */
function keyIn(from: RingNode, to: RingNode): Uint8Array {
  for (let i = 0; ; i++) {
    const key = new TextEncoder().encode(`stray-${i}`)
    if (inHalfOpenInterval(ringIdOf(key), from.id, to.id)) return key
  }
}

// issue 17, partition-4-4: after the heal, the writes one side acknowledged sat on members
// that the merged ring no longer makes their replicas. Strays were pushed to the owner only
// once the ring had looked the same for two more anti-entropy passes (6–9 s in the fault
// suite), and the merged owner's quorum reads answered older copies until then.
describe('StrayRecords', () => {
  before(async () => {
    n = await ringNodes(6)
  })

  it('pushes a stray range to its owner and replicas on the first pass after the ring changed, and drops it only once the ring is stable', async () => {
    // self is n5; its r = 3 predecessors n4, n3, n2: it replicates (n2, n5], and a record
    // in (n0, n1] (owner n1, replicas n2 and n3) is a stray here
    const self = at(5)
    const neighbours = new StubNeighbours(self, [at(0), at(1), at(2)], at(4))
    const nodes = new RingNodeCache()
    for (const node of n) nodes.add(node)
    const pool = new StubPool((node) => {
      const i = n.findIndex((m) => m.key === node.key)
      return {
        peer: peerInfoOf(at((i + n.length - 1) % n.length)),
        peers: [1, 2, 3].map((d) => peerInfoOf(at((i + d) % n.length))),
      }
    })
    const pushes: Array<{ to: string; pull: boolean }> = []
    const sync = {
      async sync(target: RingNode, _start: RingId, _end: RingId, options: { pull: boolean }) {
        pushes.push({ to: target.key, pull: options.pull })
        return { pulled: 0, pushed: 1 }
      },
    } as unknown as ReplicaSync
    const store = new MemoryStore()
    const key = keyIn(at(0), at(1))
    const record: StoredRecord = {
      key,
      position: ringIdOf(key),
      value: new TextEncoder().encode('written on the other side'),
      version: { timestamp: 1n << 20n, writer: self.id },
    }
    await store.apply(record)
    const counters = new Counters()
    const strays = new StrayRecords(
      {
        neighbours,
        router: { findSuccessor: async (position) => ownerOf(position) },
        pool,
        nodes,
        sync,
        store,
        counters,
        emit: () => {},
        logger: silent,
      },
      { replicas: 3, requestTimeoutMs: 1000, maxRecordsPerPass: 1000 },
    )
    const signal = new AbortController().signal

    await strays.pass(signal)
    assert.deepEqual(
      pushes.map((p) => [p.to, p.pull]),
      [
        [at(1).key, false],
        [at(2).key, false],
        [at(3).key, false],
      ],
      'the first pass pushes the stray range to n1 and its replicas, push only',
    )
    assert.equal(await store.count(at(0).id, at(1).id), 1, 'kept: the ring has just changed')

    await strays.pass(signal)
    assert.equal(await store.count(at(0).id, at(1).id), 1, 'kept: stable for one pass only')
    await strays.pass(signal)
    assert.equal(await store.count(at(0).id, at(1).id), 0, 'dropped once the ring is stable')
    assert.equal(counters.strayRecordsDropped, 1)
    assert.ok(
      pool.sent.every((s) => s.request.type === MessageType.GET_SUCCESSOR_LIST),
      'only successor lists asked for besides the syncs',
    )
  })
})
