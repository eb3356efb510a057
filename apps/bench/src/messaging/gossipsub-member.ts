/**
 * Child process: one gossipsub relay node, the counterpart of a ringdht daemon. It joins
 * the topics of each case (a gossipsub node relays a topic's messages only through the
 * mesh of a topic it subscribes to) and dials the other relays it is told about.
 */
import { multiaddr } from '@multiformats/multiaddr'
import { failChild, guardChildLifetime, serveCommands } from '../harness/child-runtime.js'
import { createGossipNode, type GossipNode } from './gossipsub-stack.js'

let node: GossipNode | undefined
const stop = async (): Promise<void> => {
  await node?.stop()
}
guardChildLifetime(stop)

try {
  node = await createGossipNode()
  const self = node
  serveCommands({
    info: {
      peerId: self.peerId.toString(),
      address: self.getMultiaddrs()[0]?.toString(),
    },
    stop,
    commands: {
      dial: async (args: { addresses: string[] }) => {
        for (const address of args.addresses) {
          await self.dial(multiaddr(address), { signal: AbortSignal.timeout(10_000) })
        }
        return self.getConnections().length
      },
      join: async (args: { topics: string[] }) => {
        for (const topic of args.topics) self.services.pubsub.subscribe(topic)
        return true
      },
      leave: async (args: { topics: string[] }) => {
        for (const topic of args.topics) self.services.pubsub.unsubscribe(topic)
        return true
      },
    },
  })
} catch (err) {
  failChild(err)
}
