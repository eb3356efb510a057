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
      { successorListLength: 4, failureThreshold: 2, pingTimeoutMs: 100, rememberFailedMs: 1000 },
    )
    membership.setSuccessor(at(2))
    const join = new RingJoin(
      { membership, pool, nodes, counters, logger: silent },
      { bootstrap: [], maxHops: 8, requestTimeoutMs: 1000, pingTimeoutMs: 100 },
    )
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
})
