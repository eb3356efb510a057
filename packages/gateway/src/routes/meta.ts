import { readFile } from 'node:fs/promises'
import type { FastifyInstance } from 'fastify'
import type { GatewayContext } from '../gateway-context.js'

const ASSETS = new URL('../../../assets/', import.meta.url)
const RING_SVG_MODULE = new URL('../ring-svg.js', import.meta.url)

interface Asset {
  type: string
  body: string
}

async function loadAssets(): Promise<Map<string, Asset>> {
  const text = async (url: URL) =>
    (await readFile(url, 'utf8')).replace(/^\/\/# sourceMappingURL=.*$/m, '')
  return new Map([
    [
      'index.html',
      { type: 'text/html; charset=utf-8', body: await text(new URL('index.html', ASSETS)) },
    ],
    [
      'page.js',
      { type: 'text/javascript; charset=utf-8', body: await text(new URL('page.js', ASSETS)) },
    ],
    ['ring-svg.js', { type: 'text/javascript; charset=utf-8', body: await text(RING_SVG_MODULE) }],
  ])
}

/** GET / (the ring page) and its scripts, GET /metrics, GET /v1/openapi.json. */
export async function metaRoutes(app: FastifyInstance, context: GatewayContext): Promise<void> {
  const assets = await loadAssets()
  const serve =
    (name: string) => async (_request: unknown, reply: import('fastify').FastifyReply) => {
      const asset = assets.get(name) as Asset
      reply.type(asset.type).header('cache-control', 'no-cache')
      return asset.body
    }
  app.get('/', { schema: { hide: true } }, serve('index.html'))
  app.get('/assets/page.js', { schema: { hide: true } }, serve('page.js'))
  app.get('/assets/ring-svg.js', { schema: { hide: true } }, serve('ring-svg.js'))

  app.get(
    '/metrics',
    {
      schema: {
        summary: 'Prometheus metrics',
        description:
          'The text exposition format: requests, latencies, hops, replication, membership, store size.',
        tags: ['operations'],
      },
      config: {
        openapi: { responses: { 200: { description: 'Metrics', content: { 'text/plain': {} } } } },
      },
    },
    async (_request, reply) => {
      const { contentType, body } = await context.metrics.expose()
      reply.type(contentType)
      return body
    },
  )

  app.get(
    '/v1/openapi.json',
    {
      schema: {
        summary: 'This document',
        tags: ['operations'],
      },
    },
    async () => context.openapi(),
  )
}
