/** The messaging comparison's report: figures per system, ratios, targets, Markdown. */
import { readFileSync } from 'node:fs'
import { round } from '../stats.js'
import type { KillCaseResult } from './kill-stream.js'
import type { MessagingSystem } from './messaging-systems.js'
import type { LatencyCaseResult, ThroughputCaseResult } from './pubsub-workload.js'

/** A case's result on one system, or why it failed. */
export type CaseOutcome<T> = T | { error: string }
export type KillOutcome = KillCaseResult & { victim: string }

export interface MessagingReport {
  meta: {
    startedAt: string
    durationS: number
    command: string
    commit: string
    redisVersion: string
    nodes: number
    cpus: number
    loadAverage: [number, number]
    options: object
  }
  latency: Array<{
    subscribers: number
    results: Record<MessagingSystem, CaseOutcome<LatencyCaseResult>>
  }>
  throughput: Array<{
    topics: number
    results: Record<MessagingSystem, CaseOutcome<ThroughputCaseResult>>
  }>
  kill: Partial<Record<MessagingSystem, CaseOutcome<KillOutcome>>>
  targets: Array<{ target: string; met: boolean; detail: string }>
}

export const NAMES: Record<MessagingSystem, string> = {
  ringdht: 'ringdht',
  redis: 'Redis',
  gossipsub: 'gossipsub',
}

function ok<T extends object>(outcome: CaseOutcome<T> | undefined): T | undefined {
  return outcome === undefined || 'error' in outcome ? undefined : (outcome as T)
}

/** a ÷ b, 2 decimals; undefined when either is missing or b is 0. */
export function ratio(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined || b === 0 ? undefined : round(a / b, 2)
}

export function messagingTargets(
  latency: MessagingReport['latency'],
  kill: MessagingReport['kill'],
): MessagingReport['targets'] {
  const targets: MessagingReport['targets'] = []
  for (const { subscribers, results } of latency) {
    const ringdht = ok(results.ringdht)
    const redis = ok(results.redis)
    const r = ratio(ringdht?.p50Ms, redis?.p50Ms)
    targets.push({
      target: `p50 publish-to-deliver within 2 × Redis pub/sub's, ${subscribers} subscriber${subscribers === 1 ? '' : 's'}`,
      met: r !== undefined && r <= 2,
      detail:
        r === undefined
          ? 'not measured (a case failed)'
          : `ringdht ${ringdht?.p50Ms} ms, Redis ${redis?.p50Ms} ms: ${r} ×`,
    })
  }
  const killed = kill.ringdht === undefined ? undefined : ok(kill.ringdht)
  const otherResults = (['redis', 'gossipsub'] as const).map((s) => ({
    name: NAMES[s],
    result: kill[s] === undefined ? undefined : ok(kill[s]),
  }))
  const others = otherResults.map(
    ({ name, result }) =>
      `${name} ${result === undefined ? 'not measured' : `${result.lost} of ${result.acknowledged}`}`,
  )
  if (otherResults.every(({ result }) => result?.lost === 0)) {
    others.push('the others lost none in this run either')
  }
  targets.push({
    target: 'zero acknowledged messages lost when a member is killed (where the others lose some)',
    met: killed !== undefined && killed.lost === 0,
    detail:
      killed === undefined
        ? 'not measured (the case failed or was skipped)'
        : `ringdht lost ${killed.lost} of ${killed.acknowledged} acknowledged; ${others.join(', ')}`,
  })
  return targets
}

export function gossipsubVersion(): string {
  try {
    const url = new URL('../../../node_modules/@libp2p/gossipsub/package.json', import.meta.url)
    return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version
  } catch {
    return 'unknown'
  }
}

const SYSTEMS = ['ringdht', 'redis', 'gossipsub'] as const
const cell = (value: unknown) => (value === undefined ? '–' : String(value))
const failed = (outcome: CaseOutcome<object> | undefined) =>
  outcome !== undefined && 'error' in outcome ? `failed: ${outcome.error.slice(0, 120)}` : '–'

