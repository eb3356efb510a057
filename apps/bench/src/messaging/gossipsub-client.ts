/**
 * Child process: the gossipsub side's publisher and subscribers, each its own libp2p node
 * (a gossipsub node receives a topic's message once, so N subscribers are N nodes), each
 * dialling every relay node as a gossipsub peer keeps several connections. A publish is
 * "acknowledged" when `publish()` resolves: gossipsub has sent it to at least one peer.
 */
import { multiaddr } from '@multiformats/multiaddr'
import { failChild, guardChildLifetime, serveCommands } from '../harness/child-runtime.js'
import { createGossipNode, type GossipNode } from './gossipsub-stack.js'
import { pubSubCommands } from './pubsub-commands.js'
import type { PubSubBackend } from './pubsub-workload.js'

interface GossipClientArgs {
  relays: string[]
  /** Subscriber nodes started up front; a case uses the first `subscribers`. */
  subscriberNodes: number
}

const nodes: GossipNode[] = []
const stop = async (): Promise<void> => {
  await Promise.all(nodes.map((n) => Promise.resolve(n.stop()).catch(() => {})))
}
guardChildLifetime(stop)

async function startNode(relays: string[]): Promise<GossipNode> {
  const node = await createGossipNode()
  nodes.push(node)
  for (const relay of relays) {
    await node.dial(multiaddr(relay), { signal: AbortSignal.timeout(10_000) })
  }
  return node
}

try {
  const args = JSON.parse(process.argv[2] ?? '{}') as GossipClientArgs
  const publisher = await startNode(args.relays)
  const subscriberNodes: GossipNode[] = []
  for (let i = 0; i < args.subscriberNodes; i++) subscriberNodes.push(await startNode(args.relays))
  const backend: PubSubBackend = {
    async subscribe(topics, subscribers, deliver) {
      if (subscribers > subscriberNodes.length) {
        throw new Error(`${subscribers} subscribers asked, ${subscriberNodes.length} nodes started`)
      }
      const wanted = new Set(topics)
      const used = subscriberNodes.slice(0, subscribers)
      const listeners = used.map((node, s) => {
        const listener = (event: CustomEvent<{ topic: string; data: Uint8Array }>) => {
          if (wanted.has(event.detail.topic)) deliver(s, event.detail.topic, event.detail.data)
        }
        node.services.pubsub.addEventListener('message', listener)
        for (const topic of topics) node.services.pubsub.subscribe(topic)
        return listener
      })
      return {
        close: async () => {
          used.forEach((node, s) => {
            for (const topic of topics) node.services.pubsub.unsubscribe(topic)
            const listener = listeners[s]
            if (listener !== undefined)
              node.services.pubsub.removeEventListener('message', listener)
          })
        },
      }
    },
    async publish(topic, data, signal) {
      signal.throwIfAborted()
      const sent = publisher.services.pubsub.publish(topic, data)
      let onAbort = () => {}
      const aborted = new Promise<never>((_, reject) => {
        onAbort = () => reject(new Error('publish timed out'))
        signal.addEventListener('abort', onAbort, { once: true })
      })
      try {
        await Promise.race([sent, aborted])
      } finally {
        signal.removeEventListener('abort', onAbort)
      }
    },
  }
  serveCommands({
    info: {},
    stop,
    commands: {
      ...pubSubCommands(backend),
      connections: async () => nodes.map((n) => n.getConnections().length),
    },
  })
} catch (err) {
  failChild(err)
}
