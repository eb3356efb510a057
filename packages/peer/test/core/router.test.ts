import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { MessageType, requestWithDefaults } from '@ringdht/protocol'
import { ringAdd } from '@ringdht/ring'
import { type RingNode, RingNodeCache } from '../../src/core/ring-node.js'
import { Router } from '../../src/core/router.js'
import { Counters } from '../../src/counters.js'
import {
  HopLimitExceededError,
  NotReadyError,
  OutcomeUnknownError,
  PeerUnreachableError,
  RequestTimeoutError,
} from '../../src/errors.js'
import { ringNodes, StubNeighbours, StubPool } from '../stubs.js'

/** Nodes n0 < n1 < ... < n5 in ring order; the router under test runs on n0. */
let n: RingNode[]
const at = (i: number): RingNode => n[i] as RingNode
/** A position in (n[i-1], n[i]]: owned by n[i]. */
const ownedBy = (i: number) => ringAdd(at(i - 1).id, 1n)

function routerOn(neighbours: StubNeighbours, pool = new StubPool()) {
  const counters = new Counters()
  const router = new Router(
    { neighbours, pool, nodes: new RingNodeCache(), counters },
    { maxHops: 8, requestTimeoutMs: 1000 },
  )
  return { router, pool, counters }
}

const getRequest = (
  fields: Parameters<typeof requestWithDefaults>[0] = { type: MessageType.GET },
) => requestWithDefaults({ maxHops: 8, ...fields })

describe('Router.nextHop', () => {
  before(async () => {
    n = await ringNodes(6)
  })

  it('serves a position this member owns, and everything when alone', () => {
    const { router } = routerOn(new StubNeighbours(at(1), [at(2)], at(0)))
    assert.equal(router.nextHop(ownedBy(1), false), 'self')
    const { router: lone } = routerOn(new StubNeighbours(at(1), []))
    assert.equal(lone.nextHop(ownedBy(4), false), 'self')
  })

  // found by the fault suite: a member whose every neighbour stopped answering (an
  // overloaded host) took itself for a ring of one and answered a key of another
  // member's range from its own store: absent, though acknowledged
  it('serves nothing as owner when it is alone because it was cut off', () => {
    const neighbours = new StubNeighbours(at(1), [])
    neighbours.cutOff = true
    const { router } = routerOn(neighbours)
    assert.equal(router.nextHop(ownedBy(4), false), 'unsure')
    assert.equal(router.nextHop(ownedBy(1), true), 'unsure')
  })

  it('sends a position its successor owns straight to the successor, as its owner', () => {
    const { router } = routerOn(new StubNeighbours(at(1), [at(2), at(3)], at(0)))
    assert.deepEqual(router.nextHop(ownedBy(2), false), { node: at(2), toOwner: true })
  })

  it('sends a farther position to the closest preceding node it knows, not as owner', () => {
    const neighbours = new StubNeighbours(at(1), [at(2)], at(0))
    neighbours.fingers = [at(2), at(3), at(4)]
    const { router } = routerOn(neighbours)
    assert.deepEqual(router.nextHop(ownedBy(5), false), { node: at(4), toOwner: false })
  })

  it('hands a request meant for its owner back to a predecessor that joined in between', () => {
    const { router } = routerOn(new StubNeighbours(at(2), [at(3)], at(1)))
    // the sender thought n2 owns a position of n1's range
    assert.deepEqual(router.nextHop(ownedBy(1), true), { node: at(1), toOwner: true })
    // ... unless that predecessor is known to be unreachable: n2 holds its replica, and
    // serves it, but not as its owner (its copy alone may miss a write)
    assert.equal(router.nextHop(ownedBy(1), true, new Set([at(1).key])), 'unsure')
  })

  // issue 17, cause 2: a member that had just rejoined answered as owner while its
  // predecessor (so its range) was still unknown
  it('does not serve as owner while its own range is unknown, and refuses when it never knew it', () => {
    const { router } = routerOn(new StubNeighbours(at(2), [at(3)]))
    assert.equal(router.nextHop(ownedBy(1), true), 'unknown')
    assert.equal(router.nextHop(ownedBy(2), true), 'unknown')
  })

  it('with its predecessor dropped, serves what is sent to it as owner, not as owner', () => {
    const neighbours = new StubNeighbours(at(3), [at(4), at(5)])
    neighbours.formerPredecessor = at(2)
    const { router } = routerOn(neighbours)
    assert.equal(router.nextHop(ownedBy(3), true), 'unsure', 'its own range')
    assert.equal(router.nextHop(ownedBy(2), true), 'unsure', "the dropped member's range")
  })

  it('tells the key service it serves as unsure, and refuses when it never knew its range', async () => {
    const neighbours = new StubNeighbours(at(2), [at(3)])
    const { router } = routerOn(neighbours)
    const seen: string[] = []
    const serve = async (authority: string) => {
      seen.push(authority)
      return {}
    }
    const get = getRequest({ type: MessageType.GET, toOwner: true })
    await assert.rejects(router.route(get, ownedBy(2), undefined, serve), NotReadyError)
    assert.deepEqual(seen, [], 'nothing served')
    neighbours.formerPredecessor = at(1)
    await router.route(get, ownedBy(2), undefined, serve)
    assert.deepEqual(seen, ['unsure'])
  })

  it('skips excluded successors', () => {
    const { router } = routerOn(new StubNeighbours(at(1), [at(2), at(3)], at(0)))
    assert.deepEqual(router.nextHop(ownedBy(3), false, new Set([at(2).key])), {
      node: at(3),
      toOwner: true,
    })
  })
})

