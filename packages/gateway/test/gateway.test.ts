import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { connect } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { createClient, createPeer, type RingClient, type RingPeer } from '@ringdht/peer'
import { createGateway, type Gateway } from '../src/index.js'
import { parseExposition, sampleValue } from './exposition.js'
import { type LocalRing, startRing } from './ring.js'

/**
 * The gateway over a real ring: three libp2p peers on 127.0.0.1 in this process, the
 * gateway serving through a real client dialled to one of them, requests over real HTTP.
 */
describe('gateway over a real ring', { timeout: 120_000 }, () => {
  let ring: LocalRing
  let client: RingClient
  let gateway: Gateway
  let url: string
  const MAX_VALUE = 64 * 1024

  before(async () => {
    ring = await startRing(3, { limits: { maxValueBytes: MAX_VALUE } })
    const first = ring.peers[0]
    assert.ok(first)
    client = await createClient({ peer: String(first.getMultiaddrs()[0]), timeoutMs: 5_000 })
    gateway = createGateway(
      { client, events: first },
      {
        port: 0,
        maxValueBytes: MAX_VALUE,
        maxKeyBytes: 64,
        ringRefreshMs: 200,
        processMetrics: false,
      },
    )
    gateway.register((app) => {
      app.get(
        '/v1/echo/:word',
        {
          schema: {
            summary: 'A capability route',
            params: { type: 'object', properties: { word: { type: 'string', maxLength: 5 } } },
          },
        },
        async (request) => ({ word: (request.params as { word: string }).word }),
      )
    })
    url = await gateway.start()
  })

  after(async () => {
    await gateway?.stop()
    await client?.close()
    await ring?.stop()
  })

  it('puts, gets and deletes raw bytes', async () => {
    const value = randomBytes(4096)
    const put = await fetch(`${url}/v1/kv/greeting`, { method: 'PUT', body: value })
    assert.equal(put.status, 200)
    const written = (await put.json()) as { hops: number; replicas?: number }
    assert.equal(typeof written.hops, 'number')
    const got = await fetch(`${url}/v1/kv/greeting`)
    assert.equal(got.status, 200)
    assert.equal(got.headers.get('content-type'), 'application/octet-stream')
    assert.deepEqual(Buffer.from(await got.arrayBuffer()), value)
    // the same value through the library
    assert.deepEqual(Buffer.from((await client.get('greeting'))?.value ?? []), value)
    const deleted = await fetch(`${url}/v1/kv/greeting`, { method: 'DELETE' })
    assert.equal(deleted.status, 200)
    const gone = await fetch(`${url}/v1/kv/greeting`)
    assert.equal(gone.status, 404)
    assert.equal(((await gone.json()) as { code: string }).code, 'NOT_FOUND')
  })

  it('takes any content type, an empty body, and keys with slashes and non-ASCII text', async () => {
    const key = encodeURIComponent('dir/sub dir/ключ?')
    const put = await fetch(`${url}/v1/kv/${key}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"not":"parsed"}',
    })
    assert.equal(put.status, 200)
    assert.equal(await (await fetch(`${url}/v1/kv/${key}`)).text(), '{"not":"parsed"}')
    assert.equal((await client.get('dir/sub dir/ключ?'))?.value.length, 16)
    assert.equal((await fetch(`${url}/v1/kv/empty`, { method: 'PUT' })).status, 200)
    const empty = await fetch(`${url}/v1/kv/empty`)
    assert.equal(empty.status, 200)
    assert.equal((await empty.arrayBuffer()).byteLength, 0)
  })

  it('reads binary keys given as base64url or hex', async () => {
    const key = Buffer.from([0, 255, 1, 254])
    const put = await fetch(`${url}/v1/kv/${key.toString('base64url')}?encoding=base64url`, {
      method: 'PUT',
      body: 'binary',
    })
    assert.equal(put.status, 200)
    const got = await fetch(`${url}/v1/kv/${key.toString('hex')}?encoding=hex`)
    assert.equal(await got.text(), 'binary')
    assert.equal(new TextDecoder().decode((await client.get(key))?.value), 'binary')
  })

  it('puts a key with ?ttlMs= and shows its expiry in x-ringdht-expires-at', async () => {
    const put = await fetch(`${url}/v1/kv/expiring?ttlMs=600000`, { method: 'PUT', body: 'x' })
    assert.equal(put.status, 200)
    const got = await fetch(`${url}/v1/kv/expiring`)
    const expiresAt = Date.parse(got.headers.get('x-ringdht-expires-at') ?? '')
    assert.ok(Math.abs(expiresAt - (Date.now() + 600_000)) < 60_000, `expires at ${expiresAt}`)
    assert.equal((await client.get('expiring'))?.expiresAt, expiresAt)
    await fetch(`${url}/v1/kv/lasting`, { method: 'PUT', body: 'x' })
    assert.equal((await fetch(`${url}/v1/kv/lasting`)).headers.get('x-ringdht-expires-at'), null)
  })

  it('adds hops and path headers with ?trace=1', async () => {
    await fetch(`${url}/v1/kv/traced`, { method: 'PUT', body: 'x' })
    const got = await fetch(`${url}/v1/kv/traced?trace=1`)
    assert.equal(got.status, 200)
    assert.match(got.headers.get('x-ringdht-hops') ?? '', /^\d+$/)
    const path = (got.headers.get('x-ringdht-path') ?? '').split(',')
    const ids = new Set(ring.peers.map((p) => p.peerId.toString()))
    assert.ok(path.length >= 1)
    for (const id of path) assert.ok(ids.has(id), `path member ${id} is a ring member`)
    const plain = await fetch(`${url}/v1/kv/traced`)
    assert.equal(plain.headers.get('x-ringdht-path'), null)
  })

  it('answers bad requests with a 4xx and a reason, before they reach the ring', async () => {
    const keyOperations = async () => {
      let total = 0
      for (const peer of ring.peers) {
        const { counters } = await peer.status()
        total += (counters.gets ?? 0) + (counters.puts ?? 0) + (counters.deletes ?? 0)
      }
      return total
    }
    const before = await keyOperations()
    const cases: Array<[string, RequestInit, number, RegExp]> = [
      ['/v1/kv/%ZZ', {}, 400, /./],
      ['/v1/kv/zz?encoding=hex', {}, 400, /hex/],
      ['/v1/kv/a*b?encoding=base64url', {}, 400, /base64url/],
      ['/v1/kv/abc?trace=maybe', {}, 400, /trace/],
      ['/v1/kv/abc?encoding=rot13', {}, 400, /encoding/],
      ['/v1/kv/abc?colour=red', {}, 400, /additional/],
      [`/v1/kv/${'k'.repeat(65)}`, {}, 400, /limit is 64/],
      ['/v1/kv/abc?quorum=0', { method: 'PUT', body: 'x' }, 400, /quorum/],
      ['/v1/kv/abc?ttlMs=0', { method: 'PUT', body: 'x' }, 400, /ttlMs/],
      ['/v1/kv/abc?ttlMs=soon', { method: 'PUT', body: 'x' }, 400, /ttlMs/],
      ['/v1/kv/big', { method: 'PUT', body: Buffer.alloc(MAX_VALUE + 1) }, 413, /too large/i],
      ['/v1/nothing-here', {}, 404, /no route GET \/v1\/nothing-here/],
      ['/v1/kv/abc', { method: 'PATCH', body: 'x' }, 404, /no route PATCH/],
    ]
    for (const [path, init, status, message] of cases) {
      const response = await fetch(`${url}${path}`, init)
      assert.equal(response.status, status, `${init.method ?? 'GET'} ${path}`)
      const body = (await response.json()) as { message: string; statusCode: number }
      assert.equal(body.statusCode, status, path)
      assert.match(body.message, message, `${path}: ${body.message}`)
    }
    // the oversized key of 65 bytes is refused by the gateway; a 2 KiB one by the router
    const long = await fetch(`${url}/v1/kv/${'k'.repeat(4096)}`)
    assert.ok(long.status === 414 || long.status === 400, `long key: ${long.status}`)
    assert.equal(await keyOperations(), before, 'no bad request reached the ring')
  })

  it('serves the ring and the status of the member', async () => {
    const response = await fetch(`${url}/v1/ring`)
    assert.equal(response.status, 200)
    const snapshot = (await response.json()) as {
      replicas: number
      members: Array<{ peerId: string; ringId: string; state: string; keyCount: number }>
    }
    assert.equal(snapshot.members.length, 3)
    assert.deepEqual(
      new Set(snapshot.members.map((m) => m.peerId)),
      new Set(ring.peers.map((p) => p.peerId.toString())),
    )
    for (const m of snapshot.members) assert.equal(m.state, 'ok', m.peerId)
    const status = (await (await fetch(`${url}/v1/status`)).json()) as {
      peerId: string
      counters: Record<string, number>
    }
    assert.equal(status.peerId, ring.peers[0]?.peerId.toString())
    assert.equal(typeof status.counters.requests, 'number')
    const svg = await fetch(`${url}/v1/ring.svg`)
    assert.match(svg.headers.get('content-type') ?? '', /image\/svg\+xml/)
    assert.equal((await svg.text()).match(/<g class="member"/g)?.length, 3)
  })

  it('lets a capability register its routes, documented in the OpenAPI document', async () => {
    assert.deepEqual(await (await fetch(`${url}/v1/echo/hello`)).json(), { word: 'hello' })
    assert.equal((await fetch(`${url}/v1/echo/toolong`)).status, 400)
    const doc = (await (await fetch(`${url}/v1/openapi.json`)).json()) as {
      openapi: string
      paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }> }>>
    }
    assert.equal(doc.openapi, '3.1.0')
    assert.deepEqual(Object.keys(doc.paths['/v1/kv/{key}'] ?? {}).sort(), ['delete', 'get', 'put'])
    const get = doc.paths['/v1/kv/{key}']?.get
    assert.deepEqual(
      get?.parameters?.map((p) => `${p.in}:${p.name}`),
      ['path:key', 'query:trace', 'query:encoding'],
    )
    for (const path of ['/v1/ring', '/v1/status', '/v1/events', '/metrics', '/v1/echo/{word}']) {
      assert.ok(doc.paths[path], `${path} is documented`)
    }
    assert.equal(doc.paths['/'], undefined)
  })

  it('serves the ring page and its scripts', async () => {
    const page = await fetch(`${url}/`)
    assert.match(page.headers.get('content-type') ?? '', /text\/html/)
    assert.match(await page.text(), /<script type="module" src="\/assets\/page.js">/)
    const module = await fetch(`${url}/assets/ring-svg.js`)
    assert.match(module.headers.get('content-type') ?? '', /javascript/)
    const source = await module.text()
    assert.match(source, /export function renderRingSvg/)
    assert.doesNotMatch(source, /^import /m)
    assert.equal((await fetch(`${url}/assets/page.js`)).status, 200)
  })

  it('exposes Prometheus metrics that parse and follow the naming conventions', async () => {
    for (let i = 0; i < 5; i++)
      await fetch(`${url}/v1/kv/metric-${i}`, { method: 'PUT', body: 'v' })
    for (let i = 0; i < 5; i++) await fetch(`${url}/v1/kv/metric-${i}`)
    await fetch(`${url}/v1/kv/metric-absent`)
    const response = await fetch(`${url}/metrics`)
    assert.equal(response.status, 200)
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0.0.4/)
    const families = parseExposition(await response.text())
    for (const family of families.values()) {
      assert.match(family.name, /^ringdht_[a-z0-9_]+$/, family.name)
      assert.notEqual(family.help, '', `${family.name} has help`)
      if (family.type === 'counter') assert.match(family.name, /_total$/, family.name)
      else assert.doesNotMatch(family.name, /_total$/, family.name)
      if (family.name.includes('duration')) assert.match(family.name, /_seconds$/, family.name)
    }
    assert.ok(
      (sampleValue(families, 'ringdht_requests_total', { operation: 'get', outcome: 'ok' }) ?? 0) >=
        5,
    )
    assert.ok(
      (sampleValue(families, 'ringdht_requests_total', { operation: 'put', outcome: 'ok' }) ?? 0) >=
        5,
    )
    assert.ok(
      (sampleValue(families, 'ringdht_requests_total', {
        operation: 'get',
        outcome: 'not_found',
      }) ?? 0) >= 1,
    )
    // a histogram's buckets grow, end at +Inf and agree with _count
    const buckets = families
      .get('ringdht_request_duration_seconds')
      ?.samples.filter((s) => s.name.endsWith('_bucket') && s.labels.operation === 'get')
    assert.ok(buckets !== undefined && buckets.length > 1)
    for (let i = 1; i < buckets.length; i++) {
      assert.ok((buckets[i]?.value ?? 0) >= (buckets[i - 1]?.value ?? 0), `bucket ${i} grows`)
    }
    assert.equal(buckets.at(-1)?.labels.le, '+Inf')
    assert.equal(
      buckets.at(-1)?.value,
      sampleValue(families, 'ringdht_request_duration_seconds_count', { operation: 'get' }),
    )
    assert.ok(families.has('ringdht_request_hops'))
    assert.ok((sampleValue(families, 'ringdht_peer_requests_total') ?? 0) > 0)
    assert.ok(families.has('ringdht_forwards_total'))
    assert.ok(families.has('ringdht_replication_quorum_failures_total'))
    assert.ok(families.has('ringdht_replication_repairs_total'))
    assert.ok(families.has('ringdht_keys_moved_total'))
    assert.ok(families.has('ringdht_membership_failures_detected_total'))
    assert.equal(sampleValue(families, 'ringdht_membership_members_known'), 3)
    assert.ok((sampleValue(families, 'ringdht_store_records', { scope: 'all' }) ?? -1) >= 0)
    assert.equal(sampleValue(families, 'ringdht_up'), 1)
    assert.ok(
      (sampleValue(families, 'ringdht_http_requests_total', {
        method: 'GET',
        route: '/v1/kv/:key',
        status_code: '404',
      }) ?? 0) >= 1,
    )
  })

  it('streams ring snapshots as Server-Sent Events, and resumes after Last-Event-ID', async () => {
    const first = await readEvents(`${url}/v1/events`, 1)
    assert.equal(first[0]?.event, 'ring')
    const snapshot = JSON.parse(first[0]?.data ?? '{}') as { members: unknown[] }
    assert.equal(snapshot.members.length, 3)
    const id = first[0]?.id ?? ''
    assert.match(id, /^\d+$/)
    // a peer event published after that id is replayed to a reader resuming from it
    gateway.events.publish('peer', { event: 'test', detail: {} })
    const resumed = await readEvents(`${url}/v1/events`, 1, { 'last-event-id': id })
    assert.equal(resumed[0]?.event, 'peer')
    assert.equal(Number(resumed[0]?.id), Number(id) + 1)
  })

  it('publishes a new ring snapshot when a member joins (last: it changes the ring)', async () => {
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), 30_000)
    try {
      const response = await fetch(`${url}/v1/events`, { signal: controller.signal })
      const reader = (response.body as ReadableStream<Uint8Array>).getReader()
      const decoder = new TextDecoder()
      let buffer = ''
      let joined: RingPeer | undefined
      for (;;) {
        const { value, done } = await reader.read()
        assert.ok(!done, 'the stream ended')
        buffer += decoder.decode(value, { stream: true })
        const sizes = [...buffer.matchAll(/^event: ring\ndata: (.*)$/gm)].map(
          (match) => (JSON.parse(match[1] as string) as { members: unknown[] }).members.length,
        )
        if (sizes.includes(4)) break
        if (joined === undefined && sizes.includes(3)) {
          joined = await createPeer({
            bootstrap: [String(ring.peers[0]?.getMultiaddrs()[0])],
            timers: { stabilizeMs: 100, fixFingersMs: 200, checkPredecessorMs: 300 },
          })
          ring.peers.push(joined)
        }
      }
      await reader.cancel().catch(() => {})
    } finally {
      clearTimeout(timer)
      controller.abort()
    }
  })
})

describe('gateway limits', { timeout: 120_000 }, () => {
  let ring: LocalRing
  let client: RingClient

  before(async () => {
    ring = await startRing(1)
    client = await createClient({ peer: String(ring.peers[0]?.getMultiaddrs()[0]) })
  })

  after(async () => {
    await client?.close()
    await ring?.stop()
  })

  it('bounds the open event streams and cuts off a reader that never reads', async () => {
    const events = new EventTarget()
    const gateway = createGateway(
      { client, events },
      { port: 0, maxEventStreams: 2, maxStreamBufferedBytes: 64 * 1024, processMetrics: false },
    )
    const url = await gateway.start()
    const { port } = new URL(url)
    const sockets: ReturnType<typeof connect>[] = []
    try {
      // a reader that sends its request and then never reads
      const stalled = connect({ host: '127.0.0.1', port: Number(port) })
      sockets.push(stalled)
      await new Promise((done) => stalled.once('connect', done))
      stalled.write('GET /v1/events HTTP/1.1\r\nHost: x\r\n\r\n')
      stalled.pause()
      const reader = new AbortController()
      const second = await fetch(`${url}/v1/events`, { signal: reader.signal })
      assert.equal(second.status, 200)
      await waitUntil(() => gateway.events.size === 2, 'two streams open')
      const third = await fetch(`${url}/v1/events`)
      assert.equal(third.status, 503)
      assert.equal(((await third.json()) as { code: string }).code, 'TOO_MANY_STREAMS')
      reader.abort()
      await second.body?.cancel().catch(() => {})
      await waitUntil(() => gateway.events.size === 1, 'the aborted stream closed')
      // flood the stalled reader: the kernel buffers fill, then the gateway's bound cuts it
      const detail = { peer: { peerId: 'x' }, role: 'successor', reason: 'x'.repeat(64 * 1024) }
      for (let i = 0; i < 400 && gateway.events.size > 0; i++) {
        events.dispatchEvent(new CustomEvent('peer:left', { detail }))
        await new Promise((done) => setImmediate(done))
      }
      await waitUntil(() => gateway.events.size === 0, 'the stalled reader was cut off')
      assert.ok(gateway.events.dropped >= 1)
      // and the gateway still answers
      assert.equal((await fetch(`${url}/v1/status`)).status, 200)
      const metrics = parseExposition(await (await fetch(`${url}/metrics`)).text())
      assert.ok((sampleValue(metrics, 'ringdht_http_event_streams_dropped_total') ?? 0) >= 1)
    } finally {
      for (const socket of sockets) socket.destroy()
      await gateway.stop()
    }
  })

  it('keeps an event stream open past the request deadline, with heartbeats', async () => {
    const gateway = createGateway(
      { client },
      { port: 0, requestTimeoutMs: 300, heartbeatMs: 100, processMetrics: false },
    )
    const url = await gateway.start()
    try {
      const response = await fetch(`${url}/v1/events`)
      const reader = (response.body as ReadableStream<Uint8Array>).getReader()
      const decoder = new TextDecoder()
      let text = ''
      const until = Date.now() + 1_500
      while (Date.now() < until) {
        const { value, done } = await reader.read()
        assert.ok(!done, `the stream ended after ${text.length} bytes`)
        text += decoder.decode(value, { stream: true })
      }
      assert.ok((text.match(/^: ping$/gm) ?? []).length >= 5, text)
      assert.equal(gateway.events.size, 1)
      await reader.cancel()
    } finally {
      await gateway.stop()
    }
  })

  it('asks for the bearer token when one is set, except for the page', async () => {
    const gateway = createGateway({ client }, { port: 0, token: 's3cret', processMetrics: false })
    const url = await gateway.start()
    try {
      const denied = await fetch(`${url}/v1/status`)
      assert.equal(denied.status, 401)
      assert.equal(denied.headers.get('www-authenticate'), 'Bearer')
      assert.equal((await fetch(`${url}/metrics`)).status, 401)
      assert.equal(
        (await fetch(`${url}/v1/status`, { headers: { authorization: 'Bearer nope' } })).status,
        401,
      )
      const allowed = await fetch(`${url}/v1/status`, {
        headers: { authorization: 'Bearer s3cret' },
      })
      assert.equal(allowed.status, 200)
      const put = await fetch(`${url}/v1/kv/t?access_token=s3cret`, { method: 'PUT', body: 'v' })
      assert.equal(put.status, 200)
      assert.equal((await fetch(`${url}/`)).status, 200)
    } finally {
      await gateway.stop()
    }
  })

  it('answers 504 when the ring does not answer within the request deadline', async () => {
    const gateway = createGateway(
      {
        client: {
          get: (_key, options) =>
            new Promise((_, reject) =>
              options?.signal?.addEventListener('abort', () => reject(options.signal?.reason)),
            ),
          put: (key, value, options) => client.put(key, value, options),
          delete: (key, options) => client.delete(key, options),
          status: (options) => client.status(options),
          ring: (options) => client.ring(options),
        },
      },
      { port: 0, requestTimeoutMs: 300, processMetrics: false },
    )
    const url = await gateway.start()
    try {
      const response = await fetch(`${url}/v1/kv/slow`)
      assert.equal(response.status, 504)
      assert.equal(((await response.json()) as { code: string }).code, 'TIMEOUT')
    } finally {
      await gateway.stop()
    }
  })
})

interface ReadEvent {
  id?: string
  event?: string
  data?: string
}

/** Reads `count` events from an event stream, then closes it. */
async function readEvents(
  url: string,
  count: number,
  headers: Record<string, string> = {},
): Promise<ReadEvent[]> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), 15_000)
  try {
    const response = await fetch(url, { headers, signal: controller.signal })
    assert.equal(response.status, 200)
    assert.match(response.headers.get('content-type') ?? '', /text\/event-stream/)
    const events: ReadEvent[] = []
    let buffer = ''
    const decoder = new TextDecoder()
    const reader = (response.body as ReadableStream<Uint8Array>).getReader()
    try {
      while (events.length < count) {
        const { value, done } = await reader.read()
        if (done) break
        buffer += decoder.decode(value, { stream: true })
        let end = buffer.indexOf('\n\n')
        while (end !== -1) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const event: ReadEvent = {}
          for (const line of block.split('\n')) {
            const [field, ...rest] = line.split(': ')
            if (field === 'id' || field === 'event' || field === 'data')
              event[field] = rest.join(': ')
          }
          if (event.event !== undefined) events.push(event)
          end = buffer.indexOf('\n\n')
        }
      }
    } finally {
      await reader.cancel().catch(() => {})
    }
    return events
  } finally {
    clearTimeout(timer)
  }
}

async function waitUntil(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`)
    await new Promise((done) => setTimeout(done, 20))
  }
}
