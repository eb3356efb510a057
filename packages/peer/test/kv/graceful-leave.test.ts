import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { MessageType } from '@ringdht/protocol'
import { type RingId, ringIdToHex } from '@ringdht/ring'
import { peerInfoOf, type RingNode, RingNodeCache } from '../../src/core/ring-node.js'
import { Counters } from '../../src/counters.js'
import { PeerUnreachableError } from '../../src/errors.js'
import { GracefulLeave } from '../../src/kv/replication/graceful-leave.js'
import type { ReplicaSync } from '../../src/kv/replication/replica-sync.js'
import { ringNodes, StubNeighbours, StubPool, silent } from '../stubs.js'

/** Nodes n0 < ... < n7 in ring order, all on one host (127.0.0.1). */
let n: RingNode[]
const at = (i: number): RingNode => n[i] as RingNode

interface Push {
  to: string
  range: string
}

/**
 * n4 leaves, with predecessors n3, n2 (n2's predecessor n1) and successors n5, n6, n7, n0.
 * `gone` members refuse every request (they left a moment ago).
 */
function leaving(gone: ReadonlySet<string>) {
  const neighbours = new StubNeighbours(at(4), [at(5), at(6), at(7), at(0)], at(3))
  const predecessorOf = new Map([
    [at(3).key, at(2)],
    [at(2).key, at(1)],
  ])
  const pool = new StubPool((node, request) => {
    if (gone.has(node.key)) return new PeerUnreachableError('connection refused')
    assert.equal(request.type, MessageType.GET_SUCCESSOR_LIST)
    const predecessor = predecessorOf.get(node.key)
    return predecessor === undefined ? {} : { peer: peerInfoOf(predecessor) }
  })
  const nodes = new RingNodeCache()
  for (const node of n) nodes.add(node)
  const pushes: Push[] = []
  const sync = {
    async sync(receiver: RingNode, start: RingId, end: RingId) {
      if (gone.has(receiver.key)) throw new PeerUnreachableError('connection refused')
      pushes.push({ to: receiver.key, range: `${ringIdToHex(start)}..${ringIdToHex(end)}` })
      return { pushed: 1, pulled: 0, complete: true }
    },
  } as unknown as ReplicaSync
  const leave = new GracefulLeave(
    { neighbours, pool, nodes, sync, counters: new Counters(), emit: () => {}, logger: silent },
    { replicas: 3, successorListLength: 8, requestTimeoutMs: 1000, maxRecordsPerPass: 1000 },
  )
  return { leave, pushes }
}

const range = (from: number, to: number) => `${ringIdToHex(at(from).id)}..${ringIdToHex(at(to).id)}`

describe('GracefulLeave', () => {
  before(async () => {
    n = await ringNodes(8)
  })

  it('hands each range it holds to every holder the range has once it is gone', async () => {
    const { leave, pushes } = leaving(new Set())
    await leave.leave(AbortSignal.timeout(5000))
    const to = (i: number, from: number, end: number) =>
      pushes.some((p) => p.to === at(i).key && p.range === range(from, end))
    // its own range (n3, n4]: new owner n5, replicas n6, n7
    assert.ok(to(5, 3, 4) && to(6, 3, 4) && to(7, 3, 4), 'own range to n5, n6, n7')
    // (n2, n3]: n3 and, after n4, n5 and n6
    assert.ok(to(3, 2, 3) && to(5, 2, 3) && to(6, 2, 3), "n3's range to n3, n5, n6")
    // (n1, n2]: n2, n3 and n5
    assert.ok(to(2, 1, 2) && to(3, 1, 2) && to(5, 1, 2), "n2's range to n2, n3, n5")
  })

  // found by the fault suite (churn): a member that left a moment before was still in the
  // leaving member's successor list, and the one failed push ended the whole hand-off
  it('gives a range a stand-in when a receiver left a moment ago, and hands off the rest', async () => {
    const { leave, pushes } = leaving(new Set([at(6).key]))
    await leave.leave(AbortSignal.timeout(5000))
    const own = pushes.filter((p) => p.range === range(3, 4)).map((p) => p.to)
    assert.deepEqual(
      new Set(own),
      new Set([at(5).key, at(7).key, at(0).key]),
      'n0 stands in for n6',
    )
    assert.ok(
      pushes.some((p) => p.range === range(1, 2)),
      'the other ranges still handed off',
    )
  })

  it('hands off what it can when it cannot walk back past a predecessor', async () => {
    const { leave, pushes } = leaving(new Set([at(3).key]))
    await leave.leave(AbortSignal.timeout(5000))
    assert.ok(pushes.some((p) => p.to === at(5).key && p.range === range(3, 4)))
  })
})
