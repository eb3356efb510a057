/** The figures of a queue run against BullMQ, their ratios and the targets, as Markdown. */
import { median } from '../coordination/coordination-report.js'
import { round } from '../stats.js'
import type { KillCaseResult } from './kill-case.js'
import type { QueueCaseResult } from './queue-workload.js'

export type QueueSystem = 'bullmq' | 'ringdht'
export const QUEUE_SYSTEMS: readonly QueueSystem[] = ['bullmq', 'ringdht']

/** One system's block of a case, with the CPU read around it by PID. */
export interface MeasuredQueueBlock {
  result: QueueCaseResult
  serverCpuS: number
  clientCpuS: number
  /** Write system calls of the servers, and of the client process, during the block (Linux). */
  serverWrites?: number
  clientWrites?: number
  /** Share of the machine's cores other people's processes used during the block. */
  othersCpuShare: number
}

export interface QueueCaseFigures {
  tasksPerSec: number
  p50Ms: number
  p99Ms: number
  acked: number
  notAcked: number
  enqueueFailures: number
  duplicates: number
  /** CPU-seconds per 1,000 tasks of the system's servers (daemons; redis-server). */
  serverCpuSPer1k: number
  /** CPU-seconds per 1,000 tasks of its client process (producer and 4 workers). */
  clientCpuSPer1k: number
  /** Write system calls per task of the servers, and of the client process (0: unknown). */
  serverWritesPerTask: number
  clientWritesPerTask: number
  /** Median over the blocks of the share of the cores others used. */
  othersCpuShare: number
  errorSamples: string[]
}

export interface Spread {
  median: number
  min: number
  max: number
}

export interface PairedQueueCase {
  name: string
  rounds: number
  bullmq: QueueCaseFigures
  ringdht: QueueCaseFigures
  /** ringdht ÷ BullMQ per round: median and min–max over the rounds. */
  ratio: { tasksPerSec: Spread; p50: Spread; p99: Spread }
}

export interface PolicyRow {
  system: QueueSystem
  policy: string
  /** ringdht only: the slow worker's declared capacity (the others declare their slots). */
  slowCapacity?: number
  runs: number
  /** First enqueue to last ack, over the runs. */
  makespanMs: Spread
  /** Median over the runs of each run's start-latency percentile. */
  p50Ms: number
  p99Ms: number
  /** Mean tasks finished per worker and run, the slow one first. */
  perWorker: Record<string, number>
  /** Acked of enqueued, all runs together. */
  acked: number
  tasks: number
}

/** The rows of one policy's runs (ringdht's policy, or BullMQ's workers fetching). */
export function policyRow(
  run: { system: QueueSystem; policy: string; slowCapacity: number },
  results: readonly QueueCaseResult[],
  tasksPerRun: number,
): PolicyRow {
  const perWorker: Record<string, number> = {}
  for (const result of results) {
    for (const [name, count] of Object.entries(result.perWorker)) {
      perWorker[name] = (perWorker[name] ?? 0) + count / results.length
    }
  }
  for (const name of Object.keys(perWorker)) perWorker[name] = round(perWorker[name] ?? 0, 1)
  const ms = (values: number[]) => round(median(values), 1)
  return {
    system: run.system,
    policy: run.system === 'bullmq' ? 'none: workers fetch' : run.policy,
    ...(run.system === 'ringdht' ? { slowCapacity: run.slowCapacity } : {}),
    runs: results.length,
    makespanMs: spread(results.map((r) => round(r.elapsedMs, 0))),
    p50Ms: ms(results.map((r) => r.startLatencyMs.p50)),
    p99Ms: ms(results.map((r) => r.startLatencyMs.p99)),
    perWorker,
    acked: results.reduce((sum, r) => sum + r.acked, 0),
    tasks: tasksPerRun * results.length,
  }
}

export interface QueuesTarget {
  name: string
  target: string
  value: number | null
  met: boolean
}

export interface QueuesReport {
  meta: {
    startedAt: string
    durationS: number
    command: string
    commit: string
    redisVersion: string
    bullmqVersion: string
    ringNodes: number
    workers: string
    cpus: number
    loadAverage: [number, number]
    /** RSS after the throughput cases, MiB: each daemon, redis-server, each client process. */
    rssMiB: { ringdht: number[]; redis: number; ringdhtClient: number; bullmqClient: number }
    options: Record<string, unknown>
  }
  cases: PairedQueueCase[]
  policies: PolicyRow[]
  kill: Partial<Record<QueueSystem, KillCaseResult & { broker: string }>>
  targets: QueuesTarget[]
}

function spread(values: readonly number[]): Spread {
  if (values.length === 0) return { median: 0, min: 0, max: 0 }
  return {
    median: round(median(values), 2),
    min: round(Math.min(...values), 2),
    max: round(Math.max(...values), 2),
  }
}

const per1k = (cpuS: number, tasks: number) => (tasks > 0 ? round((cpuS * 1000) / tasks, 3) : 0)

