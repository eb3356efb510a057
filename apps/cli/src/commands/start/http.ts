import { readFile } from 'node:fs/promises'
import { isIP } from 'node:net'
import type { prometheusMetrics } from '@libp2p/prometheus-metrics'

/** libp2p's metrics for the node, to pass to createPeer. */
export type Libp2pMetrics = ReturnType<typeof prometheusMetrics>

import type { Gateway, Registry } from '@ringdht/gateway'
import type { Logger } from 'pino'
import type { HttpAddress, Resolved, StartConfig } from '../../config.js'
import { ConfigError } from '../../errors.js'
import { createClient, type RingClient, type RingPeer } from '../../peer.js'
import { checkListenPorts } from '../../preflight.js'

/** The daemon's HTTP gateway and the client it serves through. */
export interface HttpGateway {
  url: string
  stop(): Promise<void>
}

/**
 * The registry /metrics serves and libp2p's own metrics for the node (connections,
 * streams, bytes per protocol) written into it: pass `metrics` to createPeer. The gateway
 * and the metrics libraries load only here and in startHttpGateway, when --http is on: a
 * daemon without HTTP never loads fastify or prom-client.
 */
export async function libp2pMetrics(): Promise<{
  registry: Registry
  metrics: Libp2pMetrics
}> {
  const { Registry } = await import('@ringdht/gateway')
  const { prometheusMetrics } = await import('@libp2p/prometheus-metrics')
  const registry = new Registry()
  // the gateway collects the process metrics itself, once
  return { registry, metrics: prometheusMetrics({ registry, collectDefaultMetrics: false }) }
}

/** Fail at start, with the usual one-line reason, when the HTTP port is taken. */
export async function checkHttpPort(address: HttpAddress): Promise<void> {
  const family = isIP(address.host)
  if (family === 0) return
  await checkListenPorts([`/ip${family}/${address.host}/tcp/${address.port}`])
}

export async function readHttpToken(file: string): Promise<string> {
  let token: string
  try {
    token = (await readFile(file, 'utf8')).trim()
  } catch (err) {
    const reason =
      (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message
    throw new ConfigError(`cannot read the HTTP token file ${file}: ${reason}`, err)
  }
  if (token === '' || /\s/.test(token)) {
    throw new ConfigError(`the HTTP token file ${file} must hold one token (no spaces)`)
  }
  return token
}

/**
 * Serve the gateway through the daemon's own client: a client dialled to this very
 * member (loopback), so HTTP callers see what `ringdht get` would.
 */
export async function startHttpGateway(
  peer: RingPeer,
  config: Resolved<StartConfig>,
  psk: Uint8Array | undefined,
  token: string | undefined,
  registry: Registry | undefined,
  logger: Logger,
): Promise<HttpGateway> {
  const address = config.http as HttpAddress
  const addrs = peer.getMultiaddrs().map((addr) => addr.toString())
  const own = addrs.find((addr) => addr.startsWith('/ip4/127.')) ?? addrs[0]
  if (own === undefined) throw new ConfigError('the daemon has no address to serve HTTP through')
  const { createGateway } = await import('@ringdht/gateway')
  let client: RingClient | undefined
  let gateway: Gateway | undefined
  try {
    client = await createClient({
      peer: own,
      psk,
      replicas: config.replicas,
      logger: logger.child({ component: 'gateway-client' }),
    })
    gateway = createGateway(
      { client, events: peer, logger: logger.child({ component: 'gateway' }) },
      {
        host: address.host,
        port: address.port,
        maxKeyBytes: config.maxKeyBytes,
        maxValueBytes: config.maxValueBytes,
        replicas: config.replicas,
        ...(token === undefined ? {} : { token }),
        ...(registry === undefined ? {} : { registry }),
      },
    )
    // learn the ring now, so the first requests go straight to their owners
    await client.refreshRouting().catch(() => 0)
    const url = await gateway.start()
    const started = gateway
    const dialled = client
    return {
      url,
      async stop() {
        await started.stop().catch(() => {})
        await dialled.close().catch(() => {})
      },
    }
  } catch (err) {
    await gateway?.stop().catch(() => {})
    await client?.close().catch(() => {})
    throw err
  }
}
