import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createClient, type RingClient } from '@ringdht/peer'
import { createGateway, type Gateway } from '../src/index.js'
import { type LocalRing, startRing } from './ring.js'

/** The coordination registers over HTTP, through a real client of a real ring of 3. */
describe('register routes', { timeout: 120_000 }, () => {
  let ring: LocalRing
  let client: RingClient
  let gateway: Gateway
  let url: string

  before(async () => {
    ring = await startRing(3)
    client = await createClient({
      peer: String(ring.peers[0]?.getMultiaddrs()[0]),
      timeoutMs: 5_000,
    })
    gateway = createGateway(
      { client, events: ring.peers[0] as NonNullable<(typeof ring.peers)[0]> },
      { port: 0, ringRefreshMs: 200, processMetrics: false },
    )
    url = await gateway.start()
  })
  after(async () => {
    await gateway?.stop()
    await client?.close()
    await ring?.stop()
  })

  const cas = (key: string, body: unknown) =>
    fetch(`${url}/v1/registers/${encodeURIComponent(key)}/cas`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })

  it('compare-and-sets and reads a register, 412 when it held another value', async () => {
    const absent = await fetch(`${url}/v1/registers/cfg`)
    assert.equal(absent.status, 404)
    const created = await cas('cfg', { next: 'v1' })
    assert.equal(created.status, 200)
    assert.deepEqual(await created.json(), {
      succeeded: true,
      value: 'v1',
      valueEncoding: 'utf8',
      version: 1,
    })
    const refused = await cas('cfg', { expected: 'other', next: 'v2' })
    assert.equal(refused.status, 412)
    assert.equal(((await refused.json()) as { value: string }).value, 'v1')
    const read = await fetch(`${url}/v1/registers/cfg`)
    assert.equal(read.status, 200)
    assert.equal(read.headers.get('x-ringdht-register-version'), '1')
    assert.equal(await read.text(), 'v1')
    // the same register through the library; a kv get does not see it
    assert.equal(new TextDecoder().decode((await client.read('cfg')).value), 'v1')
    assert.equal((await fetch(`${url}/v1/kv/cfg`)).status, 404)
  })

  it('refuses a bad body and a stale fence with clear errors', async () => {
    const encoding = await cas('cfg2', { next: 'x', valueEncoding: 'rot13' })
    assert.equal(encoding.status, 400)
    const zero = await cas('cfg2', { next: 'x', fence: 0 })
    assert.equal(zero.status, 400)
    const long = await cas('k'.repeat(2000), { next: 'x' })
    assert.equal(long.status, 400)
    assert.equal((await cas('fenced', { next: 'a', fence: 5 })).status, 200)
    const stale = await cas('fenced', { expected: 'a', next: 'b', fence: 4 })
    assert.equal(stale.status, 409)
    assert.equal(((await stale.json()) as { code: string }).code, 'FENCED')
    // a token above its lock's latest grant (no grant at all here) is from the future
    const future = await cas('fenced', { expected: 'a', next: 'c', fence: 9, lock: 'never-taken' })
    assert.equal(future.status, 400)
    assert.match(((await future.json()) as { message: string }).message, /from the future/)
  })
})
