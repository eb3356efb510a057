/**
 * `pnpm bench -- fanout`: the load on a topic's home with 1 and with many subscribers, with
 * the fan-out tree (relays beyond the threshold, the daemons' default 16) and without it
 * (threshold 0: every subscriber pulls from the home). One ring of daemons per threshold
 * (it is a daemon setting); subscriptions are spread over client connections dialling
 * every daemon but the publisher's, and each case's topic is homed at the publisher's
 * daemon (so the home is nobody's relay). Per case: the latency case of the messaging bench
 * (one message at a time, publish to delivery at every subscriber), and around it the
 * home daemon's requests served (its status counters) and CPU time (/proc).
 */
import os from 'node:os'
import { createClient } from '@ringdht/peer'
import { currentCommit } from '../bench.js'
import { ProcessGroup, scriptPath } from '../harness/process-group.js'
import { waitFor } from '../harness/wait.js'
import { sampleProcess } from '../process-cost.js'
import { DaemonRing } from '../queues/cli-daemons.js'
import { round } from '../stats.js'
import type { LatencyCaseResult } from './pubsub-workload.js'

export interface FanoutOptions {
  nodes: number
  subscribers: number[]
  /** Fan-out thresholds compared (0: off, the home serves every subscriber). */
  thresholds: number[]
  messages: number
  subscriberClients: number
  caseTimeLimitMs: number
  warmUpTimeoutMs: number
}

export function defaultFanoutOptions(quick = false): FanoutOptions {
  return quick
    ? {
        nodes: 3,
        subscribers: [1, 40],
        thresholds: [16, 0],
        messages: 30,
        subscriberClients: 4,
        caseTimeLimitMs: 20_000,
        warmUpTimeoutMs: 20_000,
      }
    : {
        nodes: 5,
        subscribers: [1, 200],
        thresholds: [16, 0],
        messages: 200,
        subscriberClients: 20,
        caseTimeLimitMs: 60_000,
        warmUpTimeoutMs: 30_000,
      }
}

export interface FanoutRow {
  threshold: number
  subscribers: number
  latency: LatencyCaseResult
  seconds: number
  /** At the home daemon, per second of the case: RPC requests, topic reads it served. */
  homeRequestsPerSec: number
  homeTopicReadsPerSec: number
  /** Reads the home answered "read through a relay". */
  homeRedirects: number
  /** Topic reads the home served per message delivered to every subscriber. */
  homeReadsPerMessage: number
  homeCpuPercent: number
}

export interface FanoutReport {
  command: string
  commit: string | undefined
  startedAt: string
  loadAverage: [number, number]
  options: FanoutOptions
  rows: FanoutRow[]
}

const COUNTERS = ['rpcRequestsServed', 'topicReadsServed', 'topicReadsRedirected'] as const

