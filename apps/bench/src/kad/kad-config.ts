import { identify } from '@libp2p/identify'
import { type KadDHT, kadDHT, passthroughMapper } from '@libp2p/kad-dht'
import { ping } from '@libp2p/ping'
import { multiaddr } from '@multiformats/multiaddr'
import type { MemoryDatastore } from 'datastore-core'
import { createLibp2p, type Libp2p } from 'libp2p'
import { benchStack } from '../stack.js'

/** The key namespace of benchmark records: keys look like `/bench/<run>/<index>`. */
export const BENCH_NAMESPACE = 'bench'

/** Where kad-dht keeps records in its datastore (its default `datastorePrefix` + `/record`). */
export const KAD_RECORD_PREFIX = '/dht/record'

/**
 * Streams per connection on the DHT protocol. kad-dht's defaults (32 in,
 * 64 out) are below what a concurrency-32 client opens to each peer at once.
 */
export const KAD_MAX_STREAMS = 256

export type KadNode = Libp2p<{ dht: KadDHT; identify: unknown; ping: unknown }>

export interface KadNodeInit {
  /** Server mode answers queries and stores records; the bench client runs in client mode. */
  clientMode: boolean
  datastore: MemoryDatastore
}

/**
 * A libp2p node running @libp2p/kad-dht as fairly as we can set it up on one
 * host: same transport stack as ringdht, loopback addresses kept in the
 * routing table (the default mapper drops private addresses, which would leave
 * every peer unreachable on 127.0.0.1), a validator and selector for the
 * benchmark namespace (records without one are rejected), and stream limits
 * above the workload's concurrency.
 */
export async function createKadNode(init: KadNodeInit): Promise<KadNode> {
  return createLibp2p({
    ...benchStack(),
    datastore: init.datastore,
    services: {
      identify: identify(),
      ping: ping(),
      dht: kadDHT({
        clientMode: init.clientMode,
        peerInfoMapper: passthroughMapper,
        validators: { [BENCH_NAMESPACE]: async () => {} },
        // every benchmark key is written once, so any copy is the right one
        selectors: { [BENCH_NAMESPACE]: () => 0 },
        maxInboundStreams: KAD_MAX_STREAMS,
        maxOutboundStreams: KAD_MAX_STREAMS,
      }),
    },
  }) as Promise<KadNode>
}

/** Routing-table size; `SingleKadDHT` exposes it, the `KadDHT` interface does not. */
export function routingTableSize(node: KadNode): number {
  const dht = node.services.dht as KadDHT & { routingTable?: { size: number } }
  return dht.routingTable?.size ?? 0
}

export async function countRecords(datastore: MemoryDatastore): Promise<number> {
  let count = 0
  for await (const _ of datastore.queryKeys({ prefix: KAD_RECORD_PREFIX })) count++
  return count
}

/** Commands the driver sends to every kad-dht process, member or client, to wire it up. */
export function routingCommands(node: KadNode) {
  return {
    connect: async (args: { multiaddr: string }) => {
      await node.dial(multiaddr(args.multiaddr), { signal: AbortSignal.timeout(10_000) })
      return true
    },
    'routing-table': async () => routingTableSize(node),
    refresh: async () => {
      await node.services.dht.refreshRoutingTable({ signal: AbortSignal.timeout(10_000) })
      return routingTableSize(node)
    },
  }
}