/** One system's figures over its blocks: throughput from the totals, latencies the blocks' median. */
export function queueCaseFigures(blocks: readonly MeasuredQueueBlock[]): QueueCaseFigures {
  const sum = (pick: (b: MeasuredQueueBlock) => number) => blocks.reduce((t, b) => t + pick(b), 0)
  const acked = sum((b) => b.result.acked)
  const elapsedMs = sum((b) => b.result.elapsedMs)
  return {
    tasksPerSec: elapsedMs > 0 ? round((acked * 1000) / elapsedMs, 1) : 0,
    p50Ms: round(median(blocks.map((b) => b.result.startLatencyMs.p50)), 2),
    p99Ms: round(median(blocks.map((b) => b.result.startLatencyMs.p99)), 2),
    acked,
    notAcked: sum((b) => Math.max(0, b.result.enqueued - b.result.acked)),
    enqueueFailures: sum((b) => b.result.enqueueFailures),
    duplicates: sum((b) => b.result.duplicates),
    serverCpuSPer1k: per1k(
      sum((b) => b.serverCpuS),
      acked,
    ),
    clientCpuSPer1k: per1k(
      sum((b) => b.clientCpuS),
      acked,
    ),
    serverWritesPerTask: acked > 0 ? round(sum((b) => b.serverWrites ?? 0) / acked, 2) : 0,
    clientWritesPerTask: acked > 0 ? round(sum((b) => b.clientWrites ?? 0) / acked, 2) : 0,
    othersCpuShare: round(median(blocks.map((b) => b.othersCpuShare)), 2),
    errorSamples: [...new Set(blocks.flatMap((b) => b.result.errorSamples))].slice(0, 5),
  }
}

export function pairQueueCase(
  name: string,
  rounds: ReadonlyArray<Record<QueueSystem, MeasuredQueueBlock>>,
): PairedQueueCase {
  const ratios = (pick: (r: QueueCaseResult) => number) =>
    spread(
      rounds.flatMap((r) => {
        const anchor = pick(r.bullmq.result)
        return anchor > 0 ? [pick(r.ringdht.result) / anchor] : []
      }),
    )
  return {
    name,
    rounds: rounds.length,
    bullmq: queueCaseFigures(rounds.map((r) => r.bullmq)),
    ringdht: queueCaseFigures(rounds.map((r) => r.ringdht)),
    ratio: {
      tasksPerSec: ratios((r) => r.tasksPerSec),
      p50: ratios((r) => r.startLatencyMs.p50),
      p99: ratios((r) => r.startLatencyMs.p99),
    },
  }
}

/** The targets: half of BullMQ's tasks/s, and no acknowledged task lost by ringdht. */
export function queuesTargets(
  cases: readonly PairedQueueCase[],
  kill: QueuesReport['kill'],
): QueuesTarget[] {
  const throughput = cases.find((c) => c.name.startsWith('throughput'))
  const lost = kill.ringdht?.lost
  return [
    {
      name: 'tasks/s end to end, ringdht ÷ BullMQ (median of rounds)',
      target: '≥ 0.5',
      value: throughput?.ratio.tasksPerSec.median ?? null,
      met: (throughput?.ratio.tasksPerSec.median ?? 0) >= 0.5,
    },
    {
      name: 'acknowledged tasks lost by ringdht when the home is SIGKILLed',
      target: '= 0',
      value: lost ?? null,
      met: lost === 0,
    },
  ]
}

const countsText = (counts: Record<string, number> | string) =>
  typeof counts === 'string'
    ? counts
    : Object.entries(counts)
        .map(([name, value]) => `${name} ${value}`)
        .join(', ')

const range = (s: Spread) => `**${s.median}** (${s.min}–${s.max})`

