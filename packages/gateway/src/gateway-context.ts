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
  /** Locks and elections (`RingClient.coordination` fits); without them their routes answer 501. */
  coordination?: GatewayCoordination
  status(options?: { signal?: AbortSignal }): Promise<StatusSnapshot>
  ring(options?: { signal?: AbortSignal }): Promise<RingMember[]>
  /** Learn the ring's members again (a direct-routing client); called on membership events. */
  refreshRouting?(): Promise<number>
}

/** A lock, or the lock an election runs on, seen as its owner sees it. */
export interface GatewayLockState {
  /** Undefined: free. */
  holder: string | undefined
  /** The latest grant's fencing token (an election's term). */
  token: number
  /** What is left of the holder's lease, ms. */
  leaseMs: number
}

/**
 * One lock operated by the parts of a grant (holder and token), with no handle kept
 * between requests: `LockLease` from `@ringdht/peer`. Renewing or releasing a grant that
 * is not the current one throws LockNotHeldError.
 */
export interface GatewayLockLease {
  tryAcquire(
    holder: string,
    ttlMs: number,
    signal?: AbortSignal,
  ): Promise<GatewayLockState & { granted: boolean }>
  renew(
    grant: { holder: string; token: number },
    ttlMs: number,
    signal?: AbortSignal,
  ): Promise<{ leaseMs: number }>
  release(grant: { holder: string; token: number }, signal?: AbortSignal): Promise<void>
  state(signal?: AbortSignal): Promise<GatewayLockState>
}

/** The locks and elections the gateway serves (`Coordination` from `@ringdht/peer`). */
export interface GatewayCoordination {
  lockLease(name: Uint8Array): GatewayLockLease
  electionLease(name: Uint8Array): GatewayLockLease
  /** The leaders of an election as they change (the current one first), until `signal` aborts. */
  observe(
    name: Uint8Array,
    options: { signal?: AbortSignal; intervalMs?: number },
  ): AsyncIterable<{ leader: string | undefined; term: number }>
}

/** What a route plugin gets: the client, the limits and the shared machinery. */
export interface GatewayContext {
  client: GatewayClient
  metrics: GatewayMetrics
  events: EventHub
  ring: RingWatcher
  limits: Readonly<{
    maxKeyBytes: number
    maxValueBytes: number
    requestTimeoutMs: number
    /** Event streams open at once, per kind of stream (ring events, elections). */
    maxEventStreams: number
    maxStreamBufferedBytes: number
    heartbeatMs: number
  }>
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
