import { MAX_TTL_MS } from '@ringdht/peer'
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { GatewayContext } from '../gateway-context.js'
import { decodeKey, KEY_ENCODINGS, type KeyEncoding } from '../keys.js'

interface KvRoute {
  Params: { key: string }
  Querystring: {
    trace?: '0' | '1' | 'true' | 'false'
    encoding?: KeyEncoding
    quorum?: number
    ttlMs?: number
  }
}

const params = {
  type: 'object',
  required: ['key'],
  properties: {
    key: {
      type: 'string',
      minLength: 1,
      description: 'The key: percent-encoded UTF-8 by default, or base64url / hex with ?encoding=',
    },
  },
} as const

const traceQuery = {
  trace: {
    type: 'string',
    enum: ['0', '1', 'true', 'false'],
    description: 'Add x-ringdht-hops and x-ringdht-path (peer ids) headers',
  },
  encoding: {
    type: 'string',
    enum: KEY_ENCODINGS,
    default: 'utf8',
    description: 'How the key in the path is encoded',
  },
} as const

const errorResponse = {
  type: 'object',
  properties: {
    statusCode: { type: 'integer' },
    code: { type: 'string' },
    error: { type: 'string' },
    message: { type: 'string' },
  },
} as const

const writeResult = {
  type: 'object',
  properties: {
    hops: { type: 'integer' },
    replicas: { type: 'integer' },
    path: { type: 'array', items: { type: 'string' } },
  },
} as const

function traced(query: KvRoute['Querystring']): boolean {
  return query.trace === '1' || query.trace === 'true'
}

function traceHeaders(reply: FastifyReply, result: { hops: number; path?: string[] }): void {
  reply.header('x-ringdht-hops', String(result.hops))
  if (result.path !== undefined) reply.header('x-ringdht-path', result.path.join(','))
}

/** GET/PUT/DELETE /v1/kv/{key}: raw bytes in and out. */
export function kvRoutes(app: FastifyInstance, context: GatewayContext): void {
  const { limits } = context
  // values are raw bytes whatever the content type says
  app.removeAllContentTypeParsers()
  app.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: limits.maxValueBytes },
    (_request, body, done) => done(null, body),
  )

  app.get<KvRoute>(
    '/v1/kv/:key',
    {
      schema: {
        summary: 'Read a key',
        description: 'The value as raw bytes (application/octet-stream); 404 when absent.',
        tags: ['kv'],
        params,
        querystring: { type: 'object', additionalProperties: false, properties: traceQuery },
        response: { 404: errorResponse },
      },
      config: {
        openapi: {
          responses: {
            200: {
              description: 'The value',
              content: {
                'application/octet-stream': { schema: { type: 'string', format: 'binary' } },
              },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const key = decodeKey(
        request.params.key,
        request.query.encoding ?? 'utf8',
        limits.maxKeyBytes,
      )
      const trace = traced(request.query)
      const found = await context.operate(
        'get',
        (signal) => context.client.get(key, { signal, trace }),
        (result) => (result === undefined ? 'not_found' : 'ok'),
      )
      if (found === undefined) {
        return reply.code(404).send({
          statusCode: 404,
          code: 'NOT_FOUND',
          error: 'Not Found',
          message: 'no such key',
        })
      }
      if (trace) traceHeaders(reply, found)
      if (found.version !== undefined) {
        reply.header('x-ringdht-version', `${found.version.timestamp}.${found.version.writer}`)
      }
      if (found.expiresAt !== undefined) {
        reply.header('x-ringdht-expires-at', new Date(found.expiresAt).toISOString())
      }
      reply.type('application/octet-stream')
      return reply.send(
        Buffer.from(found.value.buffer, found.value.byteOffset, found.value.byteLength),
      )
    },
  )

  app.put<KvRoute & { Body: Buffer | undefined }>(
    '/v1/kv/:key',
    {
      schema: {
        summary: 'Write a key',
        description: `The request body is the value, raw bytes (at most ${limits.maxValueBytes}). Acknowledged once the write quorum holds it.`,
        tags: ['kv'],
        params,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...traceQuery,
            quorum: {
              type: 'integer',
              minimum: 1,
              description: "Replicas that must hold the write; default the ring's write quorum",
            },
            ttlMs: {
              type: 'integer',
              minimum: 1,
              maximum: MAX_TTL_MS,
              description:
                'Time to live in ms: the key reads as absent (404) from its write time plus ttlMs on',
            },
          },
        },
        response: { 200: writeResult },
      },
      config: {
        openapi: {
          requestBody: {
            required: true,
            content: {
              'application/octet-stream': { schema: { type: 'string', format: 'binary' } },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const key = decodeKey(
        request.params.key,
        request.query.encoding ?? 'utf8',
        limits.maxKeyBytes,
      )
      const trace = traced(request.query)
      const value = request.body ?? Buffer.alloc(0)
      const { quorum, ttlMs } = request.query
      const result = await context.operate('put', (signal) =>
        context.client.put(key, value, {
          signal,
          trace,
          ...(quorum === undefined ? {} : { writeQuorum: quorum }),
          ...(ttlMs === undefined ? {} : { ttlMs }),
        }),
      )
      if (trace) traceHeaders(reply, result)
      return result
    },
  )

  app.delete<KvRoute>(
    '/v1/kv/:key',
    {
      schema: {
        summary: 'Delete a key',
        description: 'Writes a tombstone; deleting an absent key succeeds.',
        tags: ['kv'],
        params,
        querystring: { type: 'object', additionalProperties: false, properties: traceQuery },
        response: { 200: writeResult },
      },
    },
    async (request, reply) => {
      const key = decodeKey(
        request.params.key,
        request.query.encoding ?? 'utf8',
        limits.maxKeyBytes,
      )
      const trace = traced(request.query)
      const result = await context.operate('delete', (signal) =>
        context.client.delete(key, { signal, trace }),
      )
      if (trace) traceHeaders(reply, result)
      return result
    },
  )
}
