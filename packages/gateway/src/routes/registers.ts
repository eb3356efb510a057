import type { FastifyInstance } from 'fastify'
import { GatewayInputError } from '../errors.js'
import type { GatewayContext } from '../gateway-context.js'
import { decodeKey, KEY_ENCODINGS, type KeyEncoding } from '../keys.js'

interface RegisterRoute {
  Params: { key: string }
  Querystring: { encoding?: KeyEncoding }
}

interface CasBody {
  expected?: string | null
  next?: string | null
  valueEncoding?: 'utf8' | 'base64'
  fence?: number
  lock?: string
}

const params = {
  type: 'object',
  required: ['key'],
  properties: {
    key: {
      type: 'string',
      minLength: 1,
      description:
        'The register: percent-encoded UTF-8 by default, or base64url / hex with ?encoding=',
    },
  },
} as const

const keyQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    encoding: {
      type: 'string',
      enum: KEY_ENCODINGS,
      default: 'utf8',
      description: 'How the key in the path is encoded',
    },
  },
} as const

const casResult = {
  type: 'object',
  properties: {
    succeeded: { type: 'boolean' },
    value: { type: ['string', 'null'] },
    valueEncoding: { type: 'string' },
    version: { type: 'integer' },
  },
} as const

/**
 * The coordination registers over HTTP: `GET /v1/registers/{key}` reads one linearizably
 * (raw bytes; 404 when absent), `POST /v1/registers/{key}/cas` compare-and-sets it from a
 * JSON body (412 when it held another value). A keyspace apart from /v1/kv.
 */
export function registerRoutes(app: FastifyInstance, context: GatewayContext): void {
  const { limits, client } = context
  const coordination = () => {
    const { cas, read } = client
    if (cas === undefined || read === undefined) {
      throw new GatewayInputError('NOT_IMPLEMENTED', 'this gateway serves no registers', 501)
    }
    return { cas: cas.bind(client), read: read.bind(client) }
  }

  app.get<RegisterRoute>(
    '/v1/registers/:key',
    {
      schema: {
        summary: 'Read a coordination register (linearizable)',
        description:
          'The value as raw bytes, with its version in x-ringdht-register-version; 404 when absent.',
        tags: ['registers'],
        params,
        querystring: keyQuery,
      },
    },
    async (request, reply) => {
      const key = decodeKey(
        request.params.key,
        request.query.encoding ?? 'utf8',
        limits.maxKeyBytes,
      )
      const { read } = coordination()
      const found = await context.operate('register_read', (signal) => read(key, { signal }))
      reply.header('x-ringdht-register-version', String(found.version))
      if (found.value === undefined) {
        return reply.code(404).send({
          statusCode: 404,
          code: 'NOT_FOUND',
          error: 'Not Found',
          message: 'the register holds no value',
        })
      }
      reply.type('application/octet-stream')
      return reply.send(
        Buffer.from(found.value.buffer, found.value.byteOffset, found.value.byteLength),
      )
    },
  )

  app.post<RegisterRoute & { Body: CasBody }>(
    '/v1/registers/:key/cas',
    {
      schema: {
        summary: 'Compare-and-set a coordination register',
        description:
          'Sets `next` (null or missing: delete) if the register holds `expected` (null or missing: absent). 200 when it did, 412 when it held another value (the body says which); `fence` is a lock token (409 when a higher one wrote), `lock` the lock that granted it (400 for a token above its latest grant).',
        tags: ['registers'],
        params,
        querystring: keyQuery,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            expected: { type: ['string', 'null'] },
            next: { type: ['string', 'null'] },
            valueEncoding: { type: 'string', enum: ['utf8', 'base64'], default: 'utf8' },
            fence: { type: 'integer', minimum: 1 },
            lock: { type: 'string', minLength: 1, description: 'The lock that granted `fence`' },
          },
        },
        response: { 200: casResult, 412: casResult },
      },
    },
    async (request, reply) => {
      const key = decodeKey(
        request.params.key,
        request.query.encoding ?? 'utf8',
        limits.maxKeyBytes,
      )
      const body = request.body ?? {}
      const encoding = body.valueEncoding ?? 'utf8'
      const bytesOf = (text: string | null | undefined) =>
        text === null || text === undefined ? undefined : Buffer.from(text, encoding)
      const { cas } = coordination()
      const fence =
        body.fence === undefined || body.lock === undefined
          ? body.fence
          : { lock: Buffer.from(body.lock, 'utf8'), token: body.fence }
      const result = await context.operate('register_cas', (signal) =>
        cas(key, bytesOf(body.expected), bytesOf(body.next), {
          signal,
          ...(fence === undefined ? {} : { fence }),
        }),
      )
      const value = result.value === undefined ? null : Buffer.from(result.value).toString(encoding)
      return reply.code(result.succeeded ? 200 : 412).send({
        succeeded: result.succeeded,
        value,
        valueEncoding: encoding,
        version: result.version,
      })
    },
  )
}