export function renderMessagingReport(report: MessagingReport): string {
  const { meta } = report
  const lines: string[] = [
    `Command: \`${meta.command}\` — commit ${meta.commit}, ${meta.startedAt}, ${meta.durationS} s. ${meta.cpus} CPUs, load average ${meta.loadAverage[0]} at the start, ${meta.loadAverage[1]} at the end. ${meta.nodes} ringdht daemons (\`ringdht start --memory\`), redis-server ${meta.redisVersion} (ioredis), ${meta.nodes} @libp2p/gossipsub ${gossipsubVersion()} relay nodes; one client process per system holds the publisher and the subscribers (one clock).`,
    '',
    '**Publish-to-deliver latency**, one message at a time (published, then awaited at every subscriber); each delivery is a sample:',
    '',
    '| subscribers | ringdht p50 / p99 ms | Redis p50 / p99 ms | gossipsub p50 / p99 ms | p50 ringdht ÷ Redis | p50 ringdht ÷ gossipsub | samples ringdht / Redis / gossipsub | late or unacked |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ]
  for (const { subscribers, results } of report.latency) {
    const [r, d, g] = SYSTEMS.map((s) => ok(results[s]))
    const pair = (x: LatencyCaseResult | undefined, s: MessagingSystem) =>
      x === undefined ? failed(results[s]) : `${x.p50Ms} / ${x.p99Ms}`
    const trouble = SYSTEMS.map((s) => {
      const x = ok(results[s])
      return x === undefined
        ? `${NAMES[s]} failed`
        : `${NAMES[s]} ${x.late} / ${x.published - x.acknowledged}`
    }).join(', ')
    lines.push(
      `| ${subscribers} | ${pair(r, 'ringdht')} | ${pair(d, 'redis')} | ${pair(g, 'gossipsub')} | **${cell(ratio(r?.p50Ms, d?.p50Ms))}** | ${cell(ratio(r?.p50Ms, g?.p50Ms))} | ${cell(r?.samples)} / ${cell(d?.samples)} / ${cell(g?.samples)} | ${trouble} |`,
    )
  }
  lines.push(
    '',
    '**Messages/s**, one subscriber on every topic, publishes round-robin over the topics, 32 messages in flight (a slot frees when its message is delivered); delivered ÷ time from the first publish to the last delivery:',
    '',
    '| topics | ringdht msg/s | Redis msg/s | gossipsub msg/s | ringdht ÷ Redis | ringdht ÷ gossipsub | delivered / acked / published ringdht · Redis · gossipsub | deliver p50 ms ringdht / Redis / gossipsub |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
  )
  for (const { topics, results } of report.throughput) {
    const [r, d, g] = SYSTEMS.map((s) => ok(results[s]))
    const rate = (x: ThroughputCaseResult | undefined, s: MessagingSystem) =>
      x === undefined ? failed(results[s]) : String(x.messagesPerSec)
    const counts = [r, d, g]
      .map((x) => (x === undefined ? '–' : `${x.delivered} / ${x.acknowledged} / ${x.published}`))
      .join(' · ')
    lines.push(
      `| ${topics} | ${rate(r, 'ringdht')} | ${rate(d, 'redis')} | ${rate(g, 'gossipsub')} | **${cell(ratio(r?.messagesPerSec, d?.messagesPerSec))}** | ${cell(ratio(r?.messagesPerSec, g?.messagesPerSec))} | ${counts} | ${cell(r?.p50Ms)} / ${cell(d?.p50Ms)} / ${cell(g?.p50Ms)} |`,
    )
  }
  lines.push(
    '',
    '**A member killed mid-stream** (SIGKILL once half the messages are acknowledged; one publish at a time, paced, a failed publish tried again for up to 30 s): acknowledged messages some subscriber never received, after the bounded wait:',
    '',
    '| system | killed | published | acknowledged | given up | failed attempts (tried again) | **acked lost** | deliveries missed | unacked but delivered | duplicates | longest publish ms | errors |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  )
  for (const system of SYSTEMS) {
    const outcome = report.kill[system]
    const k = ok(outcome)
    if (k === undefined) {
      lines.push(`| ${NAMES[system]} | ${failed(outcome)} | | | | | | | | | | |`)
      continue
    }
    lines.push(
      `| ${NAMES[system]} | ${k.victim} | ${k.published} | ${k.acknowledged} | ${k.givenUp} | ${k.failedAttempts} | **${k.lost}** | ${k.lostDeliveries} | ${k.unacknowledgedDelivered} | ${k.duplicates} | ${k.maxPublishMs} | ${k.errorSamples.join('; ').replaceAll('|', '/') || '–'} |`,
    )
  }
  lines.push('', '**Targets**:', '')
  for (const t of report.targets) {
    lines.push(`- ${t.met ? 'met' : '**missed**'}: ${t.target} — ${t.detail}`)
  }
  return lines.join('\n')
}
