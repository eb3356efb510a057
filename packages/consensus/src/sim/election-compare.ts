import { runBullyElection } from './bully-election.js'
import type { ElectionReport, ElectionSimInit } from './election-common.js'
import { runLeaseElection } from './lease-election.js'

/** A failure to compare under: a crash, or a pause of `pauseFor` time units. */
export interface ElectionScenario {
  readonly name: string
  readonly scenario: 'crash' | 'pause'
  readonly pauseFor?: number
}

export const ELECTION_SCENARIOS: readonly ElectionScenario[] = [
  { name: 'crash', scenario: 'crash' },
  { name: 'pause 1500 (> lease)', scenario: 'pause', pauseFor: 1500 },
  { name: 'pause 200 (< lease)', scenario: 'pause', pauseFor: 200 },
]

export interface ElectionComparisonRow {
  readonly strategy: 'lease' | 'bully'
  readonly scenario: string
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

/**
 * Runs both strategies in every scenario over `seeds` seeds and averages. A row's time and
 * message means are over the runs in which a new leader was agreed on; after a pause
 * shorter than the lease no new leader is needed, so the lease row may have none.
 */
export function compareElections(
  seeds: number,
  init: Omit<ElectionSimInit, 'seed' | 'scenario' | 'pauseFor'> = {},
  scenarios: readonly ElectionScenario[] = ELECTION_SCENARIOS,
): ElectionComparisonRow[] {
  const rows: ElectionComparisonRow[] = []
  for (const { name, scenario, pauseFor } of scenarios) {
    for (const strategy of ['lease', 'bully'] as const) {
      const reports: ElectionReport[] = []
      for (let seed = 1; seed <= seeds; seed++) {
        const run = strategy === 'lease' ? runLeaseElection : runBullyElection
        reports.push(run({ ...init, seed, scenario, pauseFor }))
      }
      rows.push(summarize(strategy, name, reports))
    }
  }
  return rows
}

function summarize(
  strategy: 'lease' | 'bully',
  scenario: string,
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
  const figure = (value: number) => (Number.isNaN(value) ? '–' : value.toFixed(1))
  const lines = rows.map(
    (r) =>
      `| ${r.scenario} | ${r.strategy} | ${r.agreed}/${r.runs} | ${figure(r.meanTimeToNewLeader)} | ${figure(r.meanTimeToAgreement)} | ${figure(r.meanElectionMessages)} | ${r.meanSteadyMessagesPer1000.toFixed(0)} | ${r.meanSplitBrainTime.toFixed(2)} / ${r.maxSplitBrainTime} | ${r.strategy === 'lease' ? r.lockViolations : 'n/a'} |`,
  )
  return [header, rule, ...lines].join('\n')
}
