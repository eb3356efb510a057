/**
 * `pnpm bench -- messaging`: ringdht topics against Redis 7 pub/sub and gossipsub, in one
 * run. Each case runs on the three systems one after the other, the order rotating from
 * case to case so drift in the shared cores' load favours none: publish-to-deliver latency
 * with 1 and many subscribers, messages/s on one topic and on many, then delivery while a
 * member or broker is SIGKILLed in the middle of a publish stream.
 */
import os from 'node:os'
import { currentCommit } from '../bench.js'
import { ProcessGroup } from '../harness/process-group.js'
import { waitFor } from '../harness/wait.js'
import { RedisServer } from '../queues/redis-server.js'
import { requireRedis } from '../queues/run-queues.js'
import { round } from '../stats.js'
import type { KillCaseArgs, KillCaseResult } from './kill-stream.js'
import {
  type CaseOutcome,
  type KillOutcome,
  type MessagingReport,
  messagingTargets,
} from './messaging-report.js'
import {
  MESSAGING_SYSTEMS,
  type MessagingSystem,
  type MessagingSystems,
  relaysJoin,
  relaysLeave,
  startMessagingSystems,
} from './messaging-systems.js'
import type { LatencyCaseResult, ThroughputCaseResult } from './pubsub-workload.js'

export interface MessagingOptions {
  /** ringdht daemons, and gossipsub relay nodes. */
  nodes: number
  /** Subscriber counts of the latency case. */
  subscribers: number[]
  latencyMessages: number
  /** Topic counts of the throughput case (one subscriber on all of them). */
  topics: number[]
  throughputMessages: number
  /** Messages in flight (publish to delivery) in the throughput case. */
  concurrency: number
  /** Wall-time cap of one case on one system. */
  caseTimeLimitMs: number
  /** Client connections ringdht's subscriptions share. */
  ringdhtSubscriberClients: number
  kill: { messages: number; paceMs: number; subscribers: number; waitMs: number }
  warmUpTimeoutMs: number
  settleTimeoutMs: number
}

export function defaultMessagingOptions(quick = false): MessagingOptions {
  const base: MessagingOptions = {
    nodes: 5,
    subscribers: [1, 50],
    latencyMessages: 200,
    topics: [1, 100],
    throughputMessages: 2000,
    concurrency: 32,
    caseTimeLimitMs: 60_000,
    ringdhtSubscriberClients: 10,
    kill: { messages: 1000, paceMs: 5, subscribers: 2, waitMs: 30_000 },
    warmUpTimeoutMs: 30_000,
    settleTimeoutMs: 60_000,
  }
  if (!quick) return base
  return {
    ...base,
    nodes: 3,
    subscribers: [1, 5],
    latencyMessages: 30,
    topics: [1, 10],
    throughputMessages: 200,
    caseTimeLimitMs: 15_000,
    ringdhtSubscriberClients: 2,
    kill: { messages: 200, paceMs: 5, subscribers: 1, waitMs: 10_000 },
    warmUpTimeoutMs: 15_000,
  }
}

export interface RunMessagingInit {
  options: MessagingOptions
  command: string
  progress?: (line: string) => void
}

/** The systems in the order of case `index` (rotating), so none always runs first. */
const orderOf = (index: number): MessagingSystem[] =>
  MESSAGING_SYSTEMS.map(
    (_, i) => MESSAGING_SYSTEMS[(i + index) % MESSAGING_SYSTEMS.length] as MessagingSystem,
  )

async function outcome<T>(run: () => Promise<T>): Promise<CaseOutcome<T>> {
  try {
    return await run()
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) }
  }
}

