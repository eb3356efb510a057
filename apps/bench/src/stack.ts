import { noise } from '@chainsafe/libp2p-noise'
import { mplex } from '@libp2p/mplex'
import { tcp } from '@libp2p/tcp'
import type { Libp2pOptions } from 'libp2p'

/**
 * Loopback connections are all from one host; libp2p rate-limits inbound
 * connections per host (5/s by default), which would throttle a 16-process
 * benchmark for reasons that have nothing to do with the system under test.
 */
export const LOOPBACK_ALLOW = ['/ip4/127.0.0.0/ipcidr/8']

/**
 * mplex closes a connection whose remote opens streams faster than
 * `disconnectThreshold` per second once `maxInboundStreams` is reached
 * (default 5). Concurrency-32 workloads do that legitimately.
 */
export const MPLEX_DISCONNECT_THRESHOLD = 10_000

/**
 * The transport stack shared by every system in the benchmark: TCP + Noise +
 * mplex on 127.0.0.1, with the same connection-manager settings everywhere.
 */
export function benchStack(): Pick<
  Libp2pOptions,
  'addresses' | 'transports' | 'connectionEncrypters' | 'streamMuxers' | 'connectionManager'
> {
  return {
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [mplex({ disconnectThreshold: MPLEX_DISCONNECT_THRESHOLD })],
    connectionManager: {
      allow: LOOPBACK_ALLOW,
      maxConnections: 1_000,
      inboundConnectionThreshold: 1_000,
      maxIncomingPendingConnections: 1_000,
    },
  }
}
