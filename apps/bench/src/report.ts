/** Cross-system ratios, headlines, targets and the Markdown report of one run. */
import type { BenchOptions } from './options.js'
import type { BenchReport, Headline, PairedCase, Target } from './results.js'
import { type RatioSpread, roundTo } from './statistics.js'

/** ringdht's get p50 must stay within this multiple of the open-stream floor (issue 18). */
export const FLOOR_MULTIPLE_TARGET = 2
/** The multiple of kad-dht's throughput ringdht must reach at the highest concurrency. */
export const THROUGHPUT_MULTIPLE_TARGET = 10

function findCase(
  report: BenchReport,
  system: string,
  nodes: number,
  concurrency: number,
  op: string,
): PairedCase | undefined {
  return report.systems[system]?.cases.find(
    (c) => c.nodes === nodes && c.concurrency === concurrency && c.op === op,
  )
}

/**
 * ringdht ÷ kad-dht for each case both ran. kad-dht is too slow to alternate with
 * ringdht block by block, so each was paired with the floor in its own window and
 * the two floor-relative medians are divided: the floor cancels the machine's speed.
 */
export function attachKadRatios(report: BenchReport): void {
  for (const mine of report.systems.ringdht?.cases ?? []) {
    const theirs = findCase(report, 'kad-dht', mine.nodes, mine.concurrency, mine.op)
    if (theirs === undefined || !(theirs.ratios.p50.median > 0)) continue
    mine.vsKadDht = {
      p50: roundTo(mine.ratios.p50.median / theirs.ratios.p50.median, 4),
      opsPerSec:
        theirs.ratios.opsPerSec.median === 0
          ? 0
          : roundTo(mine.ratios.opsPerSec.median / theirs.ratios.opsPerSec.median, 1),
    }
  }
}

/**
 * The ratios the history keeps and `--repeat` compares, at the largest N: ringdht's
 * and kad-dht's p50 ÷ floor, and ringdht's CPU per operation ÷ the floor's. kad-dht's
 * are sampled in few small blocks (the cap), so they are shown but the repeat verdict
 * is on ringdht's.
 */
export function headlines(report: BenchReport, options: BenchOptions): Headline[] {
  const largest = Math.max(...options.nodes)
  const list: Headline[] = []
  for (const concurrency of options.concurrency) {
    for (const op of ['get', 'put'] as const) {
      for (const system of ['ringdht', 'kad-dht']) {
        const found = findCase(report, system, largest, concurrency, op)
        if (found === undefined || found.ratios.p50.blocks === 0) continue
        const common = {
          othersCpuShare: found.othersCpuShare,
          cpuPerOpVsFloor: found.cpuPerOpVsFloor,
          paired: true,
          anchor: system !== 'ringdht',
        }
        list.push({
          name: `${system} ${op} p50 ÷ floor, N=${largest} c=${concurrency}`,
          spread: found.ratios.p50,
          kind: 'latency',
          ...common,
        })
        // kad-dht's few small blocks give too few CPU ticks per block for a cost ratio
        if (system === 'ringdht' && found.ratios.cpuPerOp.blocks > 0) {
          list.push({
            name: `${system} ${op} CPU/op ÷ floor, N=${largest} c=${concurrency}`,
            spread: found.ratios.cpuPerOp,
            kind: 'cost',
            ...common,
          })
        }
      }
    }
  }
  return list
}

