import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { GatewayInputError } from '../errors.js'
import type { GatewayContext } from '../gateway-context.js'
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

interface AcquireBody {
  ttlMs: number
  waitMs?: number
  holder?: string
}

interface GrantBody {
  holder: string
  token: number
}

const TOKEN_HEADER = 'x-ringdht-lock-token'
const HOLDER_HEADER = 'x-ringdht-lock-holder'

const grantResult = {
  type: 'object',
  properties: {
    token: tokenSchema,
    holder: { type: 'string' },
    leaseMs: { type: 'integer', description: 'The lease left when the owner answered, ms' },
  },
} as const

const grantProperties = {
  holder: holderSchema,
  token: tokenSchema,
  leaseMs: { type: 'integer', description: 'Ignored: a grant may be sent back as it came' },
} as const

/**
 * Locks over HTTP, with nothing kept between requests: `POST /v1/locks/{name}` takes the
 * lock and answers its grant (a fencing token and the holder it was granted to); the
 * caller renews it with `POST /v1/locks/{name}/renew` and releases it with `DELETE
 * /v1/locks/{name}`, each carrying the grant. The lock's owner checks every renewal and
 * release against the current grant, exactly as for a library handle: a stale token is
 * refused (409 LOCK_NOT_HELD). The token fences register writes (`fence` + `lock` in
 * `POST /v1/registers/{key}/cas`).
 */
export function lockRoutes(app: FastifyInstance, context: GatewayContext): void {
  app.post<NamedRoute & { Body: AcquireBody }>(
    '/v1/locks/:name',
    {
      schema: {
        summary: 'Take a lock (with a lease and a fencing token)',
        description:
          'Grants the lock to `holder` (default: a new random id) for `ttlMs`, waiting up to `waitMs` (default 0) while someone else holds it. 200 with the grant: keep `holder` and `token` to renew and release it, and write with `token` as the fence. 423 LOCK_HELD when it is still held by another (`retry-after`: when its lease runs out). Asking again as the current holder extends the lease and keeps the token, so a request whose answer was lost can be repeated with the same `holder`. The lock frees itself `ttlMs` after the last grant or renewal.',
        tags: ['locks'],
        params: nameParams,
        querystring: nameQuery,
        body: {
          type: 'object',
          required: ['ttlMs'],
          additionalProperties: false,
          properties: { ttlMs: ttlSchema, waitMs: waitSchema(0), holder: holderSchema },
        },
        response: { 200: grantResult, 423: heldSchema },
      },
    },
    async (request, reply) => {
      const name = nameOf(request, context)
      const lease = coordinationOf(context.client).lockLease(name)
      const holder = request.body.holder ?? randomUUID()
      const attempt = await acquireWaiting(
        context,
        'lock_acquire',
        lease,
        { holder, ttlMs: request.body.ttlMs, waitMs: request.body.waitMs ?? 0 },
        reply,
      )
      if (!attempt.granted) {
        // the holder's id is not shown: with the token, it is what releases the lock
        return sendHeld(
          reply,
          'LOCK_HELD',
          'the lock is held by another holder',
          { token: attempt.token },
          attempt.leaseMs,
        )
      }
      return { token: attempt.token, holder, leaseMs: attempt.leaseMs }
    },
  )

  app.post<NamedRoute & { Body: GrantBody & { ttlMs: number } }>(
    '/v1/locks/:name/renew',
    {
      schema: {
        summary: 'Renew a lock’s lease',
        description:
          'Extends the lease of the grant (`holder`, `token`) to `ttlMs` from now. 409 LOCK_NOT_HELD when that grant is no longer the current one (released, lease run out, a newer token).',
        tags: ['locks'],
        params: nameParams,
        querystring: nameQuery,
        body: {
          type: 'object',
          required: ['holder', 'token', 'ttlMs'],
          additionalProperties: false,
          properties: { ...grantProperties, ttlMs: ttlSchema },
        },
        response: { 200: grantResult },
      },
    },
    async (request) => {
      const lease = coordinationOf(context.client).lockLease(nameOf(request, context))
      const { holder, token, ttlMs } = request.body
      const { leaseMs } = await context.operate('lock_renew', (signal) =>
        lease.renew({ holder, token }, ttlMs, signal),
      )
      return { token, holder, leaseMs }
    },
  )

  app.delete<
    NamedRoute & {
      Body: Partial<GrantBody>
      Headers: { [TOKEN_HEADER]?: number; [HOLDER_HEADER]?: string }
    }
  >(
    '/v1/locks/:name',
    {
      schema: {
        summary: 'Release a lock',
        description: `Frees the lock if (\`holder\`, \`token\`) is its current grant, given as a JSON body or as the ${TOKEN_HEADER} and ${HOLDER_HEADER} headers; the next grant gets a higher token. 204 when released, 409 LOCK_NOT_HELD when the grant is not the current one (a stale token).`,
        tags: ['locks'],
        params: nameParams,
        querystring: nameQuery,
        headers: {
          type: 'object',
          properties: { [TOKEN_HEADER]: tokenSchema, [HOLDER_HEADER]: holderSchema },
        },
        body: { type: 'object', additionalProperties: false, properties: grantProperties },
        response: { 204: { type: 'null', description: 'Released' } },
      },
      // a release may come without a body (the grant in headers): validate it as {}
      preValidation: async (request) => {
        request.body ??= {}
      },
    },
    async (request, reply) => {
      const grant = grantOf(request.body, request.headers)
      const lease = coordinationOf(context.client).lockLease(nameOf(request, context))
      await context.operate('lock_release', (signal) => lease.release(grant, signal))
      return reply.code(204).send()
    },
  )
}

/** The grant a release names: in its body, or else in its headers (never half of each). */
function grantOf(
  body: Partial<GrantBody>,
  headers: { [TOKEN_HEADER]?: number; [HOLDER_HEADER]?: string },
): GrantBody {
  const fromBody = body.holder !== undefined || body.token !== undefined
  const holder = fromBody ? body.holder : headers[HOLDER_HEADER]
  const token = fromBody ? body.token : headers[TOKEN_HEADER]
  if (token === undefined || holder === undefined) {
    throw new GatewayInputError(
      'INVALID_INPUT',
      `a release needs the grant: a JSON body {"holder","token"} or the ${TOKEN_HEADER} and ${HOLDER_HEADER} headers`,
    )
  }
  return { holder, token }
}
