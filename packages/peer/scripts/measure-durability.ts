/**
 * Put throughput and latency with durable acknowledgements and without, in one run, on
 * a ring of N in-process peers with LMDB stores (r = 3, W = 2), and get latency with
 * quorum reads and with one copy.
 *
 *   node_modules/.bin/tsc -b packages/peer && \
 *     node_modules/.bin/node packages/peer/dist/scripts/measure-durability.js [peers=4] [seconds=6] [concurrency=32]
 *
 * Puts run `concurrency` at a time through random peers for `seconds`; 'sync' waits for
 * each replica's flush (shared by the writes of one batch), 'none' for the page cache.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RingPeer } from '../src/peer.js'
import { createTestRing } from '../src/testing.js'

const [peers = 4, seconds = 6, concurrency = 32] = process.argv.slice(2).map(Number)

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN
}

async function measurePuts(ring: RingPeer[]): Promise<{ opsPerSecond: number; p50Ms: number }> {
  const latencies: number[] = []
  const until = performance.now() + seconds * 1000
  let next = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const i = next++
        const started = performance.now()
        await ring[i % ring.length]?.put(`key-${i}`, `value-${i}`)
        latencies.push(performance.now() - started)
      }
    }),
  )
  latencies.sort((a, b) => a - b)
  return {
    opsPerSecond: Math.round(latencies.length / seconds),
    p50Ms: Number(percentile(latencies, 50).toFixed(2)),
  }
}

async function measureGets(ring: RingPeer[], consistency: 'quorum' | 'one'): Promise<number> {
  const latencies: number[] = []
  for (let i = 0; i < 2000; i++) {
    const started = performance.now()
    await ring[i % ring.length]?.get(`key-${i % 500}`, { consistency })
    latencies.push(performance.now() - started)
  }
  latencies.sort((a, b) => a - b)
  return Number(percentile(latencies, 50).toFixed(3))
}

const results: Record<string, unknown> = { peers, seconds, concurrency }
for (const durability of ['sync', 'none'] as const) {
  const root = await mkdtemp(join(tmpdir(), `ringdht-durability-${durability}-`))
  let index = 0
  const dataDir = () => join(root, `peer-${index++}`)
  const ring = await createTestRing(1, {
    dataDir: dataDir(),
    durability,
    convergeTimeoutMs: 60_000,
  })
  try {
    for (let i = 1; i < peers; i++) await ring.add({ dataDir: dataDir(), durability })
    results[`put_${durability}`] = await measurePuts(ring.peers)
    if (durability === 'sync') {
      results.get_p50_ms_quorum = await measureGets(ring.peers, 'quorum')
      results.get_p50_ms_one = await measureGets(ring.peers, 'one')
    }
  } finally {
    await ring.stop()
    await rm(root, { recursive: true, force: true })
  }
}
console.log(JSON.stringify(results))
