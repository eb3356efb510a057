/**
 * What `pnpm memory` reads of its members besides their RSS: the debug hook's reports
 * (memory-report.ts) and the figures after a rest.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs'
import type { Daemon, Daemons } from './daemons.js'
import type { MemoryReport } from './memory-report.js'
import { pssBytes, sampleProcess, summary } from './proc-stats.js'
import { waitUntilNoProblem } from './ring-checks.js'

/** min / median / mean / max, to one decimal. */
export function round(s: ReturnType<typeof summary>) {
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, Number(v.toFixed(1))]))
}

/**
 * Ask every member for its memory report (SIGUSR2 to the debug hook) and give the median of
 * each figure over the members, plus one member's list of the packages it loaded.
 */
export async function breakdownOf(daemons: Daemons, members: readonly Daemon[]) {
  const fileOf = (m: Daemon) => `${daemons.root}/${m.pid}.json`
  for (const m of members) process.kill(m.pid, 'SIGUSR2')
  await waitUntilNoProblem(
    'every member wrote its memory report',
    async () => {
      const missing = members.filter((m) => !existsSync(fileOf(m))).length
      return missing === 0 ? undefined : `${missing} reports missing`
    },
    30_000,
  )
  // written in one writeFileSync call, then read back and removed for the next ask
  const reports = members.map((m) => JSON.parse(readFileSync(fileOf(m), 'utf8')) as MemoryReport)
  for (const m of members) rmSync(fileOf(m), { force: true })
  const median = (pick: (r: MemoryReport) => number | undefined) =>
    Number(summary(reports.map((r) => pick(r) ?? 0)).median.toFixed(1))
  const spaces = Object.keys(reports[0]?.spaces ?? {})
  return {
    usageMiB: Object.fromEntries(
      Object.keys(reports[0]?.usage ?? {}).map((k) => [k, median((r) => r.usage[k])]),
    ),
    heapMiB: Object.fromEntries(
      Object.keys(reports[0]?.heap ?? {}).map((k) => [k, median((r) => r.heap[k])]),
    ),
    spacesUsedCommittedMiB: Object.fromEntries(
      spaces.map((k) => [k, [median((r) => r.spaces[k]?.[0]), median((r) => r.spaces[k]?.[1])]]),
    ),
    modulesLoaded: reports[0]?.modules,
    perMemberHeapCommittedUsedExternalMiB: reports.map((r) => [
      r.heap.committed,
      r.heap.used,
      r.heap.external,
    ]),
  }
}

/**
 * RSS, anonymous RSS and PSS after `seconds` at rest: V8 gives back heap it no longer needs
 * only once allocation has slowed down, so right after the import is the worst moment.
 */
export async function atRest(members: readonly Daemon[], seconds: number) {
  if (seconds <= 0) return {}
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000))
  const samples = members.map((m) => sampleProcess(m.pid))
  const mib = (bytes: number | undefined) => (bytes ?? 0) / 2 ** 20
  return {
    restSeconds: seconds,
    rssMiBAtRest: round(summary(samples.map((p) => mib(p?.rssBytes)))),
    rssAnonMiBAtRest: round(summary(samples.map((p) => mib(p?.rssAnonBytes)))),
    pssMiBAtRest: round(summary(members.map((m) => mib(pssBytes(m.pid))))),
  }
}
