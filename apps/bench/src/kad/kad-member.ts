/**
 * Child process: one @libp2p/kad-dht server peer. It dials the bootstrap peer
 * it is given, answers DHT queries, and reports its routing table, record
 * count and RSS when asked.
 */
import { multiaddr } from '@multiformats/multiaddr'
import { MemoryDatastore } from 'datastore-core'
import { failChild, guardChildLifetime, serveCommands } from '../harness/child-runtime.js'
import { readMemberArgs } from '../harness/member-args.js'
import { countRecords, createKadNode, type KadNode, routingCommands } from './kad-config.js'

let node: KadNode | undefined
const stop = async (): Promise<void> => {
  await node?.stop()
}
guardChildLifetime(stop)

try {
  const datastore = new MemoryDatastore()
  node = await createKadNode({ clientMode: false, datastore })
  const self = node
  const { bootstrap } = readMemberArgs()
  if (bootstrap !== undefined) {
    await self.dial(multiaddr(bootstrap), { signal: AbortSignal.timeout(10_000) })
  }
  serveCommands({
    info: {
      peerId: self.peerId.toString(),
      multiaddrs: self.getMultiaddrs().map((ma) => ma.toString()),
    },
    stop,
    commands: {
      ...routingCommands(self),
      records: async () => countRecords(datastore),
      rss: async () => process.memoryUsage().rss,
    },
  })
} catch (err) {
  failChild(err)
}
