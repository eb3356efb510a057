/** The figures of a coordination run against etcd, its ratios and targets, as Markdown. */
import { round } from '../stats.js'
import type { CoordinationRunResult } from './coordination-commands.js'

export type CoordinationSystem = 'etcd' | 'ringdht'

/** One system's figures in one case. */
export interface CaseFigures {
  opsPerSec: number
  p50Ms: number
  p99Ms: number
  completed: number
  failures: number
  notRun: number
  /** CAS: share of the operations whose compare held. */
  casSuccessShare?: number
  /** CPU of the system's servers (members or daemons) per operation, ms. */
  serverCpuMsPerOp: number
  /** CPU of the system's client process per operation, ms. */
  clientCpuMsPerOp: number
  /** Share of the 2 cores others (not this bench) used while the case ran. */
  othersCpuShare: number
  errorSamples: string[]
}

export interface CoordinationCase {
  /** e.g. `cas 1 key c=32`, `lock contended c=32`. */
  name: string
  kind: 'cas' | 'lock'
  concurrency: number
  keys?: number
  contended?: boolean
  /** Rounds of [etcd block, ringdht block] (order alternating); the ratios are their median. */
  rounds: number
  etcd: CaseFigures
  ringdht: CaseFigures
  /**
   * ringdht / etcd, the median of the rounds' ratios: above 1 is ringdht faster for
   * throughput, slower for latency.
   */
  ratio: { opsPerSec: number; p50: number; p99: number }
}

export interface FailoverFigures {
  /** etcd: from SIGKILL of the raft leader to a put through a survivor / a new leader named. */
  etcd: { writeMs: number[]; leaderMs: number[] }
  /** ringdht: from SIGKILL of the leading campaigner to observe naming another leader. */
  ringdht: { leaderMs: number[]; ttlMs: number }
  ratio: number
}

export interface CoordinationTarget {
  name: string
  target: string
  value: number | null
  met: boolean
}

export interface CoordinationReport {
  meta: {
    startedAt: string
    durationS: number
    command: string
    commit: string
    etcdVersion: string
    ringNodes: number
    /** CPU the idle servers used after start-up, in cores (background work). */
    idleCores: Record<CoordinationSystem, number>
    cpus: number
    loadAverage: [number, number]
    options: Record<string, unknown>
  }
  cases: CoordinationCase[]
  failover?: FailoverFigures
  targets: CoordinationTarget[]
}

/** One system's block of a case: its workload result and the CPU read around it. */
export interface MeasuredBlock {
  result: CoordinationRunResult
  /** CPU seconds of the system's servers during the block. */
  serverCpuS: number
  /** CPU seconds of the system's client process during the block. */
  clientCpuS: number
  othersCpuShare: number
}

/**
 * One system's figures over its blocks: throughput from the totals, p50 and p99 the median
 * of the blocks' (the latencies themselves stay in the client process).
 */
export function caseFigures(blocks: readonly MeasuredBlock[]): CaseFigures {
  const sum = (pick: (block: MeasuredBlock) => number) =>
    blocks.reduce((total, block) => total + pick(block), 0)
  const completed = sum((b) => b.result.completed)
  const elapsedMs = sum((b) => b.result.elapsedMs)
  const figures: CaseFigures = {
    opsPerSec: elapsedMs > 0 ? round((completed * 1000) / elapsedMs, 1) : 0,
    p50Ms: round(median(blocks.map((b) => b.result.latencyMs.p50))),
    p99Ms: round(median(blocks.map((b) => b.result.latencyMs.p99))),
    completed,
    failures: sum((b) => b.result.failures),
    notRun: sum((b) => b.result.notRun),
    serverCpuMsPerOp: perOp(
      sum((b) => b.serverCpuS),
      completed,
    ),
    clientCpuMsPerOp: perOp(
      sum((b) => b.clientCpuS),
      completed,
    ),
    othersCpuShare: round(median(blocks.map((b) => b.othersCpuShare)), 2),
    errorSamples: [...new Set(blocks.flatMap((b) => b.result.errorSamples))].slice(0, 5),
  }
  if (blocks.every((b) => b.result.casSucceeded !== undefined) && completed > 0) {
    figures.casSuccessShare = round(sum((b) => b.result.casSucceeded ?? 0) / completed, 3)
  }
  return figures
}

function perOp(cpuS: number, operations: number): number {
  return operations > 0 ? round((cpuS * 1000) / operations, 2) : 0
}

function ratioOf(a: number, b: number): number {
  return b > 0 ? a / b : 0
}

