import { createHash, timingSafeEqual } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify'
import type { Registry } from 'prom-client'
import { httpErrorOf } from './errors.js'
import type { GatewayClient, GatewayContext, GatewayPlugin } from './gateway-context.js'
import { GatewayMetrics } from './metrics.js'
import { OpenApiCollector } from './openapi.js'
import { RingWatcher } from './ring-watcher.js'
import { electionRoutes } from './routes/elections.js'
import { kvRoutes } from './routes/kv.js'
import { lockRoutes } from './routes/locks.js'
import { metaRoutes } from './routes/meta.js'
import { registerRoutes } from './routes/registers.js'
import { ringRoutes } from './routes/ring.js'
import { EventHub } from './sse.js'

export type { GatewayClient, GatewayContext, GatewayPlugin } from './gateway-context.js'

export const GATEWAY_VERSION = '0.1.0'

export interface GatewayLogger {
  info(object: object, message: string): void
  warn(object: object, message: string): void
  debug(object: object, message: string): void
}

export interface GatewayComponents {
  /** The daemon's own client: every route goes through it. */
  client: GatewayClient
  /**
   * Where the member's events come from (the `RingPeer`): membership events are
   * published on /v1/events and make the ring be walked again.
   */
  events?: EventTarget
  logger?: GatewayLogger
}

export interface GatewayInit {
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string
  /** Port; 0 picks a free one (see `url` after `start()`). Default 8080. */
  port?: number
  /** Largest key, in bytes. Default 1024. */
  maxKeyBytes?: number
  /** Largest value, in bytes: the body limit of PUT. Default 1 MiB. */
  maxValueBytes?: number
  /** Deadline of each ring operation, and of receiving a request. Default 10000. */
  requestTimeoutMs?: number
  /** Event streams open at once; more get 503. Default 64. */
  maxEventStreams?: number
  /** Bytes an event stream may queue for a slow reader before it is cut. Default 1 MiB. */
  maxStreamBufferedBytes?: number
  /** Heartbeat comment on event streams. Default 15000. */
  heartbeatMs?: number
  /** How often the ring is walked while an event stream is open. Default 2000. */
  ringRefreshMs?: number
  /** Copies of each key (replica sets on the page). Default 3. */
  replicas?: number
  /**
   * A bearer token every request except the page itself must carry (`Authorization:
   * Bearer <token>`, or `?access_token=` for EventSource). Default: none.
   */
  token?: string
  /** Export Node process metrics too. Default true. */
  processMetrics?: boolean
  /**
   * The Prometheus registry /metrics serves; pass the one the node's libp2p metrics
   * (@libp2p/prometheus-metrics) write to, to serve both. Default: a new one.
   */
  registry?: Registry
}

const PEER_EVENTS = [
  'peer:joined',
  'peer:left',
  'successor:changed',
  'predecessor:changed',
  'keys:transferred',
  'keys:received',
  'keys:handed-off',
] as const

/** Paths anyone may load without the token: the page and its scripts (they hold no data). */
function isPublic(url: string): boolean {
  return url === '/' || url.startsWith('/assets/') || url === '/favicon.ico'
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest()
}

/**
 * The daemon's HTTP face: the key/value and ring routes, /metrics, the OpenAPI document
 * and the ring page, all served through the daemon's own client. Capabilities add their
 * routes with `register(plugin)` before `start()`.
 */
