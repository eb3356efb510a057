import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import type { GatewayContext } from '../gateway-context.js'
import { ElectionStreams } from './election-streams.js'
import {
  acquireWaiting,
  coordinationOf,
  heldSchema,
  holderSchema,
  type NamedRoute,
  nameOf,
  nameParams,
  nameQuery,
  sendHeld,
  tokenSchema,
  ttlSchema,
  waitSchema,
} from './leases.js'

/** The leader's lease when a campaign names none, ms (the library's default). */
const DEFAULT_LEADER_TTL_MS = 5_000

/** How long a campaign waits for the leadership when it says nothing, ms. */
const DEFAULT_CAMPAIGN_WAIT_MS = 30_000

/** How often a streamed election's leader is read, ms (the library's default). */
const OBSERVE_INTERVAL_MS = 250

interface Leadership {
  id: string
  term: number
}

const leadershipResult = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    term: { ...tokenSchema, description: 'The leadership’s term: its fencing token' },
    leaseMs: { type: 'integer', description: 'The lease left when the owner answered, ms' },
  },
} as const

const leadershipBody = {
  type: 'object',
  required: ['id', 'term'],
  additionalProperties: false,
  properties: { id: holderSchema, term: tokenSchema },
} as const

const leaderResult = {
  type: 'object',
  properties: {
    leader: { type: ['string', 'null'], description: 'The leader’s id; null when none leads' },
    term: { type: 'integer', description: 'The latest term (0: never led)' },
    leaseMs: { type: 'integer' },
  },
} as const

/**
 * Lease-based elections over HTTP, nothing kept between requests: a campaign long-polls
 * until the caller leads (200 with its term) or `waitMs` passes (423). The leader keeps
 * its lease alive itself with `POST …/renew` (at least every ttlMs / 3, as the library
 * does) and steps down with `POST …/resign`; a leader that stops renewing is replaced
 * once its lease runs out. `GET /v1/elections/{name}` streams leader changes (SSE), or
 * answers the current leader once as JSON.
 */
