import type { FastifyInstance } from 'fastify'
import type { GatewayMetrics, StatusSnapshot } from './metrics.js'
import type { RingMember, RingWatcher } from './ring-watcher.js'
import type { EventHub } from './sse.js'

export interface OperationOptions {
  signal?: AbortSignal
  trace?: boolean
}

/** The ring operations the gateway serves: a `RingClient` (or a `RingPeer` plus a ring walk) fits. */
export interface GatewayClient {
  get(
    key: Uint8Array,
    options?: OperationOptions,
  ): Promise<
    | {
        value: Uint8Array
        hops: number
        path?: string[]
        version?: { timestamp: bigint; writer: bigint }
        expiresAt?: number
      }
    | undefined
  >
  put(
    key: Uint8Array,
    value: Uint8Array,
    options?: OperationOptions & { writeQuorum?: number; ttlMs?: number },
  ): Promise<{ hops: number; path?: string[]; replicas?: number }>
  delete(key: Uint8Array, options?: OperationOptions): Promise<{ hops: number; path?: string[] }>
  /** Coordination registers (linearizable); without them the register routes answer 501. */
  cas?(
    key: Uint8Array,
    expected: Uint8Array | undefined,
    next: Uint8Array | undefined,
    options?: { signal?: AbortSignal; fence?: number | { lock: Uint8Array; token: number } },
  ): Promise<{ succeeded: boolean; value: Uint8Array | undefined; version: number }>
  read?(
    key: Uint8Array,
    options?: { signal?: AbortSignal },
  ): Promise<{ value: Uint8Array | undefined; version: number }>
  status(options?: { signal?: AbortSignal }): Promise<StatusSnapshot>
  ring(options?: { signal?: AbortSignal }): Promise<RingMember[]>
  /** Learn the ring's members again (a direct-routing client); called on membership events. */
  refreshRouting?(): Promise<number>
}

/** Logs the gateway writes; a pino logger fits. */
/** What a route plugin gets: the client, the limits and the shared machinery. */
export interface GatewayContext {
  client: GatewayClient
  metrics: GatewayMetrics
  events: EventHub
  ring: RingWatcher
  limits: Readonly<{ maxKeyBytes: number; maxValueBytes: number; requestTimeoutMs: number }>
  /**
   * Run one ring operation under the request deadline, counted and timed as
   * `operation` (`outcomeOf` names its outcome for the request counter; default 'ok').
   */
  operate<T>(
    operation: string,
    run: (signal: AbortSignal) => Promise<T>,
    outcomeOf?: (result: T) => string,
  ): Promise<T>
  /** The OpenAPI document of every route registered. */
  openapi(): unknown
}

/**
 * A capability's routes: called once, inside its own fastify scope (so it may add
 * content-type parsers or hooks of its own), with the gateway's context.
 */
export type GatewayPlugin = (app: FastifyInstance, context: GatewayContext) => void | Promise<void>
