/**
 * Work queues on a ring of 3 in-process members on 127.0.0.1: enqueue and end-to-end
 * throughput, and round-robin against least-loaded with 4 workers, one 4× slower.
 *
 *   node_modules/.bin/tsc -b packages/peer && \
 *     node_modules/.bin/node packages/peer/dist/scripts/measure-queues.js [tasks=400] [fastMs=10]
 *
 * Each run gets its own queue; the last one has the slow worker declare capacity 1. Tasks are enqueued at a steady pace (4 workers × 4
 * slots of fastMs each could keep up with one every fastMs/8 ms, the slow worker at a
 * quarter of that); makespan runs from the first enqueue to the last ack, latency from
 * enqueue to the handler's start.
 */
import type { RingPeer } from '../src/index.js'
import { createTestRing } from '../src/testing.js'

const [tasks = 400, fastMs = 10] = process.argv.slice(2).map(Number)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN
}

async function run(peers: RingPeer[], policy: 'round-robin' | 'least-loaded', slowCapacity = 4) {
  const queue = `policy-${policy}-${slowCapacity}`
  const [first] = peers as [RingPeer]
  await first.queues.configure(queue, { policy })
  const enqueuedAt = new Map<string, number>()
  const waits: number[] = []
  const counts = new Map<string, number>()
  let acked = 0
  const workers = Array.from({ length: 4 }, (_, i) => {
    const name = i === 0 ? 'slow' : `fast${i}`
    const ms = i === 0 ? fastMs * 4 : fastMs
    return (peers[i % peers.length] as RingPeer).work(
      queue,
      async (task) => {
        waits.push(Date.now() - (enqueuedAt.get(new TextDecoder().decode(task.payload)) ?? 0))
        await sleep(ms)
        counts.set(name, (counts.get(name) ?? 0) + 1)
        acked++
      },
      { name, concurrency: 4, capacity: i === 0 ? slowCapacity : 4 },
    )
  })
  await Promise.all(workers.map((worker) => worker.ready))
  const started = Date.now()
  const pace = fastMs / 8
  for (let i = 0; i < tasks; i++) {
    const payload = `t${i}`
    enqueuedAt.set(payload, Date.now())
    void first.enqueue(queue, payload)
    await sleep(pace)
  }
  while (acked < tasks) await sleep(5)
  const makespan = Date.now() - started
  await Promise.all(workers.map((worker) => worker.stop()))
  waits.sort((a, b) => a - b)
  return {
    policy,
    slowCapacity,
    makespanMs: makespan,
    startLatencyP50Ms: percentile(waits, 50),
    startLatencyP99Ms: percentile(waits, 99),
    perWorker: Object.fromEntries([...counts].sort()),
  }
}

const ring = await createTestRing(3)
try {
  const [first] = ring.peers as [RingPeer]
  // throughput: enqueue alone, then enqueue → handler → ack with 4 idle workers
  let started = Date.now()
  await Promise.all(Array.from({ length: tasks }, (_, i) => first.enqueue('throughput', `t${i}`)))
  const enqueuePerSecond = Math.round((tasks * 1000) / (Date.now() - started))
  let acked = 0
  started = Date.now()
  const workers = ring.peers
    .concat(ring.peers[0] as RingPeer)
    .map((peer) => peer.work('throughput', () => void acked++, { concurrency: 8 }))
  while (acked < tasks) await sleep(2)
  const endToEndPerSecond = Math.round((tasks * 1000) / (Date.now() - started))
  await Promise.all(workers.map((worker) => worker.stop()))
  console.log(JSON.stringify({ tasks, enqueuePerSecond, drainPerSecond: endToEndPerSecond }))
  for (const policy of ['round-robin', 'least-loaded'] as const) {
    console.log(JSON.stringify(await run(ring.peers, policy)))
  }
  // the slow worker says it is slow: capacity 1 against the others' 4
  console.log(JSON.stringify(await run(ring.peers, 'least-loaded', 1)))
} finally {
  await ring.stop()
}