export async function runMessaging(init: RunMessagingInit): Promise<MessagingReport> {
  const { options } = init
  const say = init.progress ?? (() => {})
  const binary = requireRedis()
  const started = Date.now()
  const loadAtStart = round(os.loadavg()[0] ?? 0, 2)
  const tag = started.toString(36)
  const group = new ProcessGroup()
  const redis = await RedisServer.start(binary)
  let systems: MessagingSystems | undefined
  try {
    say(`redis-server ${redis.version} on port ${redis.port}`)
    systems = await startMessagingSystems(
      {
        nodes: options.nodes,
        gossipSubscriberNodes: Math.max(...options.subscribers, options.kill.subscribers),
        ringdhtSubscriberClients: options.ringdhtSubscriberClients,
        settleTimeoutMs: options.settleTimeoutMs,
      },
      redis,
      group,
      say,
    )
    const live = systems
    const timeout = { timeoutMs: options.caseTimeLimitMs + options.warmUpTimeoutMs + 60_000 }
    let caseIndex = 0

    const latency: MessagingReport['latency'] = []
    for (const subscribers of options.subscribers) {
      const results: Partial<MessagingReport['latency'][number]['results']> = {}
      for (const system of orderOf(caseIndex++)) {
        const topic = `lat-${tag}-${subscribers}-${system}`
        if (system === 'gossipsub') await relaysJoin(live, [topic])
        results[system] = await outcome(() =>
          live.clients[system].request<LatencyCaseResult>(
            'latency',
            {
              topic,
              subscribers,
              messages: options.latencyMessages,
              timeLimitMs: options.caseTimeLimitMs,
              warmUpTimeoutMs: options.warmUpTimeoutMs,
              deliverTimeoutMs: 5_000,
            },
            timeout,
          ),
        )
        if (system === 'gossipsub') await relaysLeave(live, [topic])
        say(`latency, ${subscribers} subscribers, ${system}: ${brief(results[system])}`)
      }
      latency.push({ subscribers, results: results as Required<typeof results> })
    }

    const throughput: MessagingReport['throughput'] = []
    for (const count of options.topics) {
      const results: Partial<MessagingReport['throughput'][number]['results']> = {}
      for (const system of orderOf(caseIndex++)) {
        const topics = Array.from({ length: count }, (_, i) => `tp-${tag}-${count}-${system}-${i}`)
        if (system === 'gossipsub') await relaysJoin(live, topics)
        results[system] = await outcome(() =>
          live.clients[system].request<ThroughputCaseResult>(
            'throughput',
            {
              topics,
              messages: options.throughputMessages,
              concurrency: options.concurrency,
              timeLimitMs: options.caseTimeLimitMs,
              warmUpTimeoutMs: options.warmUpTimeoutMs,
            },
            timeout,
          ),
        )
        if (system === 'gossipsub') await relaysLeave(live, topics)
        say(`throughput, ${count} topics, ${system}: ${brief(results[system])}`)
      }
      throughput.push({ topics: count, results: results as Required<typeof results> })
    }

    const kill: MessagingReport['kill'] = {}
    if (options.kill.messages > 0) {
      for (const system of orderOf(caseIndex++)) {
        kill[system] = await outcome(() => killCase(live, options, system, `kill-${tag}`))
        say(`member kill, ${system}: ${brief(kill[system])}`)
      }
    }
    return {
      meta: {
        startedAt: new Date(started).toISOString(),
        durationS: round((Date.now() - started) / 1000, 1),
        command: init.command,
        commit: currentCommit(),
        redisVersion: redis.version,
        nodes: options.nodes,
        cpus: os.cpus().length,
        loadAverage: [loadAtStart, round(os.loadavg()[0] ?? 0, 2)],
        options: { ...options },
      },
      latency,
      throughput,
      kill,
      targets: messagingTargets(latency, kill),
    }
  } finally {
    await group.stopAll()
    await systems?.ring.stop()
    await redis.stop()
  }
}

function brief(result: CaseOutcome<object> | undefined): string {
  return result === undefined ? 'not run' : JSON.stringify(result).slice(0, 300)
}

/** ringdht: a topic homed on neither daemon the clients dialled (killing those is another case). */
async function topicAwayFromClients(systems: MessagingSystems, prefix: string): Promise<string> {
  const dialled = systems.ring.members.slice(0, 2).map((m) => m.peerId)
  // one ring walk for all the candidates: a member's range may be a small arc of the ring
  const topics = Array.from({ length: 4096 }, (_, i) => `${prefix}-${i}`)
  const homes = await systems.clients.ringdht.request<string[]>('homes', { topics })
  const index = homes.findIndex((home) => !dialled.includes(home))
  if (index >= 0) return topics[index] as string
  throw new Error('every candidate topic is homed on a dialled daemon')
}

/**
 * Starts a paced publish stream on the system, SIGKILLs its member or broker once half the
 * messages are acknowledged, and counts the acknowledged messages the subscribers never got.
 */
async function killCase(
  systems: MessagingSystems,
  options: MessagingOptions,
  system: MessagingSystem,
  prefix: string,
): Promise<KillOutcome> {
  const client = systems.clients[system]
  const topic =
    system === 'ringdht' ? await topicAwayFromClients(systems, prefix) : `${prefix}-${system}`
  if (system === 'gossipsub') await relaysJoin(systems, [topic])
  const args: KillCaseArgs = {
    topic,
    subscribers: options.kill.subscribers,
    messages: options.kill.messages,
    paceMs: options.kill.paceMs,
    publishDeadlineMs: options.caseTimeLimitMs * 2,
    retryForMs: 30_000,
    warmUpTimeoutMs: options.warmUpTimeoutMs,
  }
  await client.request('kill-start', args, { timeoutMs: options.warmUpTimeoutMs + 30_000 })
  await waitFor(
    async () => {
      const { acknowledged } = await client.request<{ acknowledged: number }>('kill-progress')
      return acknowledged >= options.kill.messages / 2
    },
    { timeoutMs: options.caseTimeLimitMs, intervalMs: 5, description: 'half the messages acked' },
  )
  let victim: string
  if (system === 'ringdht') {
    const [home] = await client.request<string[]>('homes', { topics: [topic] })
    const killed = await systems.ring.kill(home ?? '')
    victim = `${killed.name}, the topic's home`
  } else if (system === 'redis') {
    await systems.redis.restart()
    victim = 'redis-server (restarted at once)'
  } else {
    const relay = systems.relays[0]
    if (relay === undefined) throw new Error('no gossipsub relay')
    await relay.child.kill()
    victim = 'gossipsub-0, a relay every publisher and subscriber node was connected to'
  }
  const result = await client.request<KillCaseResult>(
    'kill-finish',
    { waitMs: options.kill.waitMs },
    {
      timeoutMs:
        options.caseTimeLimitMs * 2 + options.kill.waitMs + options.warmUpTimeoutMs + 60_000,
    },
  )
  return { ...result, victim }
}