export function computeTargets(report: BenchReport, options: BenchOptions): Target[] {
  const targets: Target[] = []
  const largest = Math.max(...options.nodes)
  const highest = Math.max(...options.concurrency)
  const get = findCase(report, 'ringdht', largest, 1, 'get')
  const floorTarget: Target = {
    name: `ringdht get p50 at N=${largest}, c=1 ÷ open-stream floor p50 (paired median)`,
    value: get?.ratios.p50.median ?? null,
    target: `<= ${FLOOR_MULTIPLE_TARGET}`,
    met: get !== undefined && get.ratios.p50.median <= FLOOR_MULTIPLE_TARGET,
  }
  if (get !== undefined) floorTarget.spread = get.ratios.p50
  targets.push(floorTarget)
  for (const nodes of options.nodes) {
    for (const op of ['get', 'put'] as const) {
      const value = findCase(report, 'ringdht', nodes, highest, op)?.vsKadDht?.opsPerSec ?? null
      targets.push({
        name: `ringdht ${op} ops/s at N=${nodes}, c=${highest} ÷ kad-dht (through the floor)`,
        value,
        target: `>= ${THROUGHPUT_MULTIPLE_TARGET}`,
        met: value !== null && value >= THROUGHPUT_MULTIPLE_TARGET,
      })
    }
  }
  const ringdht = report.systems.ringdht
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

/** `1.93 (1.81–2.10, 95% 1.85–2.02)`: median, range, bootstrap interval. */
export function formatSpread(spread: RatioSpread, digits = 2): string {
  const f = (value: number) => value.toFixed(digits)
  return `${f(spread.median)} (${f(spread.min)}–${f(spread.max)}, 95% ${f(spread.ci95[0])}–${f(spread.ci95[1])})`
}

function table(header: string[], rows: Array<Array<string | number | undefined>>): string[] {
  const line = (cells: Array<string | number | undefined>) =>
    `| ${cells.map((c) => (c === undefined ? '-' : String(c))).join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)]
}

function allCases(report: BenchReport): PairedCase[] {
  return Object.values(report.systems).flatMap((system) => system.cases)
}

function latencyRows(report: BenchReport): string[] {
  return table(
    [
      'system',
      'N',
      'c',
      'op',
      'blocks×ops',
      'p50 ms',
      'floor p50 ms',
      'p50 ÷ floor: median (min–max, 95% CI)',
      'p99 ÷ floor',
      'ops/s',
      'ops/s ÷ floor',
      'others’ CPU',
      'quiet blocks: p50 ÷ floor',
      'fail',
    ],
    allCases(report).map((c) => [
      c.system,
      c.nodes,
      c.concurrency,
      c.op,
      `${c.blockPairs.length}×${c.opsPerBlock}`,
      c.p50Ms.system,
      c.p50Ms.floor,
      formatSpread(c.ratios.p50),
      c.ratios.p99.median.toFixed(2),
      c.opsPerSec.system,
      c.ratios.opsPerSec.median.toFixed(3),
      `${Math.round(c.othersCpuShare * 100)}%`,
      c.quietP50 === undefined
        ? `(${c.quietBlocks} quiet)`
        : `${c.quietP50.median.toFixed(2)} (${c.quietBlocks} blocks)`,
      c.failures + c.notRun,
    ]),
  )
}

function costRows(report: BenchReport): string[] {
  return table(
    [
      'system',
      'N',
      'c',
      'op',
      'hops',
      'req/op',
      'CPU-s/1k ops: members',
      'members net of idle',
      'client',
      'floor (server + client)',
      'CPU per op ÷ floor',
    ],
    allCases(report).map((c) => [
      c.system,
      c.nodes,
      c.concurrency,
      c.op,
      c.meanHops,
      c.meanRequests,
      c.cpuSPer1kOps.members,
      c.cpuSPer1kOps.membersNet,
      c.cpuSPer1kOps.client,
      roundTo(c.cpuSPer1kOps.floorServer + c.cpuSPer1kOps.floorClient, 3),
      c.cpuPerOpVsFloor,
    ]),
  )
}

/** The report as Markdown: the same text is printed and written into RESULTS.md. */
export function renderReport(report: BenchReport): string {
  const lines: string[] = []
  const m = report.meta
  lines.push(
    `Run ${m.startedAt}, commit \`${m.commit}\`, ${m.durationS} s: \`${m.command}\``,
    `Machine: ${m.machine.cpus} CPUs (${m.machine.cpuModel}), ${m.machine.memoryGiB} GiB, node ${m.machine.node}; load average ${m.machine.loadAverage[0]} at the start, ${m.machine.loadAverage[1]} at the end.`,
    '',
  )
  if (report.floor !== undefined) {
    lines.push(
      ...table(
        [
          'floor',
          'c',
          'blocks×ops',
          'p50 ms',
          'p99 ms',
          'ops/s',
          'fail',
          'CPU-s/1k server',
          'client',
        ],
        report.floor.map((f) => [
          f.op,
          f.concurrency,
          `${f.blocks}×${f.opsPerBlock}`,
          f.p50Ms,
          f.p99Ms,
          f.opsPerSec,
          f.failures + f.notRun,
          f.cpuSPer1kOps.server,
          f.cpuSPer1kOps.client,
        ]),
      ),
      '',
    )
  }
  const systems = Object.entries(report.systems)
  if (systems.length > 0) {
    lines.push(...latencyRows(report), '')
    lines.push(
      'others’ CPU: median share of the 2 cores used by other processes during the system blocks',
      '(/proc/stat minus the measured processes); quiet blocks: those where it was ≤ 25 %.',
      '',
    )
    lines.push(...costRows(report), '')
    const setupRows = systems.flatMap(([name, s]) =>
      s.setups.map((d) => [
        name,
        d.nodes,
        (d.settleMs / 1000).toFixed(1),
        d.backgroundCores,
        `${d.rssMiB.members.mean} (${d.rssMiB.members.min}–${d.rssMiB.members.max})`,
        d.rssMiB.client,
        d.storedCopiesPerKey,
      ]),
    )
    lines.push(
      ...table(
        [
          'system',
          'N',
          'ready s',
          'members idle, cores',
          'member RSS MiB mean (min–max)',
          'client RSS MiB',
          'copies/key',
        ],
        setupRows,
      ),
      '',
    )
    const versus = (report.systems.ringdht?.cases ?? []).filter((c) => c.vsKadDht !== undefined)
    if (versus.length > 0) {
      lines.push('ringdht ÷ kad-dht, each paired with the floor in its own window:', '')
      lines.push(
        ...table(
          ['N', 'c', 'op', 'p50 ÷ kad-dht', 'ops/s ÷ kad-dht'],
          versus.map((c) => [c.nodes, c.concurrency, c.op, c.vsKadDht?.p50, c.vsKadDht?.opsPerSec]),
        ),
        '',
      )
    }
    for (const [name, s] of systems) {
      lines.push(`- ${s.plan}${s.available ? '' : `; NOT measured: ${s.reason ?? '?'}`}`)
      if (s.available && s.reason !== undefined) lines.push(`  - ${name}: ${s.reason}`)
      for (const c of s.cases.filter((c) => c.blocksMeasured < c.blocksPlanned)) {
        lines.push(
          `  - ${name} N=${c.nodes} c=${c.concurrency} ${c.op}: ${c.blocksMeasured} of ${c.blocksPlanned} blocks (time budget)`,
        )
      }
      const capped = s.cases.filter((c) => c.cappedBlocks > 0)
      for (const c of capped) {
        lines.push(
          `  - ${name} N=${c.nodes} c=${c.concurrency} ${c.op}: ${c.cappedBlocks} blocks hit the time cap, ${c.notRun} operations not run`,
        )
      }
    }
    lines.push('')
  }
  if (report.join !== undefined) {
    if ('available' in report.join) lines.push(`Join: not measured: ${report.join.reason}`)
    else {
      const j = report.join
      lines.push(
        `Join: a ring of ${j.ringNodes} holding ${j.keys} keys; the joiner was ready after ${j.secondsUntilJoined} s, ` +
          `owns ${j.keysMoved} keys, held them after ${j.secondsUntilHeld ?? '-'} s, ` +
          `served all after ${j.secondsUntilServed} s (${j.verifyFailures} not served by it, ${j.wrongOwner} by another peer)` +
          `${j.note === undefined ? '' : `; ${j.note}`}`,
      )
    }
    lines.push('')
  }
  lines.push('Targets:', '')
  for (const t of report.targets) {
    const value = t.spread !== undefined ? formatSpread(t.spread) : (t.value ?? 'n/a')
    lines.push(`- [${t.met ? 'met' : 'MISSED'}] ${t.name}: ${value} (target ${t.target})`)
  }
  return lines.join('\n')
}
