import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { ErrorCode, MessageType, type Response, requestWithDefaults } from '@ringdht/protocol'
import { ringAdd } from '@ringdht/ring'
import { peerInfoOf, type RingNode, RingNodeCache } from '../../src/core/ring-node.js'
import { Router } from '../../src/core/router.js'
import { Counters } from '../../src/counters.js'
import { PeerUnreachableError, RequestTimeoutError } from '../../src/errors.js'
import { ringNodes, StubNeighbours, StubPool } from '../stubs.js'

/** Nodes n0 < n1 < ... < n5 in ring order; the router under test runs on n0. */
let n: RingNode[]
const at = (i: number): RingNode => n[i] as RingNode
/** A position in (n[i-1], n[i]]: owned by n[i]. */
const ownedBy = (i: number) => ringAdd(at(i - 1).id, 1n)
/** What an owner adds to its answer to a forwarded request. */
const servedBy = (i: number, after = i - 1): Partial<Response> => ({
  servedBy: peerInfoOf(at(i)),
  ownerAfter: at(after).id,
})

function routerOn0(admits?: (peer: string) => boolean) {
  const neighbours = new StubNeighbours(at(0), [at(1)], at(5))
  neighbours.fingers = [at(1), at(2)]
  const pool = new StubPool()
  const counters = new Counters()
  const router = new Router(
    { neighbours, pool, nodes: new RingNodeCache(), counters, ...(admits ? { admits } : {}) },
    { maxHops: 8, requestTimeoutMs: 1000 },
  )
  return { router, pool, counters, neighbours }
}

const get = () => requestWithDefaults({ type: MessageType.GET, maxHops: 8 })
const serveNothing = async () => ({})

describe('Router owner cache', () => {
  before(async () => {
    n = await ringNodes(6)
  })

  it('learns the owner an answer names and sends the next request for its range straight to it', async () => {
    const { router, pool, counters } = routerOn0()
    pool.answer = (node) => ({ hops: node.key === at(4).key ? 1 : 2, ...servedBy(4) })
    await router.route(get(), ownedBy(4), undefined, serveNothing)
    assert.equal(pool.sent[0]?.to, at(2).key, 'first along the fingers')
    const answer = await router.route(get(), ownedBy(4), undefined, serveNothing)
    assert.equal(answer.hops, 1)
    assert.equal(pool.sent[1]?.to, at(4).key, 'then straight to the owner')
    assert.equal(pool.sent[1]?.request.toOwner, true, 'which checks that it owns the key')
    assert.equal(counters.ownerCacheHits, 1)
    // a position outside the cached range (n3, n4] still goes along the fingers
    await router.route(get(), ownedBy(3), undefined, serveNothing)
    assert.equal(pool.sent[2]?.to, at(2).key)
  })

  it('learns from find_successor answers too', async () => {
    const { router, pool } = routerOn0()
    pool.answer = () => ({ peer: peerInfoOf(at(4)), ownerAfter: at(3).id })
    await router.findSuccessor(ownedBy(4))
    assert.equal(router.owners.ownerOf(ownedBy(4))?.key, at(4).key)
  })

  it('drops a stale entry when the answer names another owner, and keeps the new one', async () => {
    const { router, pool, counters } = routerOn0()
    // cached while n3 was unknown: n4 owned (n2, n4]
    router.owners.learn(at(4), at(2).id)
    // n3 joined: n4 hands the request back to it, and the answer names n3
    pool.answer = () => ({ hops: 2, ...servedBy(3) })
    const answer = await router.route(get(), ownedBy(3), undefined, serveNothing)
    assert.equal(answer.hops, 2)
    assert.equal(pool.sent[0]?.to, at(4).key)
    assert.equal(counters.ownerCacheStale, 1)
    assert.equal(router.owners.ownerOf(ownedBy(4)), undefined, "n4's old range is gone")
    assert.equal(router.owners.ownerOf(ownedBy(3))?.key, at(3).key)
  })

  it('forgets a cached owner that cannot be reached and routes as usual', async () => {
    const { router, pool, counters } = routerOn0()
    router.owners.learn(at(4), at(3).id)
    pool.answer = (node) =>
      node.key === at(4).key ? new PeerUnreachableError('gone') : { hops: 2, message: 'ring' }
    const answer = await router.route(get(), ownedBy(4), undefined, serveNothing)
    assert.equal(answer.message, 'ring')
    assert.deepEqual(
      pool.sent.map((s) => s.to),
      [at(4).key, at(2).key],
    )
    assert.equal(router.owners.size, 0)
    assert.equal(counters.ownerCacheStale, 1)
  })

  it('a get whose cached owner timed out is routed as usual; a write is not resent', async () => {
    const { router, pool } = routerOn0()
    router.owners.learn(at(4), at(3).id)
    pool.answer = (node) =>
      node.key === at(4).key ? new RequestTimeoutError('slow') : { hops: 2, message: 'ring' }
    const answer = await router.route(get(), ownedBy(4), undefined, serveNothing)
    assert.equal(answer.message, 'ring')
    assert.equal(router.owners.size, 0)
    router.owners.learn(at(4), at(3).id)
    pool.sent.length = 0
    const put = requestWithDefaults({ type: MessageType.PUT, maxHops: 8 })
    await assert.rejects(
      router.route(put, ownedBy(4), undefined, serveNothing),
      RequestTimeoutError,
    )
    assert.deepEqual(
      pool.sent.map((s) => s.to),
      [at(4).key],
    )
  })

  it('routes as usual when the cached owner does not know its range yet', async () => {
    const { router, pool } = routerOn0()
    router.owners.learn(at(4), at(3).id)
    pool.answer = (node) =>
      node.key === at(4).key
        ? { error: ErrorCode.NOT_READY, message: 'just returned' }
        : { hops: 2, message: 'ring' }
    const answer = await router.route(get(), ownedBy(4), undefined, serveNothing)
    assert.equal(answer.message, 'ring')
    assert.equal(router.owners.size, 0)
  })

  it('an owner names itself and its range only in answers to forwarded requests', async () => {
    const neighbours = new StubNeighbours(at(2), [at(3)], at(1))
    const router = new Router(
      { neighbours, pool: new StubPool(), nodes: new RingNodeCache(), counters: new Counters() },
      { maxHops: 8, requestTimeoutMs: 1000 },
    )
    const forwarded = requestWithDefaults({ type: MessageType.GET, maxHops: 8, hops: 1 })
    const answer = await router.route(forwarded, ownedBy(2), undefined, serveNothing)
    assert.equal(answer.servedBy?.peerId, at(2).key)
    assert.equal(answer.ownerAfter, at(1).id)
    const own = await router.route(get(), ownedBy(2), undefined, serveNothing)
    assert.equal(own.servedBy, undefined, 'its own callers need no hint')
    const failed = await router.route(forwarded, ownedBy(2), undefined, async () => ({
      error: ErrorCode.STORE_ERROR,
    }))
    assert.equal(failed.servedBy, undefined)
  })

  it('caches no owner that may not be a member', async () => {
    const { router, pool } = routerOn0(() => false)
    pool.answer = () => ({ hops: 2, ...servedBy(4) })
    await router.route(get(), ownedBy(4), undefined, serveNothing)
    assert.equal(router.owners.size, 0)
  })
})
