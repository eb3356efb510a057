import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { ErrorCode, MessageType, type Request, requestWithDefaults } from '@ringdht/protocol'
import { inHalfOpenInterval, type RingId, ringIdOf } from '@ringdht/ring'
import { HybridLogicalClock, MemoryStore } from '@ringdht/store'
import type { RingNode } from '../../src/core/ring-node.js'
import type { ServeAuthority } from '../../src/core/router.js'
import { Counters } from '../../src/counters.js'
import {
  InvalidInputError,
  KeyTooLargeError,
  NotReadyError,
  PeerUnreachableError,
  QuorumNotReachedError,
  ValueTooLargeError,
} from '../../src/errors.js'
import { KeyService } from '../../src/kv/key-service.js'
import { QuorumRead } from '../../src/kv/quorum-read.js'
import { toWireRecord } from '../../src/kv/records.js'
import { ringNodes, StubNeighbours, StubPool, silent } from '../stubs.js'

let n: RingNode[]
const at = (i: number): RingNode => n[i] as RingNode
const bytes = (s: string) => new TextEncoder().encode(s) as Uint8Array<ArrayBuffer>
const text = (b: Uint8Array | undefined) =>
  b === undefined ? undefined : new TextDecoder().decode(b)

/**
 * A key service on a member that owns every key (its router always serves locally, as
 * `authority` says), with `successors` as its replicas.
 */
function keyServiceOn(
  self: RingNode,
  pool = new StubPool(),
  options: {
    successors?: RingNode[]
    authority?: ServeAuthority
    catchingUp?: boolean
    justResumed?: boolean
    /** A former replica of every key is not back from a restart yet. */
    formerReplicasAway?: boolean
    /** The predecessor dropped last, no new one known yet. */
    formerPredecessor?: RingNode
    /** Gets find this member the key's owner, which does not answer: its replicas are asked. */
    ownerUnreachable?: RingNode
  } = {},
) {
  const neighbours = new StubNeighbours(self, options.successors ?? [])
  neighbours.formerPredecessor = options.formerPredecessor
  const unreachable = options.ownerUnreachable
  const store = new MemoryStore()
  const replicated: Array<{ key: string; quorum: number }> = []
  const counters = new Counters()
  const reads = new QuorumRead(
    {
      store,
      pool,
      counters,
      logger: silent,
      lifetime: new AbortController().signal,
      clock: new HybridLogicalClock(() => 1_000_000),
    },
    { requestTimeoutMs: 1000 },
  )
  const keys = new KeyService(
    {
      store,
      clock: new HybridLogicalClock(() => 1_000_000),
      neighbours,
      router: {
        route: async (_request, _position, signal, serveLocally, ownerFailed) => {
          if (unreachable === undefined) return serveLocally(options.authority ?? 'owner')
          const answer = await ownerFailed?.(unreachable, signal)
          if (answer === undefined) throw new PeerUnreachableError('the owner did not answer')
          return answer
        },
      },
      pool,
      counters,
      reads,
      catchingUp: () => options.catchingUp ?? false,
      justResumed: () => options.justResumed ?? false,
      formerRing: { mayAnswerAbsent: () => options.formerReplicasAway !== true },
      logger: silent,
      writer: {
        replicate: async (record, quorum) => {
          replicated.push({ key: text(record.key) as string, quorum })
          return quorum
        },
      },
    },
    {
      replicas: 3,
      writeQuorum: 2,
      readQuorum: 2,
      maxKeyBytes: 16,
      maxValueBytes: 32,
      requestTimeoutMs: 1000,
      maxClockDriftMs: 60_000,
    },
  )
  return { keys, store, replicated, counters, pool, reads }
}

const request = (fields: Partial<Request> & Pick<Request, 'type'>) =>
  requestWithDefaults({ maxHops: 8, ...fields })

/** The first key `k0`, `k1`, ... whose ring position passes `test`. */
function keyWhere(test: (position: RingId) => boolean): string {
  for (let i = 0; ; i++) if (test(ringIdOf(bytes(`k${i}`)))) return `k${i}`
}