export async function runFanout(
  options: FanoutOptions,
  command: string,
  say: (line: string) => void,
): Promise<FanoutReport> {
  const started = Date.now()
  const loadAtStart = round(os.loadavg()[0] ?? 0, 2)
  const tag = started.toString(36)
  const rows: FanoutRow[] = []
  for (const threshold of options.thresholds) {
    // a daemon setting: the ring below is started with it (the daemons inherit the env)
    process.env.RINGDHT_TOPIC_FANOUT_THRESHOLD = String(threshold)
    const group = new ProcessGroup()
    const ring = await DaemonRing.start(options.nodes)
    try {
      const [publisherDaemon, ...others] = ring.members
      if (publisherDaemon === undefined || others.length === 0) throw new Error('need 2+ daemons')
      const child = await group.spawn({
        name: 'ringdht-topic-client',
        script: scriptPath(import.meta.url, './ringdht-topic-client.js'),
        args: [
          JSON.stringify({
            publisherPeer: publisherDaemon.address,
            subscriberPeer: others[0]?.address,
            subscriberPeers: others.map((d) => d.address),
            subscriberClients: options.subscriberClients,
          }),
        ],
        readyTimeoutMs: 60_000,
      })
      await waitFor(
        async () => {
          const seen = await child.request<number>('ring-size').catch(() => 0)
          return { done: seen === options.nodes, detail: `ring walk sees ${seen}` }
        },
        { timeoutMs: 60_000, intervalMs: 250, description: 'a full ring walk' },
      )
      say(`threshold ${threshold}: ${options.nodes} daemons ready`)
      for (const subscribers of options.subscribers) {
        // a topic homed at the publisher's daemon, which no subscriber dialled: what the
        // home serves is then its subscribers' (or its relays') reads, no relay work of its own
        const candidates = Array.from(
          { length: 64 },
          (_, k) => `fan-${tag}-t${threshold}-s${subscribers}-${k}`,
        )
        const homes = await child.request<string[]>('homes', { topics: candidates })
        const topic = candidates[homes.indexOf(publisherDaemon.peerId)]
        if (topic === undefined) throw new Error('no topic of 64 is homed at the publisher daemon')
        const home = publisherDaemon
        const observer = await createClient({ peer: home.address, routing: 'via-peer' })
        try {
          const counters = async () => {
            const status = await observer.status({ signal: AbortSignal.timeout(10_000) })
            return COUNTERS.map((name) => status.counters[name] ?? 0)
          }
          const before = await counters()
          const cpuBefore = sampleProcess(home.pid)
          const t0 = performance.now()
          const latency = await child.request<LatencyCaseResult>(
            'latency',
            {
              topic,
              subscribers,
              messages: options.messages,
              timeLimitMs: options.caseTimeLimitMs,
              warmUpTimeoutMs: options.warmUpTimeoutMs,
              deliverTimeoutMs: 5_000,
            },
            { timeoutMs: options.caseTimeLimitMs + options.warmUpTimeoutMs + 60_000 },
          )
          const seconds = (performance.now() - t0) / 1000
          const cpuAfter = sampleProcess(home.pid)
          const after = await counters()
          const delta = COUNTERS.map((_, i) => (after[i] ?? 0) - (before[i] ?? 0))
          const [requests = 0, reads = 0, redirects = 0] = delta
          const cpu = (cpuAfter?.cpuSeconds ?? 0) - (cpuBefore?.cpuSeconds ?? 0)
          const row: FanoutRow = {
            threshold,
            subscribers,
            latency,
            seconds: round(seconds, 1),
            homeRequestsPerSec: round(requests / seconds, 1),
            homeTopicReadsPerSec: round(reads / seconds, 1),
            homeRedirects: redirects,
            homeReadsPerMessage: round(reads / Math.max(1, latency.acknowledged), 2),
            homeCpuPercent: round((cpu / seconds) * 100, 1),
          }
          rows.push(row)
          say(JSON.stringify(row))
        } finally {
          await observer.close()
        }
      }
    } finally {
      await group.stopAll()
      await ring.stop()
    }
  }
  return {
    command,
    commit: currentCommit(),
    startedAt: new Date(started).toISOString(),
    loadAverage: [loadAtStart, round(os.loadavg()[0] ?? 0, 2)],
    options,
    rows,
  }
}

export function renderFanoutReport(report: FanoutReport): string {
  const lines = [
    `Command: \`${report.command}\` (commit ${report.commit ?? 'unknown'}, ${report.startedAt}, load average ${report.loadAverage.join(' → ')} on ${os.cpus().length} cores)`,
    '',
    '| fan-out threshold | subscribers | p50 ms | p99 ms | home requests/s | home topic reads/s | home reads per message | home redirects | home CPU % | late | duplicates |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ]
  for (const r of report.rows) {
    lines.push(
      `| ${r.threshold === 0 ? '0 (off: home alone)' : r.threshold} | ${r.subscribers} | ${r.latency.p50Ms} | ${r.latency.p99Ms} | ${r.homeRequestsPerSec} | ${r.homeTopicReadsPerSec} | ${r.homeReadsPerMessage} | ${r.homeRedirects} | ${r.homeCpuPercent} | ${r.latency.late} | ${r.latency.duplicates} |`,
    )
  }
  return lines.join('\n')
}
