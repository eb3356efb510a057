import type { HistoryEntry } from '../checker/history.js'
import { checkHistory } from '../checker/linearizability.js'
import { type BrokenMode, type ClusterSimResult, runClusterSim } from './cluster-sim.js'
import type { NetworkInit } from './network.js'
import { generateSchedule, type ScheduleInit, type SimSchedule } from './schedule.js'
import { shrinkFailure } from './shrink.js'

export interface SeedRunInit {
  /** How many seeds to run. Required. */
  seeds: number
  /** The first seed; seeds run are firstSeed, firstSeed + 1, … Default 1. */
  firstSeed?: number
  schedule?: ScheduleInit
  network?: NetworkInit
  broken?: BrokenMode
  /** Shrink the first failing seed to a minimal history. Default true. */
  shrink?: boolean
  /** Stop after this many failing seeds. Default: run them all. */
  stopAfterViolations?: number
}

export interface SeedFailure {
  readonly seed: number
  readonly keys: readonly string[]
  /** The shrunk schedule that still fails, and its history restricted to the failing keys. */
  readonly schedule: SimSchedule
  readonly history: readonly HistoryEntry[]
}

export interface SeedRunReport {
  readonly seedsRun: number
  readonly ops: number
  readonly ok: number
  readonly failed: number
  readonly indeterminate: number
  readonly messages: number
  readonly faults: number
  readonly proposerRestarts: number
  readonly reconfigurations: number
  /** Seeds whose history is not linearizable; must be 0. */
  readonly violations: number
  readonly violatingSeeds: readonly number[]
  /** Seeds whose check gave up (search budget); reported, not counted as violations. */
  readonly unknown: number
  readonly firstFailure?: SeedFailure | undefined
}

/** Runs one seed and checks its history. */
export function runSeed(
  seed: number,
  init: Omit<SeedRunInit, 'seeds'> = {},
  schedule: SimSchedule = generateSchedule(seed, init.schedule),
): { result: ClusterSimResult; violations: readonly string[]; unknown: readonly string[] } {
  const result = runClusterSim({ seed, schedule, network: init.network, broken: init.broken })
  const check = checkHistory(result.history)
  return { result, violations: check.violations, unknown: check.unknown }
}

/** Runs `init.seeds` seeds, checks every history, and shrinks the first failure. */
export function runSeeds(init: SeedRunInit): SeedRunReport {
  const first = init.firstSeed ?? 1
  const totals = {
    ops: 0,
    ok: 0,
    failed: 0,
    indeterminate: 0,
    messages: 0,
    faults: 0,
    proposerRestarts: 0,
    reconfigurations: 0,
  }
  const violatingSeeds: number[] = []
  let unknown = 0
  let seedsRun = 0
  let firstFailure: SeedFailure | undefined
  for (let seed = first; seed < first + init.seeds; seed++) {
    const schedule = generateSchedule(seed, init.schedule)
    const { result, violations, unknown: gaveUp } = runSeed(seed, init, schedule)
    seedsRun++
    totals.ops += result.history.length
    totals.messages += result.messages
    totals.faults += schedule.faults.length
    totals.proposerRestarts += schedule.proposerRestarts.length
    totals.reconfigurations += result.reconfigurations
    for (const entry of result.history) {
      if (entry.status === 'ok') totals.ok++
      else if (entry.status === 'fail') totals.failed++
      else totals.indeterminate++
    }
    if (gaveUp.length > 0) unknown++
    if (violations.length === 0) continue
    violatingSeeds.push(seed)
    if (firstFailure === undefined) {
      firstFailure =
        init.shrink === false
          ? {
              seed,
              keys: violations,
              schedule,
              history: result.history.filter((e) => violations.includes(e.key)),
            }
          : shrinkFailure(seed, schedule, init)
    }
    if (violatingSeeds.length >= (init.stopAfterViolations ?? Number.POSITIVE_INFINITY)) break
  }
  return {
    seedsRun,
    ...totals,
    violations: violatingSeeds.length,
    violatingSeeds,
    unknown,
    firstFailure,
  }
}
