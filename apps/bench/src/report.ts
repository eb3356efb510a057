import type { BenchOptions } from './options.js'
import type { BenchReport, CaseResult, FloorResult, SystemResult, Target } from './results.js'
import { round } from './stats.js'
import type { WorkloadResult } from './workload.js'

/** The multiple of the open-stream floor that ringdht's get p50 must stay within. */
export const FLOOR_MULTIPLE_TARGET = 3
/** The multiple of kad-dht's throughput ringdht must reach at the highest concurrency. */
export const THROUGHPUT_MULTIPLE_TARGET = 10

function ratio(a: number, b: number): number {
  return b === 0 ? 0 : round(a / b, 3)
}

function findCase(
  system: SystemResult | undefined,
  nodes: number,
  concurrency: number,
  op: string,
): CaseResult | undefined {
  return system?.cases.find(
    (c) => c.nodes === nodes && c.concurrency === concurrency && c.op === op,
  )
}

/** The floor a case compares with: the open stream at concurrency 1, else new streams at load. */
function floorFor(floor: FloorResult | undefined, concurrency: number): WorkloadResult | undefined {
  if (floor === undefined) return undefined
  return concurrency <= 1 ? floor.openStream : floor.newStreamConcurrent
}

/** Fills each ringdht case's ratios against kad-dht and the floor from the same run. */
export function attachRatios(report: BenchReport): void {
  const ringdht = report.systems.ringdht
  const kad = report.systems['kad-dht']
  for (const entry of ringdht?.cases ?? []) {
    const other = findCase(kad, entry.nodes, entry.concurrency, entry.op)
    const floor = floorFor(report.floor, entry.concurrency)
    entry.ratios = {}
    if (other !== undefined) {
      entry.ratios.vsKadDht = {
        p50: ratio(entry.latencyMs.p50, other.latencyMs.p50),
        p90: ratio(entry.latencyMs.p90, other.latencyMs.p90),
        p99: ratio(entry.latencyMs.p99, other.latencyMs.p99),
        opsPerSec: ratio(entry.opsPerSec, other.opsPerSec),
      }
    }
    if (floor !== undefined) {
      entry.ratios.vsFloor = {
        p50: ratio(entry.latencyMs.p50, floor.latencyMs.p50),
        p90: ratio(entry.latencyMs.p90, floor.latencyMs.p90),
        p99: ratio(entry.latencyMs.p99, floor.latencyMs.p99),
      }
    }
  }
}

/**
 * The targets of issue 6, each measured or reported as not met when a part
 * could not run. When the full sizes were not run (--quick), the largest
 * size that ran stands in, and the name says which.
 */
export function computeTargets(report: BenchReport, options: BenchOptions): Target[] {
  const targets: Target[] = []
  const ringdht = report.systems.ringdht
  const kad = report.systems['kad-dht']
  const largest = Math.max(...options.nodes)
  const highest = Math.max(...options.concurrency)

  const get = findCase(ringdht, largest, 1, 'get')
  const floor = report.floor?.openStream
  const floorValue =
    get !== undefined && floor !== undefined ? ratio(get.latencyMs.p50, floor.latencyMs.p50) : null
  targets.push({
    name: `ringdht get p50 at N=${largest}, concurrency 1, as a multiple of the open-stream floor p50`,
    value: floorValue,
    target: `<= ${FLOOR_MULTIPLE_TARGET}`,
    met: floorValue !== null && floorValue <= FLOOR_MULTIPLE_TARGET,
  })

  for (const nodes of options.nodes) {
    for (const op of ['get', 'put'] as const) {
      const mine = findCase(ringdht, nodes, highest, op)
      const theirs = findCase(kad, nodes, highest, op)
      const value =
        mine !== undefined && theirs !== undefined ? ratio(mine.opsPerSec, theirs.opsPerSec) : null
      targets.push({
        name: `ringdht ${op} throughput at N=${nodes}, concurrency ${highest}, as a multiple of kad-dht`,
        value,
        target: `>= ${THROUGHPUT_MULTIPLE_TARGET}`,
        met: value !== null && value >= THROUGHPUT_MULTIPLE_TARGET,
      })
    }
  }

  const failed =
    ringdht?.available === true
      ? ringdht.cases.reduce((sum, c) => sum + c.failures + c.notRun, 0)
      : null
  targets.push({
    name: 'ringdht failed (or unfinished) operations',
    value: failed,
    target: '= 0',
    met: failed === 0 && (ringdht?.cases.length ?? 0) > 0,
  })
  return targets
}

