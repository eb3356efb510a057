import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { MessageType, requestWithDefaults } from '@ringdht/protocol'
import { RingJoin } from '../../src/core/join.js'
import { Membership } from '../../src/core/membership.js'
import { peerInfoOf, type RingNode, RingNodeCache } from '../../src/core/ring-node.js'
import { Counters } from '../../src/counters.js'
import { ringNodes, StubPool, silent } from '../stubs.js'

let n: RingNode[]
const at = (i: number): RingNode => n[i] as RingNode

/** n0's membership and join over `pool`, every node known. */
function memberAt0(pool: StubPool, failureThreshold: number) {
  const nodes = new RingNodeCache()
  for (const node of n) nodes.add(node)
  const counters = new Counters()
  const membership = new Membership(
    {
      self: at(0),
      pool,
      nodes,
      counters,
      logger: silent,
      emit: () => {},
      admits: () => true,
      onForgotten: () => {},
      onNeighboursChanged: () => {},
    },
    { successorListLength: 4, failureThreshold, pingTimeoutMs: 100, rememberFailedMs: 1000 },
  )
  const join = new RingJoin(
    { membership, pool, nodes, counters, logger: silent },
    { bootstrap: [], maxHops: 8, requestTimeoutMs: 1000, pingTimeoutMs: 100 },
  )
  return { membership, join, counters }
}

// issue 17: "two partitions of several members each merge back into one ring after the
// heal" — each half is a consistent ring, so stabilize alone never merges them
describe('RingJoin.mergeProbe', () => {
  before(async () => {
    n = await ringNodes(4)
  })

  it('adopts a closer successor that a member of the other ring names, and notifies it', async () => {
    // this member's ring is n0 → n2 → n0; n1 and n3 form the other ring, heard of earlier
    const pool = new StubPool((_node, request) => {
      if (request.type === MessageType.FIND_SUCCESSOR) return { peer: peerInfoOf(at(1)) }
      return {}
    })
    const { membership, join, counters } = memberAt0(pool, 2)
    membership.setSuccessor(at(2))
    const signal = new AbortController().signal
    // n3 (our predecessor) is a neighbour; n1 is the one member heard of that is not
    membership.handleNotify(
      requestWithDefaults({ type: MessageType.NOTIFY, sender: peerInfoOf(at(3)) }),
    )
    pool.sent.length = 0
    await join.mergeProbe(signal, false)
    assert.equal(membership.successor.key, at(1).key, 'n1 lies between n0 and n2: adopted')
    assert.ok(pool.sent.some((s) => s.to === at(1).key && s.request.type === MessageType.NOTIFY))
    assert.equal(counters.merges, 1)
    // a probe that names our own successor changes nothing
    await join.mergeProbe(signal, false)
    assert.equal(counters.merges, 1)
  })

  // partition-4-4: only the member at the end of each arc can find the other ring, and
  // a random member heard of, asked every fifth stabilize period, found it 0.2–1.2 s late
  it('asks a successor lost to failures for our successor, and forgets it once it answers', async () => {
    const pool = new StubPool((node, request) => {
      if (node.key !== at(1).key) return new Error('not asked')
      if (request.type === MessageType.FIND_SUCCESSOR) return { peer: peerInfoOf(at(1)) }
      return {}
    })
    const { membership, join, counters } = memberAt0(pool, 1)
    membership.setSuccessor(at(1))
    membership.handleNotify(
      requestWithDefaults({ type: MessageType.NOTIFY, sender: peerInfoOf(at(2)) }),
    )
    // the partition: n1 stops answering and is dropped; n2 is all that is left
    membership.reportFailure(at(1))
    assert.notEqual(membership.successor.key, at(1).key)
    const signal = new AbortController().signal
    pool.sent.length = 0
    // the heal: n1 answers, and names itself, closer than n2
    await join.probeLostSuccessor(signal, false)
    assert.equal(pool.sent[0]?.to, at(1).key, 'the lost successor is asked first')
    assert.equal(membership.successor.key, at(1).key, 'merged')
    assert.equal(counters.merges, 1)
    pool.sent.length = 0
    await join.probeLostSuccessor(signal, false)
    assert.equal(pool.sent.length, 0, 'answered: no longer looked for')
  })
})
