import { noise } from '@chainsafe/libp2p-noise'
import type { PrivateKey } from '@libp2p/interface'
import { mplex } from '@libp2p/mplex'
import { preSharedKey } from '@libp2p/pnet'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { createLibp2p, type Libp2p, type Libp2pOptions } from 'libp2p'
import { type ConnectionLimits, DEFAULT_CONNECTION_LIMITS } from '../config.js'
import { withWholeFrames } from './frame-writes.js'

export interface NodeOptions {
  privateKey?: PrivateKey
  listen: readonly string[]
  /** What other peers are told to dial instead of the listen addresses (libp2p `announce`). */
  announce?: readonly string[]
  psk: Uint8Array | undefined
  muxer: 'mplex' | 'yamux'
  /** Bytes one stream may buffer before it is reset. */
  maxStreamBufferBytes: number
  /** Connection limits; defaults in `DEFAULT_CONNECTION_LIMITS`. */
  connectionLimits?: Partial<ConnectionLimits>
  /** libp2p's metrics (e.g. @libp2p/prometheus-metrics). Default: none. */
  metrics?: Libp2pOptions['metrics']
}

/**
 * A libp2p node with only what ringdht needs: TCP, Noise, one muxer, an optional
 * private-network protector, and no discovery or identify: members learn each other's
 * addresses from the ring protocol itself.
 */
export async function createNode(options: NodeOptions): Promise<Libp2p> {
  const limits = { ...DEFAULT_CONNECTION_LIMITS, ...options.connectionLimits }
  const muxer =
    options.muxer === 'yamux'
      ? yamux()
      : mplex({
          // mplex resets the whole connection when a remote opens more than this many
          // streams per second: members keep one long-lived stream per peer, so honest
          // traffic stays far below it
          disconnectThreshold: limits.maxNewStreamsPerSecond,
          maxUnprocessedMessageQueueSize: 2 * options.maxStreamBufferBytes,
        })
  return createLibp2p({
    ...(options.privateKey === undefined ? {} : { privateKey: options.privateKey }),
    ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
    addresses: {
      listen: [...options.listen],
      ...(options.announce === undefined || options.announce.length === 0
        ? {}
        : { announce: [...options.announce] }),
    },
    transports: [tcp()],
    connectionEncrypters: [withWholeFrames(noise())],
    streamMuxers: [muxer],
    ...(options.psk === undefined
      ? {}
      : { connectionProtector: preSharedKey({ psk: options.psk }) }),
    connectionManager: {
      maxConnections: limits.maxConnections,
      inboundConnectionThreshold: limits.maxInboundConnectionsPerHostPerSecond,
      maxIncomingPendingConnections: limits.maxPendingConnections,
      inboundStreamProtocolNegotiationTimeout: limits.streamNegotiationTimeoutMs,
    },
  })
}