export class Gateway {
  readonly app: FastifyInstance
  readonly metrics: GatewayMetrics
  readonly events: EventHub
  readonly #components: GatewayComponents
  readonly #init: Required<Omit<GatewayInit, 'token' | 'registry'>> & { token: string | undefined }
  readonly #plugins: GatewayPlugin[] = [
    kvRoutes,
    registerRoutes,
    lockRoutes,
    electionRoutes,
    ringRoutes,
    metaRoutes,
  ]
  readonly #openapi = new OpenApiCollector()
  readonly #ring: RingWatcher
  readonly #unsubscribe: Array<() => void> = []
  #url: string | undefined
  #routingTimer: NodeJS.Timeout | undefined
  #started = false
  #stopped: Promise<void> | undefined

  constructor(components: GatewayComponents, init: GatewayInit = {}) {
    this.#components = components
    this.#init = Object.freeze({
      host: init.host ?? '127.0.0.1',
      port: init.port ?? 8080,
      maxKeyBytes: positive(init.maxKeyBytes ?? 1024, 'maxKeyBytes'),
      maxValueBytes: positive(init.maxValueBytes ?? 1024 * 1024, 'maxValueBytes'),
      requestTimeoutMs: positive(init.requestTimeoutMs ?? 10_000, 'requestTimeoutMs'),
      maxEventStreams: positive(init.maxEventStreams ?? 64, 'maxEventStreams'),
      maxStreamBufferedBytes: positive(
        init.maxStreamBufferedBytes ?? 1024 * 1024,
        'maxStreamBufferedBytes',
      ),
      heartbeatMs: positive(init.heartbeatMs ?? 15_000, 'heartbeatMs'),
      ringRefreshMs: positive(init.ringRefreshMs ?? 2_000, 'ringRefreshMs'),
      replicas: positive(init.replicas ?? 3, 'replicas'),
      token: init.token === undefined || init.token === '' ? undefined : init.token,
      processMetrics: init.processMetrics ?? true,
    })
    this.metrics = new GatewayMetrics(
      () => components.client.status({ signal: AbortSignal.timeout(this.#init.requestTimeoutMs) }),
      {
        processMetrics: this.#init.processMetrics,
        ...(init.registry === undefined ? {} : { registry: init.registry }),
      },
    )
    this.events = new EventHub({
      maxStreams: this.#init.maxEventStreams,
      maxBufferedBytes: this.#init.maxStreamBufferedBytes,
      heartbeatMs: this.#init.heartbeatMs,
    })
    this.#ring = new RingWatcher(
      { ring: (options) => components.client.ring(options), hub: this.events },
      {
        refreshMs: this.#init.ringRefreshMs,
        forgetAfterMs: 600_000,
        replicas: this.#init.replicas,
        timeoutMs: this.#init.requestTimeoutMs,
      },
    )
    let dropped = 0
    this.events.onChange = (open) => {
      this.metrics.setStreams(open)
      for (; dropped < this.events.dropped; dropped++) this.metrics.streamDropped()
      this.#ring.watchers(open)
    }
    this.app = Fastify({
      logger: false,
      bodyLimit: this.#init.maxValueBytes,
      // receiving a request (headers and body) must finish within the deadline
      requestTimeout: this.#init.requestTimeoutMs,
      keepAliveTimeout: 30_000,
      forceCloseConnections: true,
      return503OnClosing: true,
      routerOptions: { maxParamLength: this.#init.maxKeyBytes * 3 + 16 },
      ajv: { customOptions: { coerceTypes: true, removeAdditional: false } },
    })
  }

  /** `http://host:port` once started. */
  get url(): string {
    if (this.#url === undefined) throw new Error('the gateway has not started')
    return this.#url
  }

  /** Add a capability's routes; only before `start()`. */
  register(plugin: GatewayPlugin): this {
    if (this.#started) throw new Error('register routes before start()')
    this.#plugins.push(plugin)
    return this
  }

  async start(): Promise<string> {
    if (this.#started) return this.url
    this.#started = true
    const app = this.app
    const init = this.#init
    const context: GatewayContext = {
      client: this.#components.client,
      metrics: this.metrics,
      events: this.events,
      ring: this.#ring,
      limits: Object.freeze({
        maxKeyBytes: init.maxKeyBytes,
        maxValueBytes: init.maxValueBytes,
        requestTimeoutMs: init.requestTimeoutMs,
        maxEventStreams: init.maxEventStreams,
        maxStreamBufferedBytes: init.maxStreamBufferedBytes,
        heartbeatMs: init.heartbeatMs,
      }),
      operate: (operation, run, outcomeOf) =>
        this.metrics.time(operation, () => withDeadline(init.requestTimeoutMs, run), outcomeOf),
      openapi: () =>
        this.#openapi.document({
          title: 'ringdht gateway',
          version: GATEWAY_VERSION,
          bearer: init.token !== undefined,
        }),
    }
    app.addHook('onRoute', (route) => this.#openapi.add(route))
    if (init.token !== undefined) {
      const expected = digest(init.token)
      app.addHook('onRequest', async (request, reply) => {
        if (isPublic(request.url.split('?')[0] ?? '')) return
        const given = bearerOf(request)
        if (given !== undefined && timingSafeEqual(digest(given), expected)) return
        reply.code(401).header('www-authenticate', 'Bearer').send({
          statusCode: 401,
          code: 'UNAUTHORIZED',
          error: 'Unauthorized',
          message: 'a bearer token is required',
        })
        return reply
      })
    }
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched'
      this.metrics.observeHttp(request.method, route, reply.statusCode, reply.elapsedTime / 1000)
    })
    app.addHook('preClose', async () => {
      this.#ring.stop()
      this.events.close()
    })
    app.setErrorHandler(async (err, request, reply) => {
      const body = httpErrorOf(err)
      if (body.statusCode >= 500) {
        this.#components.logger?.warn(
          { route: request.routeOptions.url, code: body.code, err },
          'gateway request failed',
        )
      }
      return reply.code(body.statusCode).send(body)
    })
    app.setNotFoundHandler(async (request, reply) =>
      reply.code(404).send({
        statusCode: 404,
        code: 'NO_SUCH_ROUTE',
        error: 'Not Found',
        message: `no route ${request.method} ${request.url.split('?')[0]}; see /v1/openapi.json`,
      }),
    )
    for (const plugin of this.#plugins) {
      // each plugin in its own scope: its parsers and hooks stay its own
      await app.register((scope, _options, done) => {
        Promise.resolve(plugin(scope, context)).then(() => done(), done)
      })
    }
    const events = this.#components.events
    if (events !== undefined) {
      for (const name of PEER_EVENTS) {
        const listener = (event: Event) => {
          this.#ring.peerEvent(name, (event as CustomEvent).detail)
          this.#refreshRoutingSoon()
        }
        events.addEventListener(name, listener)
        this.#unsubscribe.push(() => events.removeEventListener(name, listener))
      }
    }
    await app.listen({ host: init.host, port: init.port })
    const address = app.server.address() as AddressInfo
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
    this.#url = `http://${host}:${address.port}`
    this.#components.logger?.info({ url: this.#url }, 'http gateway listening')
    return this.#url
  }

  /**
   * The member's neighbours changed: the client's view of the ring (who owns what) is
   * out of date, so learn it again once the burst of events has passed.
   */
  #refreshRoutingSoon(): void {
    const client = this.#components.client
    if (client.refreshRouting === undefined || this.#stopped !== undefined) return
    clearTimeout(this.#routingTimer)
    this.#routingTimer = setTimeout(() => {
      this.#routingTimer = undefined
      client.refreshRouting?.().catch(() => 0)
    }, 250)
    this.#routingTimer.unref()
  }

  /** Stop listening, end every event stream; idempotent. */
  stop(): Promise<void> {
    this.#stopped ??= (async () => {
      clearTimeout(this.#routingTimer)
      for (const unsubscribe of this.#unsubscribe) unsubscribe()
      this.#ring.stop()
      this.events.close()
      await this.app.close()
    })()
    return this.#stopped
  }
}

/**
 * Run `work` with a signal that aborts after `ms`, the timer cleared as soon as it ends
 * (AbortSignal.timeout would keep every request's signal and listeners alive for `ms`).
 */
async function withDeadline<T>(ms: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController()
  const timer = setTimeout(
    () => controller.abort(new DOMException(`no answer within ${ms} ms`, 'TimeoutError')),
    ms,
  )
  try {
    return await work(controller.signal)
  } finally {
    clearTimeout(timer)
  }
}

function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization
  if (typeof header === 'string' && header.startsWith('Bearer ')) return header.slice(7).trim()
  const query = request.query as { access_token?: unknown } | undefined
  const token = query?.access_token
  // taken out so routes that refuse unknown query parameters still validate
  if (query !== undefined) delete query.access_token
  return typeof token === 'string' ? token : undefined
}

function positive(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, not ${value}`)
  }
  return value
}

/** Build a gateway; `await gateway.start()` to listen. */
export function createGateway(components: GatewayComponents, init: GatewayInit = {}): Gateway {
  return new Gateway(components, init)
}
