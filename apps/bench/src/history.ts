/**
 * The bench's memory across runs: one JSON line per run in
 * apps/bench/history.jsonl, and a trend table built from those lines.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs'
import type { BenchReport, Headline } from './results.js'
import type { RatioSpread } from './statistics.js'

/** apps/bench/history.jsonl, next to RESULTS.md (this file runs from dist/src). */
export const HISTORY_PATH = new URL('../../history.jsonl', import.meta.url).pathname

export interface HistoryLine {
  date: string
  commit: string
  command: string
  durationS: number
  machine: { cpus: number; cpuModel: string; memoryGiB: number; loadAverage: [number, number] }
  /** Headline ratios by name, each the median of per-block ratios with its spread. */
  headlines: Record<string, RatioSpread>
  /** Per headline: share of the cores other processes used, and CPU per op ÷ the floor's. */
  context?: Record<string, { othersCpuShare: number; cpuPerOpVsFloor: number }>
  targetsMet: number
  targets: number
}

export function historyLine(report: BenchReport): HistoryLine {
  const { machine } = report.meta
  return {
    date: report.meta.startedAt,
    commit: report.meta.commit,
    command: report.meta.command,
    durationS: report.meta.durationS,
    machine: {
      cpus: machine.cpus,
      cpuModel: machine.cpuModel,
      memoryGiB: machine.memoryGiB,
      loadAverage: machine.loadAverage,
    },
    headlines: Object.fromEntries(report.headlines.map((h: Headline) => [h.name, h.spread])),
    context: Object.fromEntries(
      report.headlines.map((h) => [
        h.name,
        { othersCpuShare: h.othersCpuShare, cpuPerOpVsFloor: h.cpuPerOpVsFloor },
      ]),
    ),
    targetsMet: report.targets.filter((t) => t.met).length,
    targets: report.targets.length,
  }
}

export function appendHistory(line: HistoryLine, path = HISTORY_PATH): void {
  appendFileSync(path, `${JSON.stringify(line)}\n`)
}

/** Every well-formed line of the history; a damaged line is skipped, not fatal. */
export function parseHistory(text: string): HistoryLine[] {
  const lines: HistoryLine[] = []
  for (const raw of text.split('\n')) {
    if (raw.trim() === '') continue
    try {
      const parsed = JSON.parse(raw) as HistoryLine
      if (typeof parsed.date === 'string' && typeof parsed.headlines === 'object')
        lines.push(parsed)
    } catch {
      // a half-written line from an interrupted run
    }
  }
  return lines
}

export function readHistory(path = HISTORY_PATH): HistoryLine[] {
  return existsSync(path) ? parseHistory(readFileSync(path, 'utf8')) : []
}

/**
 * The last `limit` runs as a Markdown table, one column per headline that the
 * newest run has: `median [95% CI]` per run.
 */
export function renderTrend(history: readonly HistoryLine[], limit = 12): string {
  const recent = history.slice(-limit)
  const newest = recent.at(-1)
  if (newest === undefined) return '(no runs recorded yet)'
  // kad-dht's columns would double the width; its figures stay in the file
  const names = Object.keys(newest.headlines).filter((name) => name.startsWith('ringdht'))
  const header = ['date (UTC)', 'commit', 's', 'load', ...names]
  const rows = recent.map((line) => [
    line.date.slice(0, 16).replace('T', ' '),
    `\`${line.commit}\``,
    String(Math.round(line.durationS)),
    line.machine.loadAverage.map((v) => v.toFixed(1)).join('→'),
    ...names.map((name) => {
      const spread = line.headlines[name]
      if (spread === undefined) return '-'
      const busy = line.context?.[name]?.othersCpuShare
      const load = busy === undefined ? '' : ` · ${Math.round(busy * 100)}% busy`
      return `${spread.median.toFixed(2)} [${spread.ci95[0].toFixed(2)}–${spread.ci95[1].toFixed(2)}]${load}`
    }),
  ])
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`
  return [row(header), row(header.map(() => '---')), ...rows.map(row)].join('\n')
}
