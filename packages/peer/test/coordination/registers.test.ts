import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { checkHistory, formatHistory, type HistoryEntry } from '@ringdht/consensus'
import { ringIdOf, SortedRing } from '@ringdht/ring'
import { DurableAcceptor } from '../../src/coordination/durable-acceptor.js'
import {
  createClient,
  createPeer,
  InvalidInputError,
  KeyTooLargeError,
  type RingClient,
  type RingPeer,
  ValueTooLargeError,
} from '../../src/index.js'
import { createTestRing, type TestRing } from '../../src/testing.js'
import { FAST_TIMERS, tempDir, text, waitFor } from '../helpers.js'

const R = 3
const bytes = (s: string) => new TextEncoder().encode(s)
const hex = (value: Uint8Array | undefined) =>
  value === undefined ? undefined : Buffer.from(value).toString('hex')

describe('coordination registers on a ring of 5 (r = 3)', () => {
  let ring: TestRing
  const clients: RingClient[] = []

  before(async () => {
    ring = await createTestRing(5, { replicas: R })
    for (let i = 0; i < 3; i++) {
      clients.push(await createClient({ peer: String(ring.peers[0]?.getMultiaddrs()[0]) }))
    }
  })
  after(async () => {
    await Promise.all(clients.map((c) => c.close()))
    await ring?.stop()
  })

  const peer = (i: number) => ring.peers[i] as RingPeer

  it('sets a value only when it holds the expected one, and reads it back from any member', async () => {
    const first = await peer(1).cas('reg-basic', undefined, 'one')
    assert.deepEqual(
      { ...first, value: text(first.value) },
      {
        succeeded: true,
        value: 'one',
        version: 1,
      },
    )
    const stale = await peer(2).cas('reg-basic', undefined, 'two')
    assert.equal(stale.succeeded, false)
    assert.equal(text(stale.value), 'one', 'a failed cas reports the current value')
    const second = await clients[0]?.cas('reg-basic', 'one', 'two')
    assert.equal(second?.succeeded, true)
    assert.equal(second?.version, 2)
    for (const p of ring.peers) {
      const read = await p.read('reg-basic')
      assert.equal(text(read.value), 'two')
      assert.equal(read.version, 2)
    }
    const deleted = await peer(3).cas('reg-basic', 'two', undefined)
    assert.equal(deleted.succeeded, true)
    assert.equal((await clients[1]?.read('reg-basic'))?.value, undefined)
  })

  it('changes a key again in one round trip: its owner sends accepts only, to a quorum', async () => {
    const seen: string[] = []
    const receive = DurableAcceptor.prototype.receive
    DurableAcceptor.prototype.receive = function (this: DurableAcceptor, message) {
      seen.push(message.type)
      return receive.call(this, message)
    }
    // a ring change still being carried over adds its sets' members to the round
    await Promise.all(ring.peers.map((p) => p.coordinationSettled()))
    try {
      await peer(2).cas('one-trip', undefined, 'a')
      // thrifty phases: each asks itself and its heir, the third acceptor only when slow
      assert.deepEqual(seen.sort(), ['accept', 'accept', 'prepare', 'prepare'])
      seen.length = 0
      const second = await peer(3).cas('one-trip', 'a', 'b')
      assert.equal(second.succeeded, true)
      assert.deepEqual(seen, ['accept', 'accept'], 'phase 1 was skipped')
    } finally {
      DurableAcceptor.prototype.receive = receive
    }
  })

  it('keeps registers apart from the key/value store: get never sees them, nor read a put', async () => {
    await peer(0).put('both', 'lww')
    await peer(0).cas('both', undefined, 'register')
    assert.equal(text((await peer(1).get('both'))?.value), 'lww')
    assert.equal(text((await peer(1).read('both')).value), 'register')
    assert.equal((await peer(2).read('only-put-here')).value, undefined)
  })

  it('updates through read and cas, without losing increments under contention', async () => {
    const add = (v: Uint8Array | undefined) => String(Number(text(v) ?? '0') + 1)
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        (i % 2 === 0 ? clients[i % 3] : ring.peers[i % 5])?.update('counter', add),
      ),
    )
    assert.equal(text((await peer(4).read('counter')).value), '12')
  })

  it('refuses bad input with clear errors and changes nothing', async () => {
    const long = 'k'.repeat(2000)
    await assert.rejects(peer(0).cas(long, undefined, 'v'), KeyTooLargeError)
    await assert.rejects(
      clients[0]?.cas(long, undefined, 'v') as Promise<unknown>,
      KeyTooLargeError,
    )
    await assert.rejects(peer(0).read(''), InvalidInputError)
    await assert.rejects(
      peer(0).cas('big', undefined, new Uint8Array(2 * 1024 * 1024)),
      ValueTooLargeError,
    )
    // callers in plain JavaScript can pass anything
    await assert.rejects(peer(0).cas(42 as unknown as string, undefined, 'v'), InvalidInputError)
    await assert.rejects(peer(0).cas('k', 7 as unknown as string, 'v'), InvalidInputError)
    await assert.rejects(peer(0).update('k', 'no function' as never), InvalidInputError)
    await assert.rejects(peer(0).cas('k', undefined, 'v', { fence: -1 }), InvalidInputError)
    // the library's own keys (locks) are not writable with cas
    await assert.rejects(peer(0).cas('\u0000lock/x', undefined, 'v'), InvalidInputError)
    assert.equal((await peer(0).read('big')).version, 0)
  })

  it('stays linearizable under concurrent cas from several clients, and writable after a replica crashes', async () => {
    const keys = ['lin-a', 'lin-b', 'lin-c']
    const history: HistoryEntry[] = []
    let id = 0
    const t0 = performance.now()
    const at = () => Math.round((performance.now() - t0) * 1000)
    let stop = false
    const worker = async (client: RingClient, name: string) => {
      let n = 0
      while (!stop) {
        const key = keys[n % keys.length] as string
        n++
        const invokedAt = at()
        const read = n % 4 === 0
        // expect what was last read (or absent), set a value unique to this operation
        const next = `${name}-${n}`
        let expected: string | undefined
        if (!read) {
          try {
            expected = hex((await client.read(key)).value)
          } catch {
            continue
          }
        }
        const operation = read
          ? ({ kind: 'read' } as const)
          : ({ kind: 'cas', expected, next: hex(bytes(next)) } as const)
        const start = read ? invokedAt : at()
        try {
          const result = read
            ? { ...(await client.read(key)), succeeded: true }
            : await client.cas(
                key,
                expected === undefined ? undefined : Buffer.from(expected, 'hex'),
                next,
              )
          history.push({
            id: id++,
            process: name,
            key,
            operation,
            invokedAt: start,
            completedAt: at(),
            status: 'ok',
            output: {
              state: { value: hex(result.value), version: result.version },
              succeeded: result.succeeded,
            },
          })
        } catch (err) {
          const code = (err as { code?: string }).code
          history.push({
            id: id++,
            process: name,
            key,
            operation,
            invokedAt: start,
            completedAt: at(),
            // refused before anything was proposed: no effect; otherwise it may have had one
            status:
              code === 'QUORUM_NOT_REACHED' || code === 'INVALID_INPUT' ? 'fail' : 'indeterminate',
          })
        }
      }
    }
    const running = clients.map((c, i) => worker(c, `c${i}`))
    // crash a replica of lin-a that no client dialled (its owner when it can), while the
    // clients run
    await waitFor(() => history.length >= 30, 'a first stretch of operations')
    const order = new SortedRing(ring.peers.map((p) => p.ringId))
    const holders = order.successors(ringIdOf(bytes('lin-a')), R)
    const victim = ring.peers.findIndex((p, i) => i !== 0 && holders.includes(p.ringId))
    await ring.crash(victim)
    const okOnA = (from: number) =>
      history.slice(from).filter((e) => e.status === 'ok' && e.key === 'lin-a').length
    // the key stays writable: operations keep completing after the crash, and after the
    // ring has noticed it and moved the key's replica set
    const crashedAt = history.length
    await waitFor(() => okOnA(crashedAt) >= 10, 'operations on lin-a after the crash', 30_000)
    await ring.converged()
    const convergedAt = history.length
    await waitFor(
      () => okOnA(convergedAt) >= 10,
      'operations on lin-a after the ring moved',
      30_000,
    )
    stop = true
    await Promise.all(running)
    const okWrites = history.filter((e) => e.status === 'ok' && e.operation.kind === 'cas')
    assert.ok(
      okWrites.some((e) => e.output?.succeeded),
      'some cas succeeded',
    )
    const verdict = checkHistory(history)
    assert.equal(verdict.verdict, 'linearizable', formatHistory(history))
    const ops = history.filter((e) => e.status === 'ok').length
    console.log(
      `# ${ops} operations completed of ${history.length} (${history.filter((e) => e.status === 'indeterminate').length} unknown outcomes)`,
    )
  })
})

describe('a coordination register across a restart', () => {
  it('keeps the acceptor state on disk under the data folder', async (t) => {
    const dir = await tempDir()
    t.after(() => dir.remove())
    let peer = await createPeer({ dataDir: dir.path, timers: FAST_TIMERS, idDifficulty: 0 })
    t.after(() => peer.stop())
    await peer.ready
    assert.equal((await peer.cas('durable', undefined, 'kept')).succeeded, true)
    await peer.stop()
    peer = await createPeer({ dataDir: dir.path, timers: FAST_TIMERS, idDifficulty: 0 })
    await peer.ready
    const read = await peer.read('durable')
    assert.equal(text(read.value), 'kept')
    assert.equal(read.version, 1)
    // the promises survived too: a new round starts above the ballots before the restart
    assert.equal((await peer.cas('durable', 'kept', 'again')).version, 2)
  })
})
