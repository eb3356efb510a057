/**
 * Mean hops and get latency (p50/p99) on a ring of N in-process peers on 127.0.0.1.
 *
 *   node_modules/.bin/tsc -b packages/peer && \
 *     node_modules/.bin/node packages/peer/dist/scripts/measure-latency.js [peers=8] [keys=1000] [gets=5000]
 *
 * Maintenance runs with the production timer defaults. Gets are sequential (one at a time) through random peers, so latency is per request,
 * not under load. The first pass warms every channel; only the second is measured.
 */
import { createTestRing } from '../src/testing.js'

const [peers = 8, keys = 1000, gets = 5000] = process.argv.slice(2).map(Number)

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN
}

// production timer defaults, so maintenance traffic is what a real ring sees
const ring = await createTestRing(peers, {
  convergeTimeoutMs: 120_000,
  timers: { stabilizeMs: 1000, fixFingersMs: 2000, checkPredecessorMs: 2000 },
})
try {
  for (let i = 0; i < keys; i++) await ring.peers[i % peers]?.put(`key-${i}`, `value-${i}`)
  const measure = async (count: number) => {
    const latencies: number[] = []
    let hops = 0
    for (let n = 0; n < count; n++) {
      const peer = ring.peers[Math.floor(Math.random() * peers)]
      const key = `key-${Math.floor(Math.random() * keys)}`
      const started = process.hrtime.bigint()
      const found = await peer?.get(key)
      latencies.push(Number(process.hrtime.bigint() - started) / 1e3)
      if (found === undefined) throw new Error(`${key} missing`)
      hops += found.hops
    }
    return { latencies: latencies.sort((a, b) => a - b), meanHops: hops / count }
  }
  await measure(Math.min(gets, 1000))
  const { latencies, meanHops } = await measure(gets)
  console.log(
    JSON.stringify({
      peers,
      keys,
      gets,
      meanHops: Number(meanHops.toFixed(3)),
      p50Micros: Math.round(percentile(latencies, 50)),
      p99Micros: Math.round(percentile(latencies, 99)),
      meanMicros: Math.round(latencies.reduce((a, b) => a + b, 0) / latencies.length),
    }),
  )
} finally {
  await ring.stop()
}