/** Both systems' figures, and the ratios ringdht / etcd: the median of the rounds' ratios. */
export function pairCase(
  base: Omit<CoordinationCase, 'etcd' | 'ringdht' | 'ratio' | 'rounds'>,
  rounds: ReadonlyArray<Record<CoordinationSystem, MeasuredBlock>>,
): CoordinationCase {
  const ratio = (pick: (result: CoordinationRunResult) => number) =>
    round(median(rounds.map((r) => ratioOf(pick(r.ringdht.result), pick(r.etcd.result)))), 2)
  return {
    ...base,
    rounds: rounds.length,
    etcd: caseFigures(rounds.map((r) => r.etcd)),
    ringdht: caseFigures(rounds.map((r) => r.ringdht)),
    ratio: {
      opsPerSec: ratio((r) => r.opsPerSec),
      p50: ratio((r) => r.latencyMs.p50),
      p99: ratio((r) => r.latencyMs.p99),
    },
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  if (sorted.length === 0) return 0
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}

/** The issue's two targets, from the cases that measure them (not met when missing). */
export function coordinationTargets(cases: readonly CoordinationCase[]): CoordinationTarget[] {
  const find = (keys: number, concurrency: number) =>
    cases.find((c) => c.kind === 'cas' && c.keys === keys && c.concurrency === concurrency)
  const uncontended = find(1000, 1)
  const spread = find(1000, 32)
  const clean = (c: CoordinationCase | undefined) =>
    c !== undefined && c.etcd.failures === 0 && c.ringdht.failures === 0
  return [
    {
      name: 'uncontended CAS p50 (1,000 keys, c=1), ringdht / etcd',
      target: '≤ 2',
      value: uncontended?.ratio.p50 ?? null,
      met: clean(uncontended) && (uncontended?.ratio.p50 ?? Infinity) <= 2,
    },
    {
      name: 'CAS throughput (1,000 keys, c=32), ringdht / etcd',
      target: '≥ 1',
      value: spread?.ratio.opsPerSec ?? null,
      met: clean(spread) && (spread?.ratio.opsPerSec ?? 0) >= 1,
    },
  ]
}

const pct = (share: number | undefined) =>
  share === undefined ? '–' : `${Math.round(share * 100)}%`

function failuresOf(c: CoordinationCase): string {
  const one = (f: CaseFigures) => (f.failures + f.notRun === 0 ? '0' : `${f.failures}+${f.notRun}`)
  return `${one(c.etcd)} / ${one(c.ringdht)}`
}

export function renderCoordinationReport(report: CoordinationReport): string {
  const m = report.meta
  const lines = [
    `Command: \`${m.command}\` — commit ${m.commit}, ${m.startedAt}, ${m.durationS} s.`,
    `etcd ${m.etcdVersion}: 3 members on 127.0.0.1 (data on tmpfs); ringdht: ${m.ringNodes} daemons on 127.0.0.1 (in memory); one client process each. Idle, the servers used ${m.idleCores.etcd} (etcd) and ${m.idleCores.ringdht} (ringdht) of a core. ${m.cpus} CPUs, load average ${m.loadAverage[0]} at the start, ${m.loadAverage[1]} at the end; others’ CPU: median share of the cores other processes used during the case's blocks.`,
    '',
    '| case | etcd ops/s | etcd p50 / p99 ms | ringdht ops/s | ringdht p50 / p99 ms | ops/s ringdht/etcd | p50 ratio | p99 ratio | CAS succeeded etcd / ringdht | CPU ms/op servers etcd / ringdht | CPU ms/op client etcd / ringdht | failed+not run etcd / ringdht | others’ CPU |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ]
  for (const c of report.cases) {
    lines.push(
      `| ${c.name} | ${c.etcd.opsPerSec} | ${c.etcd.p50Ms} / ${c.etcd.p99Ms} | ${c.ringdht.opsPerSec} | ${c.ringdht.p50Ms} / ${c.ringdht.p99Ms} | **${c.ratio.opsPerSec}** | **${c.ratio.p50}** | ${c.ratio.p99} | ${c.kind === 'cas' ? `${pct(c.etcd.casSuccessShare)} / ${pct(c.ringdht.casSuccessShare)}` : '–'} | ${c.etcd.serverCpuMsPerOp} / ${c.ringdht.serverCpuMsPerOp} | ${c.etcd.clientCpuMsPerOp} / ${c.ringdht.clientCpuMsPerOp} | ${failuresOf(c)} | ${pct(Math.max(c.etcd.othersCpuShare, c.ringdht.othersCpuShare))} |`,
    )
  }
  const f = report.failover
  if (f !== undefined) {
    const list = (values: number[]) => values.map((v) => Math.round(v)).join(', ')
    lines.push(
      '',
      `Failover, median of ${f.ringdht.leaderMs.length} / ${f.etcd.leaderMs.length} trials (ms, each trial listed): ringdht new leader observed ${Math.round(median(f.ringdht.leaderMs))} (${list(f.ringdht.leaderMs)}; lease ${f.ringdht.ttlMs} ms) — etcd new raft leader named ${Math.round(median(f.etcd.leaderMs))} (${list(f.etcd.leaderMs)}), first put after the kill ${Math.round(median(f.etcd.writeMs))} (${list(f.etcd.writeMs)}); ratio ringdht/etcd (new leader) **${f.ratio}**.`,
    )
  }
  lines.push('', '| target | value | met |', '|---|--:|---|')
  for (const t of report.targets) {
    lines.push(`| ${t.name} ${t.target} | ${t.value ?? '–'} | ${t.met ? 'yes' : 'no'} |`)
  }
  const errors = report.cases.flatMap((c) =>
    (['etcd', 'ringdht'] as const).flatMap((s) =>
      c[s].errorSamples.map((e) => `- ${c.name}, ${s}: ${e}`),
    ),
  )
  if (errors.length > 0) lines.push('', 'Errors seen:', ...errors.slice(0, 10))
  return lines.join('\n')
}
