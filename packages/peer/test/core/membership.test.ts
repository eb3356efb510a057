import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { MessageType, requestWithDefaults } from '@ringdht/protocol'
import { Membership } from '../../src/core/membership.js'
import { peerInfoOf, type RingNode, RingNodeCache } from '../../src/core/ring-node.js'
import { Counters } from '../../src/counters.js'
import type { PeerEventMap, PeerEventName } from '../../src/events.js'
import { ringNodes, StubPool, silent } from '../stubs.js'

let n: RingNode[]
const at = (i: number): RingNode => n[i] as RingNode

function membershipOf(
  self: RingNode,
  pool = new StubPool(),
  failureThreshold = 2,
  refused: ReadonlySet<string> = new Set(),
) {
  const events: Array<{ name: PeerEventName; detail: unknown }> = []
  let changes = 0
  const counters = new Counters()
  const nodes = new RingNodeCache()
  for (const node of n) nodes.add(node)
  const membership = new Membership(
    {
      self,
      pool,
      nodes,
      counters,
      logger: silent,
      emit: <K extends PeerEventName>(name: K, detail: PeerEventMap[K]) => {
        events.push({ name, detail })
      },
      onNeighboursChanged: () => {
        changes++
      },
      admits: (peer) => !refused.has(peer),
      onForgotten: () => {},
    },
    { successorListLength: 4, failureThreshold, pingTimeoutMs: 100, rememberFailedMs: 60_000 },
  )
  return { membership, events, counters, pool, changes: () => changes }
}

const notifyFrom = (node: RingNode) =>
  requestWithDefaults({ type: MessageType.NOTIFY, sender: peerInfoOf(node) })