export function electionRoutes(app: FastifyInstance, context: GatewayContext): void {
  const streams = new ElectionStreams({
    maxStreams: context.limits.maxEventStreams,
    maxBufferedBytes: context.limits.maxStreamBufferedBytes,
    heartbeatMs: context.limits.heartbeatMs,
    intervalMs: OBSERVE_INTERVAL_MS,
  })
  app.addHook('preClose', async () => streams.close())

  app.post<NamedRoute & { Body: { ttlMs?: number; waitMs?: number; id?: string } }>(
    '/v1/elections/:name/campaign',
    {
      schema: {
        summary: 'Campaign to lead an election (long-polls)',
        description:
          'Waits up to `waitMs` (default 30000) to lead as `id` (default: a new random id; observers see it) with a lease of `ttlMs` (default 5000). 200 with the `term` (a fencing token: higher for every new leader) once leading; the leader must then renew at least every ttlMs / 3 with POST …/renew. 423 OTHER_LEADER with the current leader when the wait ran out. Campaigning again as the current leader extends its lease and keeps its term.',
        tags: ['elections'],
        params: nameParams,
        querystring: nameQuery,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ttlMs: { ...ttlSchema, default: DEFAULT_LEADER_TTL_MS },
            waitMs: waitSchema(DEFAULT_CAMPAIGN_WAIT_MS),
            id: holderSchema,
          },
        },
        response: { 200: leadershipResult, 423: heldSchema },
      },
    },
    async (request, reply) => {
      const name = nameOf(request, context)
      const lease = coordinationOf(context.client).electionLease(name)
      const body = request.body ?? {}
      const id = body.id ?? randomUUID()
      const attempt = await acquireWaiting(
        context,
        'election_campaign',
        lease,
        {
          holder: id,
          ttlMs: body.ttlMs ?? DEFAULT_LEADER_TTL_MS,
          waitMs: body.waitMs ?? DEFAULT_CAMPAIGN_WAIT_MS,
        },
        reply,
      )
      if (!attempt.granted) {
        return sendHeld(
          reply,
          'OTHER_LEADER',
          `${attempt.holder ?? 'another candidate'} leads this election`,
          { leader: attempt.holder ?? null, term: attempt.token },
          attempt.leaseMs,
        )
      }
      return { id, term: attempt.token, leaseMs: attempt.leaseMs }
    },
  )

  app.post<NamedRoute & { Body: Leadership & { ttlMs?: number } }>(
    '/v1/elections/:name/renew',
    {
      schema: {
        summary: 'Renew a leader’s lease',
        description:
          'Extends the lease of the leadership (`id`, `term`) to `ttlMs` (default 5000) from now. 409 LOCK_NOT_HELD when it is no longer the leader in that term (its lease ran out, or it resigned).',
        tags: ['elections'],
        params: nameParams,
        querystring: nameQuery,
        body: {
          ...leadershipBody,
          properties: {
            ...leadershipBody.properties,
            ttlMs: { ...ttlSchema, default: DEFAULT_LEADER_TTL_MS },
          },
        },
        response: { 200: leadershipResult },
      },
    },
    async (request) => {
      const lease = coordinationOf(context.client).electionLease(nameOf(request, context))
      const { id, term, ttlMs } = request.body
      const { leaseMs } = await context.operate('election_renew', (signal) =>
        lease.renew({ holder: id, token: term }, ttlMs ?? DEFAULT_LEADER_TTL_MS, signal),
      )
      return { id, term, leaseMs }
    },
  )

  app.post<NamedRoute & { Body: Leadership }>(
    '/v1/elections/:name/resign',
    {
      schema: {
        summary: 'Step down as leader',
        description:
          '204 once the leadership (`id`, `term`) is given up: the next leader gets a higher term. 409 LOCK_NOT_HELD when it was not the leader in that term.',
        tags: ['elections'],
        params: nameParams,
        querystring: nameQuery,
        body: leadershipBody,
        response: { 204: { type: 'null', description: 'Resigned' } },
      },
    },
    async (request, reply) => {
      const lease = coordinationOf(context.client).electionLease(nameOf(request, context))
      const { id, term } = request.body
      await context.operate('election_resign', (signal) =>
        lease.release({ holder: id, token: term }, signal),
      )
      return reply.code(204).send()
    },
  )

  app.get<NamedRoute & { Headers: { 'last-event-id'?: string; accept?: string } }>(
    '/v1/elections/:name',
    {
      schema: {
        summary: 'The leader of an election: Server-Sent Events, or JSON once',
        description:
          'A `leader` event (`{"leader","term"}`, leader null when none leads) now and whenever the leader or the term changes, read linearizably every 250 ms while the stream is open. Send Last-Event-ID to resume. With `Accept: application/json`, the current leader once, with the lease it has left.',
        tags: ['elections'],
        params: nameParams,
        querystring: nameQuery,
        headers: {
          type: 'object',
          properties: { 'last-event-id': { type: 'string', maxLength: 32 } },
        },
        response: { 200: leaderResult },
      },
      config: {
        openapi: {
          responses: {
            200: {
              description: 'An event stream, or the leader as JSON',
              content: {
                'text/event-stream': {},
                'application/json': { schema: leaderResult },
              },
            },
            503: { description: 'Too many election streams are open' },
          },
        },
      },
    },
    async (request, reply) => {
      const name = nameOf(request, context)
      const coordination = coordinationOf(context.client)
      if (wantsJson(request.headers.accept)) {
        const state = await context.operate('election_leader', (signal) =>
          coordination.electionLease(name).state(signal),
        )
        return { leader: state.holder ?? null, term: state.token, leaseMs: state.leaseMs }
      }
      if (streams.full) {
        return reply.code(503).header('retry-after', '5').send({
          statusCode: 503,
          code: 'TOO_MANY_STREAMS',
          error: 'Service Unavailable',
          message: 'too many election streams are open; try again later',
        })
      }
      reply.hijack()
      const lastEventId = request.headers['last-event-id']
      if (!streams.open(coordination, name, reply.raw, lastEventId)) {
        reply.raw.writeHead(503).end()
      }
    },
  )
}

/** JSON when asked for it and not for an event stream. */
function wantsJson(accept: string | undefined): boolean {
  if (accept === undefined) return false
  return accept.includes('application/json') && !accept.includes('text/event-stream')
}