describe('Router.route', () => {
  before(async () => {
    n = await ringNodes(6)
  })

  it('serves locally without sending anything when this member owns the position', async () => {
    const { router, pool } = routerOn(new StubNeighbours(at(1), [at(2)], at(0)))
    const answer = await router.route(getRequest(), ownedBy(1), undefined, async () => ({
      hops: 0,
      message: 'local',
    }))
    assert.equal(answer.message, 'local')
    assert.equal(pool.sent.length, 0)
  })

  it('forwards one hop further, adds itself to a traced path, and counts the forward', async () => {
    const { router, pool, counters } = routerOn(new StubNeighbours(at(1), [at(2)], at(0)))
    pool.answer = () => ({ message: 'remote' })
    const answer = await router.route(
      getRequest({ type: MessageType.GET, trace: true }),
      ownedBy(2),
      undefined,
      async () => ({}),
    )
    assert.equal(answer.message, 'remote')
    assert.equal(pool.sent.length, 1)
    const sent = pool.sent[0]
    assert.equal(sent?.to, at(2).key)
    assert.equal(sent?.request.hops, 1)
    assert.equal(sent?.request.toOwner, true)
    assert.deepEqual(sent?.request.path, [at(1).key])
    assert.equal(counters.forwarded, 1)
  })

  it('routes around a member that cannot be reached and reports it', async () => {
    const neighbours = new StubNeighbours(at(1), [at(2), at(3)], at(0))
    const { router, pool, counters } = routerOn(neighbours)
    pool.answer = (node) =>
      node.key === at(2).key ? new PeerUnreachableError('down') : { message: `from ${node.key}` }
    const answer = await router.route(
      getRequest({ type: MessageType.PUT }),
      ownedBy(3),
      undefined,
      async () => ({}),
    )
    assert.equal(answer.message, `from ${at(3).key}`)
    assert.deepEqual(neighbours.failures, [at(2).key])
    assert.equal(counters.routeFailures, 1)
  })

  it('does not send a write elsewhere when the connection dropped after it went out', async () => {
    const neighbours = new StubNeighbours(at(1), [at(2), at(3)], at(0))
    const { router, pool } = routerOn(neighbours)
    const asked: string[] = []
    pool.answer = (node) => {
      asked.push(node.key)
      return new PeerUnreachableError('stream closed', { mayHaveArrived: true })
    }
    await assert.rejects(
      router.route(getRequest({ type: MessageType.PUT }), ownedBy(3), undefined, async () => ({})),
      // not "unreachable": over the wire that would let the caller resend it
      OutcomeUnknownError,
    )
    assert.deepEqual(asked, [at(2).key], 'it may have been applied: one attempt only')
  })

  it('asks the fallback when the owner times out, and does not retry elsewhere', async () => {
    const { router, pool } = routerOn(new StubNeighbours(at(1), [at(2), at(3)], at(0)))
    pool.answer = () => new RequestTimeoutError('slow')
    const asked: string[] = []
    const answer = await router.route(
      getRequest(),
      ownedBy(2),
      undefined,
      async () => ({}),
      async (owner) => {
        asked.push(owner.key)
        return { message: 'from the replicas' }
      },
    )
    assert.equal(answer.message, 'from the replicas')
    assert.deepEqual(asked, [at(2).key])
    assert.equal(pool.sent.length, 1)
    // without a fallback, the timeout reaches the caller
    await assert.rejects(
      router.route(getRequest(), ownedBy(2), undefined, async () => ({})),
      RequestTimeoutError,
    )
  })

  it('refuses to forward a request that has reached its hop limit', async () => {
    const { router, pool } = routerOn(new StubNeighbours(at(1), [at(2)], at(0)))
    await assert.rejects(
      router.route(
        getRequest({ type: MessageType.GET, hops: 8 }),
        ownedBy(2),
        undefined,
        async () => ({}),
      ),
      HopLimitExceededError,
    )
    assert.equal(pool.sent.length, 0)
  })

  it('answers find_successor from its successor list without forwarding', async () => {
    const { router, pool } = routerOn(new StubNeighbours(at(1), [at(2)], at(0)))
    const answer = await router.handleFindSuccessor(
      getRequest({ type: MessageType.FIND_SUCCESSOR, target: ownedBy(2) }),
      new AbortController().signal,
    )
    assert.equal(answer.peer?.peerId, at(2).key)
    assert.equal(pool.sent.length, 0)
  })
})
