/**
 * The three deployments of the messaging comparison, started side by side: N ringdht
 * daemons, one redis-server, N gossipsub relay nodes (one process each, every relay dialled
 * to every other), and one client process per system holding its publisher and subscribers.
 */
import { type BenchChild, type ProcessGroup, scriptPath } from '../harness/process-group.js'
import { waitFor } from '../harness/wait.js'
import { DaemonRing } from '../queues/cli-daemons.js'
import type { RedisServer } from '../queues/redis-server.js'

export const MESSAGING_SYSTEMS = ['ringdht', 'redis', 'gossipsub'] as const
export type MessagingSystem = (typeof MESSAGING_SYSTEMS)[number]

export interface MessagingSystems {
  redis: RedisServer
  ring: DaemonRing
  relays: Array<{ child: BenchChild; peerId: string; address: string }>
  clients: Record<MessagingSystem, BenchChild>
}

export interface StartInit {
  nodes: number
  /** Subscriber nodes the gossipsub client starts (the most subscribers of any case). */
  gossipSubscriberNodes: number
  ringdhtSubscriberClients: number
  settleTimeoutMs: number
}

const script = (name: string) => scriptPath(import.meta.url, `./${name}.js`)

export async function startMessagingSystems(
  init: StartInit,
  redis: RedisServer,
  group: ProcessGroup,
  say: (line: string) => void,
): Promise<MessagingSystems> {
  const ring = await DaemonRing.start(init.nodes)
  try {
    const [first, second] = ring.members
    if (first === undefined) throw new Error('no ringdht daemons')
    const ringdht = await group.spawn({
      name: 'ringdht-topic-client',
      script: script('ringdht-topic-client'),
      args: [
        JSON.stringify({
          publisherPeer: first.address,
          subscriberPeer: (second ?? first).address,
          subscriberClients: init.ringdhtSubscriberClients,
        }),
      ],
      readyTimeoutMs: 60_000,
    })
    await waitFor(
      async () => {
        const seen = await ringdht.request<number>('ring-size').catch(() => 0)
        return { done: seen === init.nodes, detail: `ring walk sees ${seen}` }
      },
      { timeoutMs: init.settleTimeoutMs, intervalMs: 250, description: 'a full ring walk' },
    )
    say(`ringdht: ${init.nodes} daemons ready, client sees them all`)
    const redisClient = await group.spawn({
      name: 'redis-pubsub-client',
      script: script('redis-pubsub-client'),
      args: [JSON.stringify({ port: redis.port })],
    })
    const relays: MessagingSystems['relays'] = []
    for (let i = 0; i < init.nodes; i++) {
      const child = await group.spawn({
        name: `gossipsub-${i}`,
        script: script('gossipsub-member'),
      })
      const address = `${String(child.info.address)}`
      const addresses = relays.map((r) => r.address)
      if (addresses.length > 0) await child.request('dial', { addresses })
      relays.push({ child, peerId: String(child.info.peerId), address })
    }
    const gossipsub = await group.spawn({
      name: 'gossipsub-client',
      script: script('gossipsub-client'),
      args: [
        JSON.stringify({
          relays: relays.map((r) => r.address),
          subscriberNodes: init.gossipSubscriberNodes,
        }),
      ],
      readyTimeoutMs: 120_000,
    })
    say(
      `gossipsub: ${init.nodes} relays, a publisher and ${init.gossipSubscriberNodes} subscriber nodes, each dialled to every relay`,
    )
    return { redis, ring, relays, clients: { ringdht, redis: redisClient, gossipsub } }
  } catch (err) {
    await ring.stop()
    throw err
  }
}

/** The relays take part in each case's topics: gossipsub forwards only within a topic's mesh. */
export async function relaysJoin(systems: MessagingSystems, topics: string[]): Promise<void> {
  await Promise.all(systems.relays.map((r) => r.child.request('join', { topics }).catch(() => {})))
}

export async function relaysLeave(systems: MessagingSystems, topics: string[]): Promise<void> {
  await Promise.all(systems.relays.map((r) => r.child.request('leave', { topics }).catch(() => {})))
}
