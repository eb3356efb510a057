import type { SeedFailure, SeedRunInit } from './run-seeds.js'
import { runSeed } from './run-seeds.js'
import type { SimSchedule } from './schedule.js'

/** Passes over the schedule; each pass tries dropping every fault and every operation once. */
const MAX_PASSES = 4

/**
 * Shrinks a failing seed: keeps the seed (so network decisions come from the same
 * stream) and greedily drops faults and operations while the run still violates
 * linearizability. The result is 1-minimal for what was tried: dropping any single
 * remaining fault or operation makes the failure go away (or the pass limit was hit).
 */
export function shrinkFailure(
  seed: number,
  schedule: SimSchedule,
  init: Omit<SeedRunInit, 'seeds'>,
): SeedFailure {
  const fails = (candidate: SimSchedule): boolean =>
    runSeed(seed, init, candidate).violations.length > 0
  let current = schedule
  // First, in one step: only the keys that fail.
  const firstKeys = runSeed(seed, init, current).violations
  const onlyFailingKeys = {
    ...current,
    ops: current.ops.filter((op) => firstKeys.includes(op.key)),
  }
  if (fails(onlyFailingKeys)) current = onlyFailingKeys
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let changed = false
    for (const fault of [...current.faults]) {
      const candidate = { ...current, faults: current.faults.filter((f) => f !== fault) }
      if (fails(candidate)) {
        current = candidate
        changed = true
      }
    }
    for (const restart of [...current.proposerRestarts]) {
      const proposerRestarts = current.proposerRestarts.filter((r) => r !== restart)
      const candidate = { ...current, proposerRestarts }
      if (fails(candidate)) {
        current = candidate
        changed = true
      }
    }
    for (const op of [...current.ops].reverse()) {
      const candidate = { ...current, ops: current.ops.filter((o) => o !== op) }
      if (fails(candidate)) {
        current = candidate
        changed = true
      }
    }
    if (!changed) break
  }
  const { result, violations } = runSeed(seed, init, current)
  return {
    seed,
    keys: violations,
    schedule: current,
    history: result.history.filter((entry) => violations.includes(entry.key)),
  }
}
