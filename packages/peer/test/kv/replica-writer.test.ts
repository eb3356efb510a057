import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { MessageType } from '@ringdht/protocol'
import { ringIdOf } from '@ringdht/ring'
import type { StoredRecord } from '@ringdht/store'
import type { RingNode } from '../../src/core/ring-node.js'
import { Counters } from '../../src/counters.js'
import { QuorumNotReachedError } from '../../src/errors.js'
import { replicaTargets } from '../../src/kv/replication/replica-set.js'
import { ReplicaWriter } from '../../src/kv/replication/replica-writer.js'
import { ringNodes, StubNeighbours, StubPool, silent } from '../stubs.js'

let n: RingNode[]
const at = (i: number): RingNode => n[i] as RingNode
const key = new TextEncoder().encode('k')
const record: StoredRecord = {
  key,
  position: ringIdOf(key),
  value: new TextEncoder().encode('v'),
  version: { timestamp: 1n << 16n, writer: 1n },
}

function writerWith(pool: StubPool, successors: RingNode[]) {
  const counters = new Counters()
  const events: string[] = []
  const writer = new ReplicaWriter(
    {
      neighbours: new StubNeighbours(at(0), successors),
      pool,
      counters,
      emit: (name) => {
        events.push(name)
      },
      logger: silent,
      lifetime: new AbortController().signal,
    },
    { replicas: 3, requestTimeoutMs: 1000 },
  )
  return { writer, counters, events }
}

describe('replication: the replica set and the write coordinator', () => {
  before(async () => {
    n = await ringNodes(5)
  })

  it('copies to the first r-1 distinct successors, fewer in a smaller ring', () => {
    const neighbours = new StubNeighbours(at(0), [at(1), at(1), at(2), at(3)])
    assert.deepEqual(
      replicaTargets(neighbours, 3).map((t) => t.key),
      [at(1).key, at(2).key],
    )
    assert.deepEqual(replicaTargets(new StubNeighbours(at(0), []), 3), [])
  })

  it('acknowledges once the quorum holds the record and sends replica copies (local, versioned)', async () => {
    const pool = new StubPool()
    const { writer, counters } = writerWith(pool, [at(1), at(2)])
    assert.equal(await writer.replicate(record, 2), 2)
    await writer.drain()
    assert.equal(pool.sent.length, 2)
    for (const { request } of pool.sent) {
      assert.equal(request.type, MessageType.PUT)
      assert.equal(request.local, true)
      assert.deepEqual(request.version, record.version)
    }
    assert.equal(counters.replicaWrites, 2)
  })

  it('reaches the quorum when one replica is down', async () => {
    const pool = new StubPool((node) => (node.key === at(1).key ? new Error('down') : {}))
    const { writer } = writerWith(pool, [at(1), at(2)])
    assert.equal(await writer.replicate(record, 2), 2)
  })

  it('fails with QuorumNotReachedError when too few replicas answer, counting and reporting it', async () => {
    const pool = new StubPool((node) =>
      node.key === at(1).key ? new Error('down') : { error: 11 },
    )
    const { writer, counters, events } = writerWith(pool, [at(1), at(2)])
    await assert.rejects(writer.replicate(record, 2), QuorumNotReachedError)
    assert.equal(counters.quorumFailures, 1)
    assert.deepEqual(events, ['quorum:failed'])
  })

  it('caps the quorum at the replica-set size of a small ring, and still copies with W = 1', async () => {
    const pool = new StubPool()
    const { writer } = writerWith(pool, [])
    assert.equal(await writer.replicate(record, 3), 1)
    const { writer: w1 } = writerWith(pool, [at(1), at(2)])
    assert.equal(await w1.replicate(record, 1), 1)
    await w1.drain()
    assert.equal(pool.sent.length, 2)
  })

  // issue 17: "sloppy quorum with hinted hand-off: when a replica is unreachable, the write
  // goes to the next member ... so W is met without waiting for failure detection"
  it('stands in the next members for replicas that fail, so the quorum is met (sloppy quorum)', async () => {
    const down = new Set([at(1).key, at(2).key])
    const pool = new StubPool((node) => (down.has(node.key) ? new Error('down') : {}))
    const { writer, counters } = writerWith(pool, [at(1), at(2), at(3), at(4)])
    assert.equal(await writer.replicate(record, 2), 2)
    await writer.drain()
    assert.deepEqual(
      pool.sent.map((s) => s.to),
      [at(1), at(2), at(3), at(4)].map((n) => n.key),
      'both stand-ins got the copy',
    )
    assert.equal(counters.hintedWrites, 2)
  })
})
