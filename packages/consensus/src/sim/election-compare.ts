import { runBullyElection } from './bully-election.js'
import type { ElectionReport, ElectionSimInit } from './election-common.js'
import { runLeaseElection } from './lease-election.js'

export interface ElectionComparisonRow {
  readonly strategy: 'lease' | 'bully'
  readonly scenario: 'crash' | 'pause'
  readonly runs: number
  /** Runs in which a new leader was found and every running node agreed on it. */
  readonly agreed: number
  readonly meanTimeToNewLeader: number
  readonly meanTimeToAgreement: number
  readonly meanElectionMessages: number
  readonly meanSteadyMessagesPer1000: number
  readonly meanSplitBrainTime: number
  readonly maxSplitBrainTime: number
  /** Lease: token or overlap violations over all runs (must be 0). */
  readonly lockViolations: number
}

/** Runs both strategies in both scenarios over `seeds` seeds and averages. */
export function compareElections(
  seeds: number,
  init: Omit<ElectionSimInit, 'seed' | 'scenario'> = {},
): ElectionComparisonRow[] {
  const rows: ElectionComparisonRow[] = []
  for (const scenario of ['crash', 'pause'] as const) {
    for (const strategy of ['lease', 'bully'] as const) {
      const reports: ElectionReport[] = []
      for (let seed = 1; seed <= seeds; seed++) {
        const run = strategy === 'lease' ? runLeaseElection : runBullyElection
        reports.push(run({ ...init, seed, scenario }))
      }
      rows.push(summarize(strategy, scenario, reports))
    }
  }
  return rows
}

function summarize(
  strategy: 'lease' | 'bully',
  scenario: 'crash' | 'pause',
  reports: readonly ElectionReport[],
): ElectionComparisonRow {
  const agreed = reports.filter((r) => r.timeToAgreement !== undefined)
  const mean = (values: readonly number[]) =>
    values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length
  return {
    strategy,
    scenario,
    runs: reports.length,
    agreed: agreed.length,
    meanTimeToNewLeader: mean(agreed.map((r) => r.timeToNewLeader ?? 0)),
    meanTimeToAgreement: mean(agreed.map((r) => r.timeToAgreement ?? 0)),
    meanElectionMessages: mean(agreed.map((r) => r.electionMessages)),
    meanSteadyMessagesPer1000: mean(reports.map((r) => r.steadyMessagesPer1000)),
    meanSplitBrainTime: mean(reports.map((r) => r.splitBrainTime)),
    maxSplitBrainTime: Math.max(...reports.map((r) => r.splitBrainTime)),
    lockViolations: reports.reduce((n, r) => n + r.tokenViolations + r.overlappingGrants, 0),
  }
}

/** A Markdown table of the comparison. */
export function formatElectionTable(rows: readonly ElectionComparisonRow[]): string {
  const header =
    '| scenario | strategy | runs agreed | new leader after | all agree after | messages (election) | messages / 1000 t (steady) | split brain mean / max | lock violations |'
  const rule = '| --- | --- | --- | --- | --- | --- | --- | --- | --- |'
  const lines = rows.map(
    (r) =>
      `| ${r.scenario} | ${r.strategy} | ${r.agreed}/${r.runs} | ${r.meanTimeToNewLeader.toFixed(1)} | ${r.meanTimeToAgreement.toFixed(1)} | ${r.meanElectionMessages.toFixed(1)} | ${r.meanSteadyMessagesPer1000.toFixed(0)} | ${r.meanSplitBrainTime.toFixed(2)} / ${r.maxSplitBrainTime} | ${r.strategy === 'lease' ? r.lockViolations : 'n/a'} |`,
  )
  return [header, rule, ...lines].join('\n')
}
