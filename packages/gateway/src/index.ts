/**
 * @packageDocumentation
 *
 * The HTTP face of a ringdht daemon: `GET/PUT/DELETE /v1/kv/{key}` (raw bytes),
 * coordination registers (`/v1/registers/{key}`), locks (`/v1/locks/{name}`) and
 * elections (`/v1/elections/{name}`, leaders as Server-Sent Events),
 * `GET /v1/ring`, `GET /v1/status`, ring changes as Server-Sent Events on `/v1/events`,
 * Prometheus metrics on `/metrics`, the OpenAPI document on `/v1/openapi.json` (built
 * from the route schemas, which also validate every request) and a live ring page on
 * `/`. Every route goes through the daemon's own client. Capabilities add their routes
 * with `gateway.register(plugin)`. `renderRingSvg` draws the ring without a browser.
 *
 * The gateway needs only the small `GatewayClient` interface (get/put/delete/status/ring),
 * which `RingClient` from `@ringdht/peer` implements; it imports nothing from the peer.
 *
 * @example
 * ```ts
 * import { createClient } from '@ringdht/peer'
 * import { createGateway } from '@ringdht/gateway'
 *
 * const client = await createClient({ peer: '/ip4/127.0.0.1/tcp/4001' })
 * const gateway = createGateway({ client }, { port: 8080 })
 * await gateway.start() // http://127.0.0.1:8080
 * // curl -X PUT --data-binary world http://127.0.0.1:8080/v1/kv/hello
 * await gateway.stop()
 * await client.close()
 * ```
 */

/** prom-client's registry, for sharing one between the gateway and libp2p's metrics. */
export { Registry } from 'prom-client'
export { GatewayInputError, type HttpErrorBody, httpErrorOf } from './errors.js'
export {
  createGateway,
  GATEWAY_VERSION,
  Gateway,
  type GatewayClient,
  type GatewayComponents,
  type GatewayContext,
  type GatewayInit,
  type GatewayLogger,
  type GatewayPlugin,
} from './gateway.js'
export type {
  GatewayCoordination,
  GatewayLockLease,
  GatewayLockState,
} from './gateway-context.js'
export { decodeKey, KEY_ENCODINGS, type KeyEncoding } from './keys.js'
export { GatewayMetrics, type GatewayMetricsInit, type StatusSnapshot } from './metrics.js'
export {
  layoutRing,
  type RingLayoutMember,
  type RingPictureMember,
  type RingPictureOptions,
  renderRingSvg,
  ringFraction,
} from './ring-svg.js'
export type { RingMember, RingSnapshot, RingViewMember } from './ring-watcher.js'
export { EventHub, type EventHubInit, type SseEvent } from './sse.js'
