import type { Libp2p } from '@libp2p/interface'
import type { Logger } from 'pino'
import type { PeerConfig } from '../../config.js'
import type { Counters } from '../../counters.js'
import type { CapabilityProtocol } from '../capability.js'
import { RpcServer } from './server.js'

/**
 * Register one RPC server per protocol (the core's own, then each capability's) with
 * libp2p, all with the same frame, timeout and buffer bounds; returns the servers so
 * that shutdown can stop them.
 */
export async function serveProtocols(
  libp2p: Libp2p,
  protocols: readonly CapabilityProtocol[],
  config: Pick<PeerConfig, 'limits' | 'timers'>,
  logger: Logger,
  traffic?: Counters,
): Promise<RpcServer[]> {
  const { limits, timers } = config
  const bounds = {
    maxFrameBytes: limits.maxFrameBytes,
    frameTimeoutMs: timers.frameTimeoutMs,
    idleStreamMs: timers.idleStreamMs,
    // a reader that stalls is treated like a sender that stalls mid-frame
    drainTimeoutMs: timers.frameTimeoutMs,
    maxWriteBufferBytes: 2 * limits.maxFrameBytes,
  }
  const servers: RpcServer[] = []
  for (const protocol of protocols) {
    const server = new RpcServer(
      { logger, ...(traffic === undefined ? {} : { traffic }) },
      { ...bounds, maxConcurrent: protocol.maxConcurrent, handler: protocol.handler },
    )
    servers.push(server)
    await libp2p.handle(protocol.id, server.handleStream, {
      maxInboundStreams: protocol.maxStreams,
      maxOutboundStreams: protocol.maxStreams,
    })
  }
  return servers
}
