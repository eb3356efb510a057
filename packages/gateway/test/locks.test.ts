import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createClient, type RingClient } from '@ringdht/peer'
import { createGateway, type Gateway, type GatewayClient } from '../src/index.js'
import { type LocalRing, startRing } from './ring.js'
import { EventStream } from './sse-stream.js'

interface Grant {
  token: number
  holder: string
  leaseMs: number
}

interface ErrorBody {
  code: string
  message: string
  token?: number
  leader?: string | null
  term?: number
}

/** Locks and elections over HTTP, through a real client of a real ring of 3. */
describe('lock and election routes', { timeout: 180_000 }, () => {
  let ring: LocalRing
  let client: RingClient
  let gateway: Gateway
  let url: string
  /** Locks and elections the routes asked the client for: bad input must never get there. */
  let leasesAsked = 0
  let counting: GatewayClient

  before(async () => {
    ring = await startRing(3)
    client = await createClient({
      peer: String(ring.peers[0]?.getMultiaddrs()[0]),
      timeoutMs: 5_000,
    })
    const real = client
    counting = {
      get: (key, options) => real.get(key, options),
      put: (key, value, options) => real.put(key, value, options),
      delete: (key, options) => real.delete(key, options),
      cas: (key, expected, next, options) => real.cas(key, expected, next, options),
      read: (key, options) => real.read(key, options),
      status: () => real.status(),
      ring: (options) => real.ring(options),
      coordination: {
        lockLease: (name) => {
          leasesAsked++
          return real.coordination.lockLease(name)
        },
        electionLease: (name) => {
          leasesAsked++
          return real.coordination.electionLease(name)
        },
        observe: (name, options) => real.coordination.observe(name, options),
      },
    }
    gateway = createGateway(
      { client: counting },
      { port: 0, ringRefreshMs: 200, processMetrics: false, heartbeatMs: 500 },
    )
    url = await gateway.start()
  })
  after(async () => {
    await gateway?.stop()
    await client?.close()
    await ring?.stop()
  })

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    })
  const release = (name: string, grant: { holder: string; token: number }) =>
    fetch(`${url}/v1/locks/${name}`, {
      method: 'DELETE',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(grant),
    })
  const errorOf = async (response: Response) => (await response.json()) as ErrorBody

  it('acquires, refuses another holder, renews, releases; a stale token is refused', async () => {
    const taken = await post('/v1/locks/jobs', { ttlMs: 5_000, holder: 'worker-a' })
    assert.equal(taken.status, 200)
    const first = (await taken.json()) as Grant
    assert.equal(first.holder, 'worker-a')
    assert.ok(first.token >= 1)
    assert.ok(first.leaseMs > 0 && first.leaseMs <= 5_000)

    const refused = await post('/v1/locks/jobs', { ttlMs: 5_000 })
    assert.equal(refused.status, 423)
    assert.ok(Number(refused.headers.get('retry-after')) >= 1)
    const held = await errorOf(refused)
    assert.equal(held.code, 'LOCK_HELD')
    assert.equal(held.token, first.token)
    assert.doesNotMatch(held.message, /worker-a/, 'the holder id is not shown to others')

    // asking again as the holder keeps the token (an answer lost in transit can be retried)
    const again = (await (
      await post('/v1/locks/jobs', { ttlMs: 5_000, holder: 'worker-a' })
    ).json()) as Grant
    assert.equal(again.token, first.token)

    const renewed = await post('/v1/locks/jobs/renew', {
      holder: 'worker-a',
      token: first.token,
      ttlMs: 8_000,
    })
    assert.equal(renewed.status, 200)
    assert.ok(((await renewed.json()) as Grant).leaseMs > 5_000)

    // released with the grant in headers
    const released = await fetch(`${url}/v1/locks/jobs`, {
      method: 'DELETE',
      headers: { 'x-ringdht-lock-token': String(first.token), 'x-ringdht-lock-holder': 'worker-a' },
    })
    assert.equal(released.status, 204)

    const second = (await (await post('/v1/locks/jobs', { ttlMs: 5_000 })).json()) as Grant
    assert.ok(second.token > first.token, 'every grant a higher token')
    assert.notEqual(second.holder, 'worker-a')

    for (const stale of [
      await release('jobs', { holder: 'worker-a', token: first.token }),
      await release('jobs', { holder: second.holder, token: first.token }),
      await post('/v1/locks/jobs/renew', { holder: 'worker-a', token: first.token, ttlMs: 5_000 }),
    ]) {
      assert.equal(stale.status, 409)
      assert.equal((await errorOf(stale)).code, 'LOCK_NOT_HELD')
    }
    // the refusals changed nothing: the second holder still has it
    const state = await client.coordination.lockState('jobs')
    assert.equal(state.holder, second.holder)
    assert.equal(state.token, second.token)
    assert.equal((await release('jobs', second)).status, 204)
  })

  it('fences register writes with the token an HTTP lock granted', async () => {
    const cas = (body: unknown) => post('/v1/registers/jobs%2Fstate/cas', body)
    const first = (await (await post('/v1/locks/fenced', { ttlMs: 5_000 })).json()) as Grant
    const written = await cas({ next: 'one', fence: first.token, lock: 'fenced' })
    assert.equal(written.status, 200)
    assert.equal((await release('fenced', first)).status, 204)

    const second = (await (await post('/v1/locks/fenced', { ttlMs: 5_000 })).json()) as Grant
    assert.equal(
      (await cas({ expected: 'one', next: 'two', fence: second.token, lock: 'fenced' })).status,
      200,
    )
    // the first holder, paused past its release, writes with its old token: refused
    const late = await cas({ expected: 'two', next: 'late', fence: first.token, lock: 'fenced' })
    assert.equal(late.status, 409)
    assert.equal((await errorOf(late)).code, 'FENCED')
    // a token the lock never granted is refused too
    const future = await cas({
      expected: 'two',
      next: 'x',
      fence: second.token + 5,
      lock: 'fenced',
    })
    assert.equal(future.status, 400)
    assert.equal(await (await fetch(`${url}/v1/registers/jobs%2Fstate`)).text(), 'two')
    assert.equal((await release('fenced', second)).status, 204)
  })

  it('waits for a lock with waitMs, and gives up with 423 when the wait runs out', async () => {
    const first = (await (await post('/v1/locks/queue', { ttlMs: 10_000 })).json()) as Grant
    const started = Date.now()
    const timedOut = await post('/v1/locks/queue', { ttlMs: 5_000, waitMs: 400 })
    assert.equal(timedOut.status, 423)
    assert.ok(Date.now() - started >= 400, 'waited for waitMs')

    const waiting = post('/v1/locks/queue', { ttlMs: 5_000, waitMs: 20_000 })
    assert.equal((await release('queue', first)).status, 204)
    const granted = await waiting
    assert.equal(granted.status, 200)
    const next = (await granted.json()) as Grant
    assert.ok(next.token > first.token)
    assert.equal((await release('queue', next)).status, 204)
  })

  it('refuses bad input with 400 before it reaches the ring', async () => {
    const asked = leasesAsked
    const bad: Array<[string, Promise<Response>]> = [
      ['ttl 0', post('/v1/locks/x', { ttlMs: 0 })],
      ['ttl absurd', post('/v1/locks/x', { ttlMs: 10 ** 12 })],
      ['ttl not a number', post('/v1/locks/x', { ttlMs: 'soon' })],
      ['no ttl', post('/v1/locks/x', {})],
      ['wait too long', post('/v1/locks/x', { ttlMs: 1_000, waitMs: 3_600_000 })],
      ['unknown field', post('/v1/locks/x', { ttlMs: 1_000, owner: 'me' })],
      ['holder with a newline', post('/v1/locks/x', { ttlMs: 1_000, holder: 'a\nb' })],
      ['name too long', post(`/v1/locks/${'n'.repeat(2_000)}`, { ttlMs: 1_000 })],
      ['name not hex', post('/v1/locks/zz?encoding=hex', { ttlMs: 1_000 })],
      ['token 0', post('/v1/locks/x/renew', { holder: 'a', token: 0, ttlMs: 1_000 })],
      ['token a fraction', post('/v1/locks/x/renew', { holder: 'a', token: 1.5, ttlMs: 1_000 })],
      ['renew without holder', post('/v1/locks/x/renew', { token: 1, ttlMs: 1_000 })],
      [
        'release token not a number',
        fetch(`${url}/v1/locks/x`, {
          method: 'DELETE',
          headers: { 'x-ringdht-lock-token': 'abc', 'x-ringdht-lock-holder': 'a' },
        }),
      ],
      ['release without a grant', fetch(`${url}/v1/locks/x`, { method: 'DELETE' })],
      ['campaign ttl too short', post('/v1/elections/e/campaign', { ttlMs: 50 })],
      ['campaign id empty', post('/v1/elections/e/campaign', { id: '' })],
      ['resign without term', post('/v1/elections/e/resign', { id: 'a' })],
      ['renew term 0', post('/v1/elections/e/renew', { id: 'a', term: 0 })],
    ]
    for (const [what, answer] of bad) {
      const response = await answer
      assert.equal(response.status, 400, what)
      assert.ok((await errorOf(response)).message.length > 0, what)
    }
    assert.equal(leasesAsked, asked, 'no bad request reached the ring')
  })

  it('elects over HTTP: campaign, leader on the event stream, renew, resign, next leader', async () => {
    const stream = await EventStream.open(`${url}/v1/elections/primary`)
    try {
      const nobody = await stream.next((event) => event.event === 'leader')
      assert.deepEqual(JSON.parse(nobody.data ?? ''), { leader: null, term: 0 })

      const alpha = await post('/v1/elections/primary/campaign', { id: 'alpha', ttlMs: 3_000 })
      assert.equal(alpha.status, 200)
      const alphaTerm = ((await alpha.json()) as { term: number }).term
      assert.ok(alphaTerm >= 1)
      await stream.next((event) => JSON.parse(event.data ?? '{}').leader === 'alpha')

      const refused = await post('/v1/elections/primary/campaign', { id: 'beta', waitMs: 0 })
      assert.equal(refused.status, 423)
      const other = await errorOf(refused)
      assert.equal(other.code, 'OTHER_LEADER')
      assert.equal(other.leader, 'alpha')
      assert.equal(other.term, alphaTerm)

      const renewed = await post('/v1/elections/primary/renew', { id: 'alpha', term: alphaTerm })
      assert.equal(renewed.status, 200)
      const once = await fetch(`${url}/v1/elections/primary`, {
        headers: { accept: 'application/json' },
      })
      assert.equal(once.status, 200)
      const leader = (await once.json()) as { leader: string; term: number; leaseMs: number }
      assert.equal(leader.leader, 'alpha')
      assert.equal(leader.term, alphaTerm)
      assert.ok(leader.leaseMs > 0)

      // beta long-polls; alpha steps down; beta leads in a higher term
      const beta = post('/v1/elections/primary/campaign', { id: 'beta', waitMs: 20_000 })
      const resigned = await post('/v1/elections/primary/resign', { id: 'alpha', term: alphaTerm })
      assert.equal(resigned.status, 204)
      const betaAnswer = await beta
      assert.equal(betaAnswer.status, 200)
      const betaTerm = ((await betaAnswer.json()) as { term: number }).term
      assert.ok(betaTerm > alphaTerm)
      const change = await stream.next((event) => JSON.parse(event.data ?? '{}').leader === 'beta')
      assert.deepEqual(JSON.parse(change.data ?? ''), { leader: 'beta', term: betaTerm })

      // the former leader's term is stale now
      const stale = await post('/v1/elections/primary/renew', { id: 'alpha', term: alphaTerm })
      assert.equal(stale.status, 409)
      assert.equal((await errorOf(stale)).code, 'LOCK_NOT_HELD')
      assert.equal(
        (await post('/v1/elections/primary/resign', { id: 'beta', term: betaTerm })).status,
        204,
      )
      await stream.next((event) => JSON.parse(event.data ?? '{}').leader === null)
    } finally {
      stream.close()
    }
  })

  it('bounds the election streams (503 while full), and answers 501 without locks', async () => {
    const { coordination: _none, ...bare } = counting
    const small = createGateway({ client: counting }, { port: 0, maxEventStreams: 1 })
    const without = createGateway({ client: bare }, { port: 0 })
    try {
      const smallUrl = await small.start()
      const first = await EventStream.open(`${smallUrl}/v1/elections/a`)
      try {
        await first.next((event) => event.event === 'leader')
        const full = await fetch(`${smallUrl}/v1/elections/b`)
        assert.equal(full.status, 503)
        assert.equal((await errorOf(full)).code, 'TOO_MANY_STREAMS')
      } finally {
        first.close()
      }
      // the reader left: its place is free again once the gateway sees it go
      const deadline = Date.now() + 10_000
      for (;;) {
        const controller = new AbortController()
        const again = await fetch(`${smallUrl}/v1/elections/b`, { signal: controller.signal })
        controller.abort()
        if (again.status === 200) break
        assert.equal(again.status, 503)
        assert.ok(Date.now() < deadline, 'the closed stream was never counted out')
        await new Promise((done) => setTimeout(done, 50))
      }
      const withoutUrl = await without.start()
      const none = await fetch(`${withoutUrl}/v1/locks/x`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ttlMs: 1_000 }),
      })
      assert.equal(none.status, 501)
      assert.equal((await errorOf(none)).code, 'NOT_IMPLEMENTED')
    } finally {
      await small.stop()
      await without.stop()
    }
  })

  it('documents the routes in the OpenAPI document', async () => {
    const document = (await (await fetch(`${url}/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>
    }
    const { paths } = document
    assert.ok(paths['/v1/locks/{name}']?.post?.responses['423'])
    assert.ok(paths['/v1/locks/{name}']?.delete)
    assert.ok(paths['/v1/locks/{name}/renew']?.post)
    assert.ok(paths['/v1/elections/{name}/campaign']?.post?.responses['423'])
    assert.ok(paths['/v1/elections/{name}/renew']?.post)
    assert.ok(paths['/v1/elections/{name}/resign']?.post)
    assert.ok(paths['/v1/elections/{name}']?.get?.responses['503'])
  })
})
