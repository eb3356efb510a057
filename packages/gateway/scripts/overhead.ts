/**
 * What the gateway adds to a get: N sequential GETs of the same keys through the client
 * it wraps and through HTTP (undici, keep-alive), interleaved get by get, in one run.
 *
 *   node packages/gateway/dist/scripts/overhead.js                 # an in-process ring of 5
 *   node packages/gateway/dist/scripts/overhead.js --peer MULTIADDR --http URL   # a running cluster
 *
 * HTTP goes through undici's `request` on one keep-alive connection, as a tuned HTTP
 * client would. Prints p50/p90/p99 of each and the p50 ratio (HTTP / client) as one JSON object.
 */
import { parseArgs } from 'node:util'
import { createClient, type RingClient } from '@ringdht/peer'
import { Agent, request } from 'undici'
import { createGateway, type Gateway } from '../src/index.js'
import { type LocalRing, startRing } from '../test/ring.js'

const { values } = parseArgs({
  options: {
    peer: { type: 'string' },
    http: { type: 'string' },
    gets: { type: 'string', default: '2000' },
    keys: { type: 'string', default: '200' },
    nodes: { type: 'string', default: '5' },
  },
})
const gets = Number(values.gets)
const keyCount = Number(values.keys)

let ring: LocalRing | undefined
let gateway: Gateway | undefined
let gatewayClient: RingClient | undefined
let peerAddr = values.peer
let baseUrl = values.http
if (peerAddr === undefined || baseUrl === undefined) {
  ring = await startRing(Number(values.nodes))
  peerAddr = String(ring.peers[0]?.getMultiaddrs()[0])
  // as the daemon does: the gateway serves through its own client dialled to its member
  gatewayClient = await createClient({ peer: peerAddr })
  await gatewayClient.refreshRouting()
  gateway = createGateway({ client: gatewayClient, events: ring.peers[0] }, { port: 0 })
  baseUrl = await gateway.start()
}
const client = await createClient({ peer: peerAddr })
await client.refreshRouting()
const agent = new Agent({ keepAliveTimeout: 60_000, connections: 1 })

try {
  const keys = Array.from({ length: keyCount }, (_, i) => `overhead-${i}`)
  for (const key of keys) await client.put(key, `value of ${key} ${'x'.repeat(100)}`)

  const viaClient: number[] = []
  const viaHttp: number[] = []
  const timeClient = async (key: string) => {
    const start = process.hrtime.bigint()
    const found = await client.get(key)
    viaClient.push(Number(process.hrtime.bigint() - start) / 1e6)
    if (found === undefined) throw new Error(`client: ${key} not found`)
  }
  const timeHttp = async (key: string) => {
    const start = process.hrtime.bigint()
    const response = await request(`${baseUrl}/v1/kv/${key}`, { dispatcher: agent })
    await response.body.arrayBuffer()
    viaHttp.push(Number(process.hrtime.bigint() - start) / 1e6)
    if (response.statusCode !== 200) throw new Error(`http: ${key} answered ${response.statusCode}`)
  }
  // warm both paths (connections, JIT), then measure
  for (const key of keys) {
    await timeClient(key)
    await timeHttp(key)
  }
  viaClient.length = 0
  viaHttp.length = 0
  // one get each way per key, alternating which goes first, so both paths see the same
  // machine (other processes, GC, the ring's own maintenance) at the same moments
  for (let i = 0; i < gets; i++) {
    const key = keys[i % keyCount] as string
    if (i % 2 === 0) {
      await timeClient(key)
      await timeHttp(key)
    } else {
      await timeHttp(key)
      await timeClient(key)
    }
  }
  const client50 = percentile(viaClient, 0.5)
  const http50 = percentile(viaHttp, 0.5)
  process.stdout.write(
    `${JSON.stringify(
      {
        target: values.peer === undefined ? `in-process ring of ${values.nodes}` : peerAddr,
        gets: viaClient.length,
        clientMs: summary(viaClient),
        httpMs: summary(viaHttp),
        p50Ratio: Number((http50 / client50).toFixed(2)),
      },
      null,
      2,
    )}\n`,
  )
} finally {
  await agent.close()
  await client.close()
  await gateway?.stop()
  await gatewayClient?.close()
  await ring?.stop()
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN
}

function summary(samples: number[]): { p50: number; p90: number; p99: number } {
  const round = (value: number) => Number(value.toFixed(3))
  return {
    p50: round(percentile(samples, 0.5)),
    p90: round(percentile(samples, 0.9)),
    p99: round(percentile(samples, 0.99)),
  }
}
