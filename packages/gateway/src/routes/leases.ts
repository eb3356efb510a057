import type { FastifyReply } from 'fastify'
import { GatewayInputError } from '../errors.js'
import type {
  GatewayClient,
  GatewayContext,
  GatewayCoordination,
  GatewayLockLease,
  GatewayLockState,
} from '../gateway-context.js'
import { decodeKey, KEY_ENCODINGS, type KeyEncoding } from '../keys.js'

/**
 * What the lock and election routes share: the schemas of names, leases, holders and
 * tokens, and the wait for a lock held by someone else. The lease limits are the peer's
 * (`LOCK_TTL_LIMITS`), repeated so a bad lease is refused before it reaches the ring.
 */
export const TTL_LIMITS = Object.freeze({ minMs: 100, maxMs: 86_400_000 })

/** The longest an HTTP request may wait for a lock or a leadership, ms. */
export const MAX_WAIT_MS = 60_000

/** How often a waiting request asks again whether the holder released the lock, ms. */
const WAIT_POLL_MS = 200

export interface NamedRoute {
  Params: { name: string }
  Querystring: { encoding?: KeyEncoding }
}

export const nameParams = {
  type: 'object',
  required: ['name'],
  properties: {
    name: {
      type: 'string',
      minLength: 1,
      description: 'Percent-encoded UTF-8 by default, or base64url / hex with ?encoding=',
    },
  },
} as const

export const nameQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    encoding: {
      type: 'string',
      enum: KEY_ENCODINGS,
      default: 'utf8',
      description: 'How the name in the path is encoded',
    },
  },
} as const

export const ttlSchema = {
  type: 'integer',
  minimum: TTL_LIMITS.minMs,
  maximum: TTL_LIMITS.maxMs,
  description: 'The lease, ms: it runs out this long after the last grant or renewal',
} as const

export const tokenSchema = {
  type: 'integer',
  minimum: 1,
  maximum: Number.MAX_SAFE_INTEGER,
  description: 'The fencing token of the grant',
} as const

/** Printable text: what observers see, and half of what proves a grant is the caller's. */
export const holderSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 128,
  pattern: '^[^\\u0000-\\u001f\\u007f]+$',
} as const

export function waitSchema(defaultMs: number) {
  return {
    type: 'integer',
    minimum: 0,
    maximum: MAX_WAIT_MS,
    default: defaultMs,
    description: 'How long to wait while someone else holds it, ms',
  } as const
}

/** The error body of a refusal that says who holds the lock and for how long. */
export const heldSchema = {
  type: 'object',
  properties: {
    statusCode: { type: 'integer' },
    code: { type: 'string' },
    error: { type: 'string' },
    message: { type: 'string' },
    token: { type: 'integer' },
    leaseMs: { type: 'integer' },
    leader: { type: ['string', 'null'] },
    term: { type: 'integer' },
  },
} as const

/** The name in the path, as bytes (400 when malformed or too long). */
export function nameOf(
  request: { params: { name: string }; query: { encoding?: KeyEncoding } },
  context: GatewayContext,
): Uint8Array {
  return decodeKey(
    request.params.name,
    request.query.encoding ?? 'utf8',
    context.limits.maxKeyBytes,
  )
}

export function coordinationOf(client: GatewayClient): GatewayCoordination {
  const coordination = client.coordination
  if (coordination === undefined) {
    throw new GatewayInputError('NOT_IMPLEMENTED', 'this gateway serves no locks or elections', 501)
  }
  return coordination
}

/**
 * Ask for the lock on behalf of `holder` until it is granted, `waitMs` has passed or the
 * caller hung up: the last attempt. Each attempt is one ring operation under the request
 * deadline; the wait is between attempts, so no grant is ever made after the answer.
 */
export async function acquireWaiting(
  context: GatewayContext,
  operation: string,
  lease: GatewayLockLease,
  request: { holder: string; ttlMs: number; waitMs: number },
  reply: FastifyReply,
): Promise<GatewayLockState & { granted: boolean }> {
  const deadline = Date.now() + request.waitMs
  const gone = hangUpSignal(reply)
  for (;;) {
    const attempt = await context.operate(
      operation,
      (signal) => lease.tryAcquire(request.holder, request.ttlMs, signal),
      (result) => (result.granted ? 'ok' : 'held'),
    )
    const left = deadline - Date.now()
    if (attempt.granted || left <= 0 || gone.aborted) return attempt
    await pause(Math.min(left, attempt.leaseMs + 10, WAIT_POLL_MS), gone)
  }
}

/** 423: someone else holds it; when its lease runs out in `retry-after`. */
export function sendHeld(
  reply: FastifyReply,
  code: string,
  message: string,
  extra: Record<string, unknown>,
  leaseMs: number,
): FastifyReply {
  reply.header('retry-after', String(Math.max(1, Math.ceil(leaseMs / 1000))))
  return reply
    .code(423)
    .send({ statusCode: 423, code, error: 'Locked', message, ...extra, leaseMs })
}

/** Aborts when the client goes away before its answer was sent. */
function hangUpSignal(reply: FastifyReply): AbortSignal {
  const controller = new AbortController()
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort()
  })
  return controller.signal
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
  })
}