describe('KeyService', () => {
  before(async () => {
    n = await ringNodes(3)
  })

  it('puts with a fresh version from its clock, replicates to the write quorum, and gets it back', async () => {
    const { keys, store, replicated, counters } = keyServiceOn(at(0))
    const put = await keys.handle(
      request({ type: MessageType.PUT, key: bytes('k'), value: bytes('v') }),
      undefined,
    )
    assert.equal(put.replicas, 2)
    assert.deepEqual(replicated, [{ key: 'k', quorum: 2 }])
    const stored = await store.get(bytes('k'))
    assert.equal(stored?.version.writer, at(0).id)
    assert.ok((stored?.version.timestamp ?? 0n) > 0n)
    const got = await keys.handle(request({ type: MessageType.GET, key: bytes('k') }), undefined)
    assert.equal(text(got.record?.value), 'v')
    assert.deepEqual([counters.puts, counters.gets], [1, 1])
  })

  it('after a restart, refuses to call a key absent while its former replicas are away', async () => {
    const { keys, store, counters } = keyServiceOn(at(0), new StubPool(), {
      formerReplicasAway: true,
    })
    await assert.rejects(
      keys.handle(request({ type: MessageType.GET, key: bytes('gone') }), undefined),
      NotReadyError,
    )
    assert.equal(counters.notReadyAfterRestart, 1)
    // a key it holds is answered; a replica's raw read (local) is not guarded
    await keys.handle(
      request({ type: MessageType.PUT, key: bytes('k'), value: bytes('v') }),
      undefined,
    )
    const got = await keys.handle(request({ type: MessageType.GET, key: bytes('k') }), undefined)
    assert.equal(text(got.record?.value), 'v')
    const local = await keys.handle(
      request({ type: MessageType.GET, key: bytes('gone'), local: true }),
      undefined,
    )
    assert.equal(local.record, undefined)
    assert.ok((await store.get(bytes('gone'))) === undefined)
  })

  it('reads a deleted key as absent, but shows the tombstone to a replica read', async () => {
    const { keys } = keyServiceOn(at(0))
    await keys.handle(
      request({ type: MessageType.PUT, key: bytes('k'), value: bytes('v') }),
      undefined,
    )
    await keys.handle(request({ type: MessageType.DELETE, key: bytes('k') }), undefined)
    const routed = await keys.handle(request({ type: MessageType.GET, key: bytes('k') }), undefined)
    assert.equal(routed.record, undefined)
    const local = await keys.handle(
      request({ type: MessageType.GET, key: bytes('k'), local: true }),
      undefined,
    )
    assert.notEqual(local.record, undefined)
    assert.equal(local.record?.value, undefined)
  })

  it('applies a replica copy (local) as it is, without replicating it again', async () => {
    const { keys, store, replicated } = keyServiceOn(at(1))
    const version = { timestamp: 42n << 16n, writer: at(0).id }
    const answer = await keys.handle(
      request({ type: MessageType.PUT, key: bytes('k'), value: bytes('v'), local: true, version }),
      undefined,
    )
    assert.equal(answer.replicas, 1)
    assert.deepEqual(replicated, [])
    assert.deepEqual((await store.get(bytes('k')))?.version, version)
  })

  it('refuses bad input before touching the store', async () => {
    const { keys, store } = keyServiceOn(at(0))
    const cases: Array<[Partial<Request>, new (...args: never[]) => Error]> = [
      [{ type: MessageType.GET, key: new Uint8Array() }, InvalidInputError],
      [{ type: MessageType.GET, key: bytes('k'.repeat(17)) }, KeyTooLargeError],
      [{ type: MessageType.PUT, key: bytes('k') }, InvalidInputError],
      [
        { type: MessageType.PUT, key: bytes('k'), value: bytes('v'.repeat(33)) },
        ValueTooLargeError,
      ],
    ]
    for (const [fields, error] of cases) {
      await assert.rejects(
        keys.handle(request(fields as Request), undefined),
        error,
        `${JSON.stringify(Object.keys(fields))} should fail with ${error.name}`,
      )
    }
    assert.equal(await store.count(0n, 0n), 0)
  })

  it('while its range is still arriving, a local miss asks the hand-over source and keeps the answer', async () => {
    const remote = {
      key: bytes('late'),
      position: 0n,
      value: bytes('arrived'),
      version: { timestamp: 7n << 16n, writer: at(2).id },
    }
    const pool = new StubPool((node, req) =>
      node.key === at(1).key && req.local === true
        ? { record: toWireRecord(remote) }
        : new Error('unexpected'),
    )
    const { keys, store } = keyServiceOn(at(0), pool)
    keys.handOverSource = at(1)
    const got = await keys.handle(request({ type: MessageType.GET, key: bytes('late') }), undefined)
    assert.equal(text(got.record?.value), 'arrived')
    assert.equal(text((await store.get(bytes('late')))?.value), 'arrived')
    keys.handOverSource = undefined
  })

  /** A copy of `key` at version `t`, as a replica (or a stale owner) would hold it. */
  const copy = (key: string, value: string | undefined, t: bigint) => ({
    key: bytes(key),
    position: ringIdOf(bytes(key)),
    value: value === undefined ? undefined : bytes(value),
    version: { timestamp: t << 16n, writer: at(0).id },
  })

  /** Replicas answering replica reads from their own store and applying repairs to it. */
  function replicaStores(nodes: RingNode[]) {
    const stores = new Map(nodes.map((node) => [node.key, new MemoryStore()]))
    const pool = new StubPool(async (node, req) => {
      const store = stores.get(node.key)
      if (store === undefined) return new Error(`no replica ${node.key}`)
      if (req.type === MessageType.GET) {
        const found = await store.get(req.key as Uint8Array)
        return found === undefined ? {} : { record: toWireRecord(found) }
      }
      await store.apply({
        key: req.key as Uint8Array,
        position: ringIdOf(req.key as Uint8Array),
        value: req.type === MessageType.PUT ? req.value : undefined,
        version: req.version as { timestamp: bigint; writer: bigint },
      })
      return { replicas: 1 }
    })
    return { stores, pool }
  }

  // issue 17, cause 1: a returning owner answered from its own store alone (R = 1)
  it('answers a get with the newest copy of a read quorum and repairs the stale owner and replica', async () => {
    const { stores, pool } = replicaStores([at(1), at(2)])
    const { keys, store, reads, counters } = keyServiceOn(at(0), pool, {
      successors: [at(1), at(2)],
    })
    await store.apply(copy('k', 'old', 1n))
    await stores.get(at(1).key)?.apply(copy('k', 'new', 2n))
    await stores.get(at(2).key)?.apply(copy('k', 'old', 1n))
    const got = await keys.handle(request({ type: MessageType.GET, key: bytes('k') }), undefined)
    assert.equal(text(got.record?.value), 'new')
    await reads.drain()
    assert.equal(text((await store.get(bytes('k')))?.value), 'new', 'the owner was repaired')
    const replica = await stores.get(at(2).key)?.get(bytes('k'))
    assert.equal(text(replica?.value), 'new', 'the stale replica was repaired')
    assert.equal(counters.readRepairs, 2)
  })

  it("with consistency 'one' answers from the owner's copy alone", async () => {
    const { stores, pool } = replicaStores([at(1), at(2)])
    const { keys, store } = keyServiceOn(at(0), pool, { successors: [at(1), at(2)] })
    await store.apply(copy('k', 'old', 1n))
    await stores.get(at(1).key)?.apply(copy('k', 'new', 2n))
    const got = await keys.handle(
      request({ type: MessageType.GET, key: bytes('k'), readQuorum: 1 }),
      undefined,
    )
    assert.equal(text(got.record?.value), 'old')
    assert.equal(pool.sent.length, 0)
  })

  it('a replica holding a newer tombstone makes the key read as absent', async () => {
    const { stores, pool } = replicaStores([at(1), at(2)])
    const { keys, store } = keyServiceOn(at(0), pool, { successors: [at(1), at(2)] })
    await store.apply(copy('k', 'v', 1n))
    await stores.get(at(1).key)?.apply(copy('k', undefined, 2n))
    const got = await keys.handle(request({ type: MessageType.GET, key: bytes('k') }), undefined)
    assert.equal(got.record, undefined)
  })

  // issue 17, cause 2: a member unsure of its range answered as owner; and the fault
  // suite's kill-one: a member back from a restart coordinated a write as owner while its
  // successor still took itself for the owner and answered from its own copy plus its
  // fastest replica, neither of which had the write
  for (const [why, options] of [
    ['unsure of its range', { authority: 'unsure' as const }],
    ['catching up', { catchingUp: true }],
  ] as const) {
    it(`${why}, its own copy does not make up a quorum the replicas miss`, async () => {
      const { pool } = replicaStores([at(1)])
      const { keys, store } = keyServiceOn(at(0), pool, {
        successors: [at(1), at(2)],
        ...options,
      })
      await store.apply(copy('k', 'mine', 1n))
      // at(2) cannot be reached: at(1) alone is not a quorum of two
      await assert.rejects(
        keys.handle(request({ type: MessageType.GET, key: bytes('k') }), undefined),
        QuorumNotReachedError,
      )
    })
  }

  // issue 17, the fault suite's kill-two-adjacent: a client whose view had lost a key's
  // owner and replicas asked the member after them, which had just dropped its predecessor
  // and served 'unsure': neither it nor its successors were replicas of that key, and it
  // answered absent for a key its owner held
  it('serving unsure, a get that finds nothing is refused, except in its own former range', async () => {
    const { pool } = replicaStores([at(1), at(2)])
    const { keys, counters } = keyServiceOn(at(0), pool, {
      successors: [at(1), at(2)],
      authority: 'unsure',
      formerPredecessor: at(2),
    })
    const [inside, outside] = [true, false].map((wanted) =>
      keyWhere((position) => inHalfOpenInterval(position, at(2).id, at(0).id) === wanted),
    )
    await assert.rejects(
      keys.handle(request({ type: MessageType.GET, key: bytes(outside as string) }), undefined),
      NotReadyError,
    )
    assert.equal(counters.absentUnproven, 1)
    const got = await keys.handle(
      request({ type: MessageType.GET, key: bytes(inside as string) }),
      undefined,
    )
    assert.equal(got.record, undefined, 'absent: its own replicas would hold it')
  })

  // issue 17: the owner of a key and its two replicas in the reader's view died at once;
  // the members after them in the view were its replicas only since the failure and held
  // nothing yet, while the new owner held the key
  it("when the owner does not answer, its replicas' copy is an answer, their 'nothing' is not", async () => {
    const m = await ringNodes(4)
    const [self, owner] = [m[0] as RingNode, m[1] as RingNode]
    const { stores, pool } = replicaStores([m[2] as RingNode, m[3] as RingNode])
    const { keys, counters } = keyServiceOn(self, pool, {
      successors: [owner, m[2] as RingNode, m[3] as RingNode],
      ownerUnreachable: owner,
    })
    await assert.rejects(
      keys.handle(request({ type: MessageType.GET, key: bytes('k') }), undefined),
      PeerUnreachableError,
    )
    assert.equal(counters.absentUnproven, 1)
    await stores.get((m[3] as RingNode).key)?.apply(copy('k', 'held', 1n))
    const got = await keys.handle(request({ type: MessageType.GET, key: bytes('k') }), undefined)
    assert.equal(text(got.record?.value), 'held')
  })

  it('cut off from the ring (alone, serving unsure), refuses gets and writes instead of answering from its store', async () => {
    const { keys, store } = keyServiceOn(at(0), new StubPool(), { authority: 'unsure' })
    await store.apply(copy('k', 'mine', 1n))
    for (const type of [MessageType.GET, MessageType.PUT, MessageType.DELETE]) {
      await assert.rejects(
        keys.handle(request({ type, key: bytes('k'), value: bytes('v') }), undefined),
        NotReadyError,
        `type ${type}`,
      )
    }
    assert.equal(text((await store.get(bytes('k')))?.value), 'mine', 'nothing changed')
  })

  it('a caught-up owner makes up the quorum with its own copy only when a replica is down', async () => {
    const { pool } = replicaStores([at(1)])
    const { keys, store } = keyServiceOn(at(0), pool, { successors: [at(1), at(2)] })
    await store.apply(copy('k', 'mine', 1n))
    const got = await keys.handle(request({ type: MessageType.GET, key: bytes('k') }), undefined)
    assert.equal(text(got.record?.value), 'mine')
  })

  it('waits for R replicas even when a stale one answers first', async () => {
    const { stores, pool } = replicaStores([at(1), at(2)])
    const answer = pool.answer
    pool.answer = async (node, req, options) => {
      // the replica holding the newer write answers last
      if (node.key === at(2).key) await new Promise((resolve) => setTimeout(resolve, 20))
      return answer(node, req, options)
    }
    const { keys, store } = keyServiceOn(at(0), pool, { successors: [at(1), at(2)] })
    await store.apply(copy('k', 'old', 1n))
    await stores.get(at(1).key)?.apply(copy('k', 'old', 1n))
    await stores.get(at(2).key)?.apply(copy('k', 'new', 2n))
    const got = await keys.handle(request({ type: MessageType.GET, key: bytes('k') }), undefined)
    assert.equal(text(got.record?.value), 'new')
  })

  // found by the fault suite's pause-one: a put that queued up while its owner was
  // stopped was applied on resume with a fresh version, over newer acknowledged writes
  it('just after a pause, refuses writes (they queued up meanwhile) but still serves reads', async () => {
    const { keys, store } = keyServiceOn(at(0), new StubPool(), { justResumed: true })
    const put = await keys.handle(
      request({ type: MessageType.PUT, key: bytes('k'), value: bytes('late') }),
      undefined,
    )
    assert.equal(put.error, ErrorCode.NOT_READY)
    assert.equal(await store.get(bytes('k')), undefined)
    const got = await keys.handle(request({ type: MessageType.GET, key: bytes('k') }), undefined)
    assert.equal(got.error ?? 0, 0)
  })

  // found by the fault suite's partition-4-4: a put held up by the partition (in TCP's
  // buffers) reached its owner after the heal, long after its caller had given up and
  // written the key twice more, and was applied with a fresh version over both
  it('does not apply a write whose caller has gone (its stream was reset)', async () => {
    const { keys, store } = keyServiceOn(at(0))
    const gone = new AbortController()
    gone.abort(new Error('stream closed'))
    await assert.rejects(
      keys.handle(
        request({ type: MessageType.PUT, key: bytes('k'), value: bytes('late') }),
        gone.signal,
      ),
      NotReadyError,
    )
    assert.equal(await store.get(bytes('k')), undefined)
  })
})