export function renderQueuesReport(report: QueuesReport): string {
  const m = report.meta
  const rss = m.rssMiB
  const lines = [
    `Command: \`${m.command}\` — commit ${m.commit}, ${m.startedAt}, ${m.durationS} s. ${m.cpus} CPUs, load average ${m.loadAverage[0]} at the start, ${m.loadAverage[1]} at the end; others’ CPU: the median share of the cores other people's processes used during a case's blocks (the larger of the two systems').`,
    `ringdht: ${m.ringNodes} \`ringdht start --memory\` daemons on 127.0.0.1 (node_modules/node/bin/node, write quorum on 2 of 3 replicas). BullMQ ${m.bullmqVersion} on one redis-server ${m.redisVersion} on 127.0.0.1, default persistence (no AOF; Redis's own RDB save points), started and stopped by the bench. Workers: ${m.workers}. RSS after the throughput cases: ringdht daemons ${rss.ringdht.join(' / ')} MiB, redis-server ${rss.redis} MiB; client processes ringdht ${rss.ringdhtClient}, BullMQ ${rss.bullmqClient} MiB.`,
    '',
    '| case | BullMQ tasks/s | BullMQ start p50 / p99 ms | ringdht tasks/s | ringdht start p50 / p99 ms | tasks/s ringdht ÷ BullMQ (min–max) | p50 ratio | p99 ratio | server CPU-s / 1k tasks BullMQ / ringdht | client CPU-s / 1k tasks BullMQ / ringdht | not acked, failed enqueues, duplicates BullMQ / ringdht | others’ CPU | server / client write calls per task BullMQ; ringdht |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ]
  const faults = (f: QueueCaseFigures) => `${f.notAcked}, ${f.enqueueFailures}, ${f.duplicates}`
  for (const c of report.cases) {
    const b = c.bullmq
    const r = c.ringdht
    lines.push(
      `| ${c.name} (${c.rounds} rounds) | ${b.tasksPerSec} | ${b.p50Ms} / ${b.p99Ms} | ${r.tasksPerSec} | ${r.p50Ms} / ${r.p99Ms} | ${range(c.ratio.tasksPerSec)} | ${range(c.ratio.p50)} | ${range(c.ratio.p99)} | ${b.serverCpuSPer1k} / ${r.serverCpuSPer1k} | ${b.clientCpuSPer1k} / ${r.clientCpuSPer1k} | ${faults(b)} / ${faults(r)} | ${Math.round(Math.max(b.othersCpuShare, r.othersCpuShare) * 100)}% | ${b.serverWritesPerTask} / ${b.clientWritesPerTask}; ${r.serverWritesPerTask} / ${r.clientWritesPerTask} |`,
    )
  }
  const pol = m.options.policy as { tasks: number; fastMs: number; paceMs: number; rounds: number }
  if (report.policies.length > 0) {
    lines.push(
      '',
      `Policies, on the daemons: 4 workers × ${String(m.options.workerConcurrency)} slots, one 4× slower than the others (${pol.fastMs * 4} ms per task against ${pol.fastMs} ms), ${pol.tasks} tasks enqueued one every ${pol.paceMs} ms; each row ${pol.rounds} run(s), the order rotating. Makespan: first enqueue to last ack, median (min–max); start latency: median of the runs'; tasks per worker: mean per run.`,
      '',
      '| system | policy | slow worker’s declared capacity | makespan ms | start p50 / p99 ms | tasks per worker (slow; fast ×3) | acked |',
      '|---|---|--:|--:|--:|--:|--:|',
    )
    for (const p of report.policies) {
      const [slow, ...fast] = Object.values(p.perWorker)
      lines.push(
        `| ${p.system} | ${p.policy} | ${p.slowCapacity ?? '–'} | ${range(p.makespanMs)} | ${p.p50Ms} / ${p.p99Ms} | ${slow}; ${fast.join(' / ')} | ${p.acked}/${p.tasks} |`,
      )
    }
  }
  const killRows = QUEUE_SYSTEMS.flatMap((s) => {
    const k = report.kill[s]
    if (k === undefined) return []
    return [
      `| ${s} | ${k.broker} | ${k.tasks} | ${k.acknowledged} | ${k.givenUp} | ${k.retriedAttempts} | **${k.lost}** | ${k.duplicates} | ${Math.round(k.maxEnqueueMs)} | ${Math.round(k.drainMs)} | ${countsText(k.brokerCounts)} |`,
    ]
  })
  const kill = m.options.kill as {
    tasks: number
    paceMs: number
    handlerMs: number
    leaseMs: number
    waitMs: number
  }
  if (killRows.length > 0) {
    lines.push(
      '',
      `Broker SIGKILLed once half of ${kill.tasks} tasks were acknowledged; tasks enqueued one every ${kill.paceMs} ms and handlers of ${kill.handlerMs} ms, so the broker holds a backlog when it dies. Redis is started again at once on its folder; the ringdht home is not restarted (the next member takes the queue over; its lease here ${kill.leaseMs} ms). A failed enqueue is retried with the same id (jobId; dedupeId) for up to 30 s. Lost: acknowledged enqueues whose handler never finished within ${kill.waitMs / 1000} s after the last enqueue.`,
      '',
      '| system | killed | tasks | acknowledged | given up (never acked) | enqueue retries | lost | duplicates | longest enqueue ms | drain after last enqueue ms | broker’s counts at the end |',
      '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|---|',
      ...killRows,
    )
  }
  lines.push('', '| target | value | met |', '|---|--:|---|')
  for (const t of report.targets) {
    lines.push(`| ${t.name} ${t.target} | ${t.value ?? '–'} | ${t.met ? 'yes' : 'no'} |`)
  }
  const errors = [
    ...report.cases.flatMap((c) =>
      QUEUE_SYSTEMS.flatMap((s) => c[s].errorSamples.map((e) => `- ${c.name}, ${s}: ${e}`)),
    ),
    ...QUEUE_SYSTEMS.flatMap((s) =>
      (report.kill[s]?.errorSamples ?? []).map((e) => `- broker kill, ${s}: ${e}`),
    ),
  ]
  if (errors.length > 0) lines.push('', 'Errors seen:', ...errors.slice(0, 12))
  return lines.join('\n')
}
