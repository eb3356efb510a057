/**
 * Child process: the ringdht side of the messaging comparison. The publisher is one
 * `createClient` dialling the first daemon; subscribers are `subscribe()` iterations spread
 * over a few more clients dialling the second daemon (each iteration pulls on its own: 50 of
 * them are 50 subscribers, which the home serves through the dialled daemon's relay once
 * they exceed its fan-out threshold).
 */
import { createClient, type RingClient } from '@ringdht/peer'
import { ringIdOf } from '@ringdht/ring'
import { failChild, guardChildLifetime, serveCommands } from '../harness/child-runtime.js'
import { pubSubCommands } from './pubsub-commands.js'
import type { PubSubBackend } from './pubsub-workload.js'

interface RingdhtClientArgs {
  publisherPeer: string
  subscriberPeer: string
  /** When given, the subscriber clients dial these members round-robin (fanout bench). */
  subscriberPeers?: string[]
  /** Client connections the subscriptions share, round-robin. */
  subscriberClients: number
}

const clients: RingClient[] = []
const stop = async (): Promise<void> => {
  await Promise.all(clients.map((c) => c.close().catch(() => {})))
}
guardChildLifetime(stop)

const connect = async (peer: string) => {
  const client = await createClient({ peer, timeoutMs: 10_000 })
  clients.push(client)
  return client
}

/** The ring position of a topic's log: sha256 of `topic 0x00 <name>` (homes/log-keys.ts). */
function topicPosition(topic: string): bigint {
  const name = new TextEncoder().encode(topic)
  const key = new Uint8Array(6 + name.byteLength)
  key.set(new TextEncoder().encode('topic'), 0)
  key.set(name, 6)
  return ringIdOf(key)
}

try {
  const args = JSON.parse(process.argv[2] ?? '{}') as RingdhtClientArgs
  const publisher = await connect(args.publisherPeer)
  const subscriberPool: RingClient[] = []
  for (let i = 0; i < args.subscriberClients; i++) {
    const peers = args.subscriberPeers ?? [args.subscriberPeer]
    subscriberPool.push(await connect(peers[i % peers.length] ?? args.subscriberPeer))
  }
  const backend: PubSubBackend = {
    async subscribe(topics, subscribers, deliver) {
      const stopped = new AbortController()
      const loops: Promise<void>[] = []
      for (let s = 0; s < subscribers; s++) {
        const client = subscriberPool[s % subscriberPool.length] as RingClient
        for (const topic of topics) {
          // a fresh topic per case: from 1 is every message, none missed while starting
          const iteration = client.subscribe(topic, { from: 1, signal: stopped.signal })
          loops.push(
            (async () => {
              for await (const entry of iteration) deliver(s, topic, entry.message)
            })().catch(() => {}),
          )
        }
      }
      return {
        close: async () => {
          stopped.abort()
          await Promise.all(loops)
        },
      }
    },
    async publish(topic, data, signal) {
      await publisher.publish(topic, data, { signal })
    },
  }
  serveCommands({
    info: {},
    stop,
    commands: {
      ...pubSubCommands(backend),
      // the peer id of each topic's home: the first member at or after its ring position
      homes: async (args: { topics: string[] }) => {
        const members = await publisher.ring({ signal: AbortSignal.timeout(10_000) })
        const sorted = members
          .map((m) => ({ peerId: m.peerId, id: BigInt(`0x${m.ringId}`) }))
          .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        return args.topics.map((topic) => {
          const position = topicPosition(topic)
          return (sorted.find((m) => m.id >= position) ?? sorted[0])?.peerId
        })
      },
      'ring-size': async () =>
        (await publisher.ring({ signal: AbortSignal.timeout(10_000) })).length,
    },
  })
} catch (err) {
  failChild(err)
}
