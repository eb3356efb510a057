import type { FastifyInstance } from 'fastify'
import type { GatewayContext } from '../gateway-context.js'
import { renderRingSvg } from '../ring-svg.js'

const member = {
  type: 'object',
  additionalProperties: true,
  properties: {
    peerId: { type: 'string' },
    ringId: { type: 'string', description: '16 hex digits' },
    multiaddrs: { type: 'array', items: { type: 'string' } },
    range: {
      type: 'object',
      properties: { start: { type: 'string' }, end: { type: 'string' } },
    },
    keyCount: { type: 'integer' },
    replicaKeyCount: { type: 'integer' },
    health: { type: 'string', enum: ['ok', 'unreachable'] },
    state: { type: 'string', enum: ['ok', 'failed', 'left'] },
    since: { type: 'string' },
  },
} as const

const ringSnapshot = {
  type: 'object',
  properties: {
    at: { type: 'string' },
    replicas: { type: 'integer' },
    members: { type: 'array', items: member },
  },
} as const

/** GET /v1/ring, /v1/ring.svg, /v1/status and the live /v1/events stream. */
export function ringRoutes(app: FastifyInstance, context: GatewayContext): void {
  app.get(
    '/v1/ring',
    {
      schema: {
        summary: 'Members in ring order',
        description:
          'Walks the ring now: each member with its range, key counts and health, then members that failed or left recently.',
        tags: ['ring'],
        response: { 200: ringSnapshot },
      },
    },
    async () => context.operate('ring', () => context.ring.refresh()),
  )

  app.get(
    '/v1/ring.svg',
    {
      schema: {
        summary: 'The ring as an SVG picture',
        tags: ['ring'],
      },
      config: {
        openapi: {
          responses: { 200: { description: 'SVG', content: { 'image/svg+xml': {} } } },
        },
      },
    },
    async (_request, reply) => {
      const snapshot = await context.operate('ring', () => context.ring.refresh())
      reply.type('image/svg+xml; charset=utf-8')
      return renderRingSvg(snapshot.members, {
        replicas: snapshot.replicas,
        caption: `as of ${snapshot.at}`,
      })
    },
  )

  app.get(
    '/v1/status',
    {
      schema: {
        summary: "This member's status",
        description:
          'Its id, ring position, predecessor, successors, fingers, key counts, counters, and the work queues it is home of with their stats.',
        tags: ['ring'],
        response: { 200: { type: 'object', additionalProperties: true } },
      },
    },
    async () => context.operate('status', (signal) => context.client.status({ signal })),
  )

  app.get<{ Headers: { 'last-event-id'?: string } }>(
    '/v1/events',
    {
      schema: {
        summary: 'Ring changes as Server-Sent Events',
        description:
          'A `ring` event (the whole snapshot, as GET /v1/ring) whenever members join, leave, fail or their key counts change, and a `peer` event for each membership event this member sees. Send Last-Event-ID to resume.',
        tags: ['ring'],
        headers: {
          type: 'object',
          properties: { 'last-event-id': { type: 'string', maxLength: 32 } },
        },
      },
      config: {
        openapi: {
          responses: {
            200: { description: 'An event stream', content: { 'text/event-stream': {} } },
            503: { description: 'Too many event streams are open' },
          },
        },
      },
    },
    async (request, reply) => {
      if (context.events.full) {
        return reply.code(503).header('retry-after', '5').send({
          statusCode: 503,
          code: 'TOO_MANY_STREAMS',
          error: 'Service Unavailable',
          message: 'too many event streams are open; try again later',
        })
      }
      reply.hijack()
      const opened = context.events.open(reply.raw, {
        lastEventId: request.headers['last-event-id'],
        initial: () => {
          const latest = context.ring.latest
          return latest === undefined ? [] : [{ event: 'ring', data: JSON.stringify(latest) }]
        },
      })
      if (!opened) reply.raw.writeHead(503).end()
      else if (context.ring.latest === undefined) void context.ring.refresh().catch(() => {})
    },
  )
}