function cell(value: number | string | undefined, width: number): string {
  const text = value === undefined ? '-' : String(value)
  return text.padStart(width)
}

function row(
  label: string,
  w: WorkloadResult,
  extra: { rss?: number; copies?: number } = {},
): string {
  return [
    label.padEnd(28),
    cell(w.concurrency, 4),
    cell(w.latencyMs.p50.toFixed(2), 9),
    cell(w.latencyMs.p90.toFixed(2), 9),
    cell(w.latencyMs.p99.toFixed(2), 9),
    cell(w.opsPerSec.toFixed(0), 8),
    cell(w.failures + w.notRun, 6),
    cell(w.meanHops, 6),
    cell(w.meanRequests, 7),
    cell(extra.copies ?? w.meanCopies, 7),
    cell(extra.rss, 8),
  ].join(' ')
}

/** The human-readable report. */
export function renderTable(report: BenchReport): string {
  const lines: string[] = []
  const header = [
    'case'.padEnd(28),
    cell('c', 4),
    cell('p50 ms', 9),
    cell('p90 ms', 9),
    cell('p99 ms', 9),
    cell('ops/s', 8),
    cell('fail', 6),
    cell('hops', 6),
    cell('req/op', 7),
    cell('copies', 7),
    cell('RSS MiB', 8),
  ].join(' ')
  lines.push(header, '-'.repeat(header.length))
  if (report.floor !== undefined) {
    lines.push(row('floor open-stream', report.floor.openStream))
    lines.push(row('floor new-stream', report.floor.newStream))
    lines.push(row('floor new-stream', report.floor.newStreamConcurrent))
  }
  for (const [name, system] of Object.entries(report.systems)) {
    if (system === undefined) continue
    if (!system.available) {
      lines.push(`${name}: not measured: ${system.reason ?? 'unavailable'}`)
      continue
    }
    for (const c of system.cases) {
      const copies = c.op === 'put' ? (c.storedCopiesPerKey ?? c.meanCopies) : undefined
      const extra: { rss?: number; copies?: number } = { rss: c.rssMiB.mean }
      if (copies !== undefined) extra.copies = copies
      lines.push(row(`${name} N=${c.nodes} ${c.op}`, c, extra))
    }
  }
  const ringdht = report.systems.ringdht
  if (ringdht?.available === true) {
    lines.push('', 'ratios ringdht / kad-dht (p50, ops/s) and ringdht / floor (p50):')
    for (const c of ringdht.cases) {
      const k = c.ratios?.vsKadDht
      const f = c.ratios?.vsFloor
      lines.push(
        `  N=${c.nodes} c=${c.concurrency} ${c.op}: vs kad-dht p50 ${k?.p50 ?? '-'}, ops/s ${k?.opsPerSec ?? '-'}; vs floor p50 ${f?.p50 ?? '-'}`,
      )
    }
  }
  if (report.join !== undefined) {
    lines.push('')
    if ('available' in report.join) lines.push(`join: not measured: ${report.join.reason}`)
    else {
      const j = report.join
      lines.push(
        `join: ring of ${j.ringNodes} holding ${j.keys} keys; joiner ready after ${j.secondsUntilJoined} s, ` +
          `owns ${j.keysMoved} keys, held them after ${j.secondsUntilHeld ?? '-'} s, ` +
          `served all from the new owner after ${j.secondsUntilServed} s ` +
          `(${j.verifyFailures} not served by it, ${j.wrongOwner} by another peer)${j.note === undefined ? '' : `; ${j.note}`}`,
      )
    }
  }
  lines.push('', 'targets:')
  for (const t of report.targets) {
    lines.push(
      `  [${t.met ? 'met' : 'MISSED'}] ${t.name}: ${t.value ?? 'n/a'} (target ${t.target})`,
    )
  }
  lines.push(
    '',
    `c = concurrency; copies = records stored per key across members (puts); req/op = requests to remote peers per operation (kad-dht: its SEND_QUERY events; ringdht: 1 + hops + extra replica writes).`,
    `${report.meta.machine.cpus} CPUs (${report.meta.machine.cpuModel}), node ${report.meta.machine.node}, ${report.meta.durationS} s`,
  )
  return lines.join('\n')
}
