import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { ringIdOf, SortedRing } from '@ringdht/ring'
import { memberToWire, statusFromWire, statusToWire } from '../../src/core/status.js'
import {
  ForbiddenError,
  InvalidInputError,
  KeyTooLargeError,
  ValueTooLargeError,
} from '../../src/errors.js'
import { createClient, type RingPeer } from '../../src/index.js'
import type { QueueWorker, Task } from '../../src/tasks/queue-worker.js'
import { queueKey } from '../../src/tasks/tasks-capability.js'
import { createTestRing, type TestRing } from '../../src/testing.js'
import { waitFor } from '../helpers.js'

const R = 3
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes)

describe('work queues on a ring of 5 (r = 3, W = 2)', () => {
  let ring: TestRing
  const workers: QueueWorker[] = []

  before(async () => {
    ring = await createTestRing(5, { replicas: R })
  })
  after(async () => {
    for (const worker of workers) worker.close()
    await ring?.stop()
  })

  /** The queue's home and the members after it, in ring order. */
  const homeOf = (queue: string): RingPeer[] => {
    const order = new SortedRing(ring.peers.map((p) => p.ringId))
    return order
      .successors(ringIdOf(queueKey(queue)), ring.peers.length)
      .map((ringId) => ring.peers.find((p) => p.ringId === ringId) as RingPeer)
  }

  const work = (
    peer: RingPeer,
    queue: string,
    handler: (task: Task) => Promise<void> | void,
    name: string,
  ) => {
    const worker = peer.work(queue, handler, { name, takeWaitMs: 2_000 })
    workers.push(worker)
    return worker
  }

  it('dispatches in order of arrival (priority first) to the workers in turn, each task acked once', async () => {
    const [home, a, b] = homeOf('orders') as [RingPeer, RingPeer, RingPeer]
    const positions: number[] = []
    for (let i = 0; i < 20; i++) positions.push((await a.enqueue('orders', `t${i}`)).taskId)
    assert.deepEqual(
      positions,
      Array.from({ length: 20 }, (_, i) => i + 1),
    )
    const urgent = await b.enqueue('orders', 'urgent', { priority: 5 })
    const seen: Record<string, number[]> = { a: [], b: [] }
    work(a, 'orders', (task) => void seen.a?.push(task.taskId), 'a')
    work(b, 'orders', (task) => void seen.b?.push(task.taskId), 'b')
    await waitFor(async () => (await home.queues.stats('orders')).acked === 21, 'every task acked')
    const stats = await home.queues.stats('orders')
    assert.equal(stats.home, home.peerId.toString())
    assert.deepEqual([stats.ready, stats.leased, stats.delayed, stats.dead], [0, 0, 0, 0])
    const all = [...(seen.a ?? []), ...(seen.b ?? [])]
    assert.deepEqual(
      [...all].sort((x, y) => x - y),
      Array.from({ length: 21 }, (_, i) => i + 1),
    )
    // each worker got its tasks in the order the home leased them: priority, then arrival
    const rank = (id: number) => (id === urgent.taskId ? 0 : id)
    for (const ids of Object.values(seen)) {
      assert.deepEqual(
        ids,
        [...ids].sort((x, y) => rank(x) - rank(y)),
      )
    }
    assert.equal(stats.workers.length, 2)
    for (const worker of stats.workers) assert.ok(worker.done > 0, `${worker.worker} did some`)
    assert.equal(
      stats.workers.reduce((sum, worker) => sum + worker.done, 0),
      21,
    )
    // the home lists the queue in its status, also as the wire carries it to a client
    const status = await home.status()
    const listed = status.queues?.find((q) => q.queue === 'orders')
    assert.deepEqual(
      listed && [listed.policy, listed.ready, listed.leased, listed.enqueued, listed.acked],
      ['round-robin', 0, 0, 21, 21],
    )
    assert.equal(listed?.workers.length, 2)
    const wired = statusFromWire(
      statusToWire(status, { peerId: home.peerId.toString(), multiaddrs: [] }, memberToWire),
    )
    assert.deepEqual(wired?.queues, status.queues)
    for (const other of ring.peers.filter((p) => p !== home)) {
      const theirs = await other.status()
      assert.equal(
        theirs.queues?.find((q) => q.queue === 'orders'),
        undefined,
        'not its home',
      )
    }
  })

  it('gives a task whose worker went away to another worker once its lease expires', async () => {
    const [home, a, b] = homeOf('jobs') as [RingPeer, RingPeer, RingPeer]
    await home.queues.configure('jobs', { leaseMs: 800 })
    await a.enqueue('jobs', 'slow')
    let startedOnA: Task | undefined
    const stuck = work(
      a,
      'jobs',
      (task) => {
        startedOnA = task
        return new Promise(() => {})
      },
      'stuck',
    )
    await waitFor(() => startedOnA !== undefined, 'the first worker to take the task')
    stuck.close()
    let doneOnB: Task | undefined
    work(
      b,
      'jobs',
      (task) => {
        doneOnB = task
      },
      'rescuer',
    )
    await waitFor(() => doneOnB !== undefined, 'the task to reach the second worker')
    assert.equal(doneOnB?.taskId, startedOnA?.taskId)
    assert.equal(doneOnB?.attempts, 2)
    assert.ok((doneOnB?.token ?? 0) > (startedOnA?.token ?? 0), 'a newer lease, a higher token')
    assert.ok(Date.now() >= (startedOnA?.deadline ?? 0), 'not before the first lease expired')
  })

  it('extends the lease of a task that runs longer than its lease: it runs once', async () => {
    const [home, a, b] = homeOf('long') as [RingPeer, RingPeer, RingPeer]
    await home.queues.configure('long', { leaseMs: 400 })
    await a.enqueue('long', 'slow')
    const runs: string[] = []
    work(
      a,
      'long',
      async () => {
        runs.push('a')
        await new Promise((resolve) => setTimeout(resolve, 1_500))
      },
      'long-a',
    )
    await waitFor(() => runs.length === 1, 'the first worker to start the task')
    work(b, 'long', () => void runs.push('b'), 'long-b')
    await waitFor(async () => (await home.queues.stats('long')).acked === 1, 'the task acked')
    assert.deepEqual(runs, ['a'], 'never given to the idle worker while it ran')
    assert.equal((await home.queues.stats('long')).dead, 0)
  })

  it('takes enqueues made together in one request: order, dedupe and outcomes as one by one', async () => {
    const [home, a] = homeOf('together') as [RingPeer, RingPeer]
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        a.enqueue('together', `t${i}`, { dedupeId: `d${i === 39 ? 0 : i}` }),
      ),
    )
    assert.deepEqual(
      results.slice(0, 39).map((r) => r.taskId),
      Array.from({ length: 39 }, (_, i) => i + 1),
    )
    assert.deepEqual(results[39], { taskId: 1, duplicate: true })
    const stats = await home.queues.stats('together')
    assert.equal(stats.enqueued, 39)
    assert.equal(stats.ready, 39)
  })

  it('refuses bad input with a clear error and changes nothing', async () => {
    const [home, a] = homeOf('strict') as [RingPeer, RingPeer]
    await a.enqueue('strict', 'x')
    const before = await home.queues.stats('strict')
    await assert.rejects(a.enqueue('strict', new Uint8Array(300 * 1024)), ValueTooLargeError)
    await assert.rejects(a.enqueue('strict', 'x', { delayMs: -1 }), InvalidInputError)
    await assert.rejects(a.enqueue('q'.repeat(300), 'x'), KeyTooLargeError)
    assert.deepEqual(await home.queues.stats('strict'), before)
  })

  it('refuses an ack with a stale token or of a task one does not hold', async () => {
    const [home, a] = homeOf('fenced') as [RingPeer, RingPeer]
    await home.queues.configure('fenced', { leaseMs: 500 })
    await a.enqueue('fenced', 'x')
    const tasks: Task[] = []
    let release: () => void = () => {}
    const first = a.work(
      'fenced',
      async (task) => {
        tasks.push(task)
        if (tasks.length === 1)
          await new Promise<void>((resolve) => {
            release = resolve
          })
      },
      { name: 'slowpoke', concurrency: 2, takeWaitMs: 2_000, extendLeases: false },
    )
    workers.push(first)
    await waitFor(() => tasks.length === 2, 'the expired lease to be granted again')
    // the first lease's ack comes too late: refused, and the newer lease stands
    release()
    await waitFor(() => first.counts.lost + first.counts.done === 2, 'both settlements')
    assert.equal(first.counts.lost, 1)
    assert.equal(first.counts.done, 1)
    const stats = await home.queues.stats('fenced')
    assert.equal(stats.acked, 1)
  })

  it('serves clients: a client enqueues and works; queue admin is for members', async (t) => {
    const [home] = homeOf('clients') as [RingPeer]
    const address = String(ring.peers[ring.peers.length - 1]?.getMultiaddrs()[0])
    const client = await createClient({ peer: address })
    t.after(() => client.close())
    // this ring does not let clients administer queues: refused, nothing changed
    await client.enqueue('clients', 'first')
    const before = await home.queues.stats('clients')
    await assert.rejects(
      client.queues.configure('clients', { policy: 'least-loaded' }),
      (err: Error) => err instanceof ForbiddenError && /only ring members/.test(err.message),
    )
    await assert.rejects(client.queues.deadLetters('clients'), ForbiddenError)
    await assert.rejects(client.queues.replay('clients'), ForbiddenError)
    assert.deepEqual(await home.queues.stats('clients'), before)
    // a member may, also one that is not the home
    const member = ring.peers.find((p) => p !== home) as RingPeer
    const settings = await member.queues.configure('clients', { policy: 'least-loaded' })
    assert.equal(settings.settings.policy, 'least-loaded')
    for (let i = 1; i < 12; i++) await client.enqueue('clients', `c${i}`)
    const got: string[] = []
    const worker = client.work('clients', (task) => void got.push(text(task.payload)), {
      concurrency: 4,
      takeWaitMs: 2_000,
    })
    await worker.ready
    await waitFor(() => got.length === 12, 'the client worker to run every task')
    assert.equal(got[0], 'first')
    await worker.stop()
    const stats = await home.queues.stats('clients')
    assert.equal(stats.acked, 12)
    assert.equal(stats.settings.policy, 'least-loaded')
    await waitFor(
      async () => (await home.queues.stats('clients')).connected === 0,
      'the worker to leave',
    )
  })

  it('continues at the next owner when the home dies: nothing acknowledged is lost', async () => {
    const queue = 'failover'
    const [home, next, other] = homeOf(queue) as [RingPeer, RingPeer, RingPeer]
    await other.queues.configure(queue, { leaseMs: 2_000 })
    const count = 40
    for (let i = 0; i < count; i++) await other.enqueue(queue, `t${i}`)
    const done = new Set<string>()
    let runs = 0
    const survivor = work(
      other,
      queue,
      async (task) => {
        runs++
        await new Promise((resolve) => setTimeout(resolve, 20))
        done.add(text(task.payload))
      },
      'survivor',
    )
    await waitFor(() => done.size >= 10, 'some tasks done before the crash')
    await ring.crash(ring.peers.indexOf(home))
    await waitFor(() => done.size === count, 'every task done after the failover', 40_000)
    await waitFor(
      async () => {
        try {
          return (await next.queues.stats(queue)).acked === count
        } catch {
          return false
        }
      },
      'the new home to count every ack',
      20_000,
    )
    const stats = await next.queues.stats(queue)
    assert.equal(stats.home, next.peerId.toString())
    assert.equal(stats.enqueued, count)
    assert.ok(runs >= count, `${runs} runs (duplicates are allowed, losses are not)`)
    assert.ok(survivor.counts.joins >= 2, 'the worker joined the new home')
  })
})