describe('Membership', () => {
  before(async () => {
    n = await ringNodes(6)
  })

  it('starts alone, owning the whole ring', () => {
    const { membership } = membershipOf(at(2))
    assert.equal(membership.alone, true)
    assert.equal(membership.owns(at(4).id), true)
  })

  it('adopts a notifier as predecessor only when it is closer, and tells the owner', () => {
    const { membership, events, changes } = membershipOf(at(3))
    membership.setSuccessor(at(4))
    membership.handleNotify(notifyFrom(at(1)))
    assert.equal(membership.predecessor?.key, at(1).key)
    membership.handleNotify(notifyFrom(at(2)))
    assert.equal(membership.predecessor?.key, at(2).key, 'n2 lies between n1 and n3')
    membership.handleNotify(notifyFrom(at(1)))
    assert.equal(membership.predecessor?.key, at(2).key, 'n1 is farther back than n2')
    assert.equal(events.filter((e) => e.name === 'predecessor:changed').length, 2)
    assert.ok(changes() >= 3, 'successor and two predecessor changes reach the owner')
    assert.equal(membership.owns(at(3).id), true)
    assert.equal(membership.owns(at(2).id), false)
  })

  it('takes the predecessor a joiner learned from its successor, under the notify rule', () => {
    const { membership, events } = membershipOf(at(3), new StubPool(), 2, new Set([at(0).key]))
    membership.setSuccessor(at(4))
    assert.equal(membership.owns(at(3).id), undefined, 'range unknown before')
    membership.considerPredecessor(at(1))
    assert.equal(membership.predecessor?.key, at(1).key)
    assert.equal(membership.owns(at(2).id), true, 'its range is known from the start')
    membership.considerPredecessor(at(0))
    assert.equal(membership.predecessor?.key, at(1).key, 'a member not admitted is not taken')
    membership.considerPredecessor(at(3))
    assert.equal(membership.predecessor?.key, at(1).key, 'never itself')
    membership.handleNotify(notifyFrom(at(2)))
    assert.equal(membership.predecessor?.key, at(2).key, 'a closer notifier still wins')
    assert.equal(events.filter((e) => e.name === 'predecessor:changed').length, 2)
  })

  it('learns of the ring from the first member that notifies a lone member', () => {
    const { membership } = membershipOf(at(0))
    assert.equal(membership.cutOff, false, 'a ring of one is not cut off')
    membership.handleNotify(notifyFrom(at(5)))
    assert.equal(membership.alone, false)
    assert.equal(membership.successor.key, at(5).key)
  })

  it('drops a successor after failureThreshold failures in a row, not before, and counts it', () => {
    const { membership, events, counters } = membershipOf(at(1), new StubPool(), 2)
    membership.setSuccessor(at(2))
    membership.reportFailure(at(2))
    assert.equal(membership.successor.key, at(2).key)
    membership.reportSuccess(at(2))
    membership.reportFailure(at(2))
    assert.equal(membership.successor.key, at(2).key, 'a success in between resets the count')
    membership.reportFailure(at(2))
    assert.equal(membership.alone, true)
    // alone through failures: cut off, not a ring of one; a new successor ends that
    assert.equal(membership.cutOff, true)
    assert.equal(counters.failuresDetected, 1)
    const left = events.filter((e) => e.name === 'peer:left').map((e) => e.detail)
    assert.equal(left.length, 1)
    const detail = left[0] as PeerEventMap['peer:left']
    assert.deepEqual(
      [detail.peer.peerId, detail.role, detail.reason],
      [at(2).key, 'successor', 'failed'],
    )
  })

  it('closes the gap at once when a neighbour leaves, with what it said', () => {
    const { membership, counters } = membershipOf(at(2))
    membership.setSuccessor(at(3))
    membership.handleNotify(notifyFrom(at(1)))
    membership.handleLeave(
      requestWithDefaults({
        type: MessageType.LEAVE,
        sender: peerInfoOf(at(3)),
        successors: [peerInfoOf(at(4)), peerInfoOf(at(5))],
        predecessor: peerInfoOf(at(2)),
      }),
    )
    assert.deepEqual(
      membership.successors.map((s) => s.key),
      [at(4).key, at(5).key],
    )
    membership.handleLeave(
      requestWithDefaults({
        type: MessageType.LEAVE,
        sender: peerInfoOf(at(1)),
        successors: [],
        predecessor: peerInfoOf(at(0)),
      }),
    )
    assert.equal(membership.predecessor?.key, at(0).key)
    assert.equal(counters.leavesReceived, 2)
  })

  it("stabilize adopts the successor's predecessor when it lies in between, then notifies it", async () => {
    const pool = new StubPool((node, request) => {
      if (request.type === MessageType.GET_SUCCESSOR_LIST && node.key === at(4).key) {
        return { peer: peerInfoOf(at(3)), peers: [peerInfoOf(at(5))] }
      }
      return {}
    })
    const { membership } = membershipOf(at(2), pool)
    membership.setSuccessor(at(4))
    await membership.stabilize(new AbortController().signal)
    assert.equal(membership.successor.key, at(3).key)
    const notified = pool.sent.filter((s) => s.request.type === MessageType.NOTIFY).map((s) => s.to)
    assert.deepEqual(notified, [at(3).key])
  })

  it('never adopts a peer that may not be a member, however it is offered', async () => {
    const refused = new Set([at(3).key])
    const pool = new StubPool((_node, request) =>
      request.type === MessageType.GET_SUCCESSOR_LIST
        ? { peer: peerInfoOf(at(3)), peers: [peerInfoOf(at(3)), peerInfoOf(at(5))] }
        : {},
    )
    const { membership } = membershipOf(at(2), pool, 2, refused)
    membership.handleNotify(notifyFrom(at(3)))
    assert.equal(membership.alone, true, 'a refused notifier is not adopted')
    membership.setSuccessor(at(4))
    await membership.stabilize(new AbortController().signal)
    assert.ok(membership.successors.every((s) => s.key !== at(3).key))
  })

  it('stabilize counts an unanswered successor as a failure', async () => {
    const pool = new StubPool(() => new Error('no answer'))
    const { membership } = membershipOf(at(2), pool, 1)
    membership.setSuccessor(at(4))
    await membership.stabilize(new AbortController().signal)
    assert.equal(membership.alone, true)
  })

  // issue 17, cause 3: the predecessor of a killed member re-adopted it from its new
  // successor's list (which still named it) and dropped it again, 10 times in 20 s
  it('does not re-adopt a failed successor from a neighbour that still lists it, until it answers', async () => {
    let n2Alive = true
    const pool = new StubPool((node, request) => {
      if (node.key === at(2).key) {
        if (!n2Alive) return new Error('connection refused')
        return request.type === MessageType.GET_SUCCESSOR_LIST
          ? { peer: peerInfoOf(at(1)), peers: [peerInfoOf(at(3)), peerInfoOf(at(4))] }
          : {}
      }
      if (request.type === MessageType.GET_SUCCESSOR_LIST) {
        // n3 has not noticed yet: it still names n2 as its predecessor
        return { peer: peerInfoOf(at(2)), peers: [peerInfoOf(at(3)), peerInfoOf(at(4))] }
      }
      return {}
    })
    const { membership, events } = membershipOf(at(1), pool, 2)
    membership.setSuccessor(at(2))
    const signal = new AbortController().signal
    await membership.stabilize(signal)
    assert.deepEqual(
      membership.successors.map((s) => s.key),
      [at(2), at(3), at(4)].map((s) => s.key),
    )
    n2Alive = false
    await membership.stabilize(signal)
    await membership.stabilize(signal)
    assert.equal(membership.successor.key, at(3).key, 'n2 dropped after two failures')
    for (let i = 0; i < 5; i++) {
      await membership.stabilize(signal)
      assert.equal(membership.successor.key, at(3).key, `stabilize ${i} did not re-adopt n2`)
    }
    const left = events.filter((e) => e.name === 'peer:left').length
    assert.equal(left, 1, 'n2 was dropped once, not again and again')
    // n2 comes back: a probe sees it answer, and the next stabilize adopts it
    n2Alive = true
    await membership.stabilize(signal)
    await new Promise<void>((resolve) => setImmediate(resolve))
    await membership.stabilize(signal)
    assert.equal(membership.successor.key, at(2).key, 'n2 adopted again once it answered')
  })
})
