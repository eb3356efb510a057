/** Pure arithmetic of block plans and their caps, kept apart so it can be tested. */
import type { BlockPlan } from './options.js'

/**
 * Operations per block at a concurrency: at least `minRounds` rounds of the
 * concurrency, so a block is not all ramp-up and ramp-down.
 */
export function opsPerBlockAt(plan: BlockPlan, concurrency: number): number {
  return Math.max(plan.opsPerBlock, plan.minRounds * concurrency)
}

/** Round trips per floor block: as many as asked, and at least 8 rounds of the concurrency. */
export function floorOpsAt(floorOpsPerBlock: number, concurrency: number): number {
  return Math.max(floorOpsPerBlock, 8 * concurrency)
}

/** The phase's time cap split evenly over its blocks: one slow block cannot eat the rest. */
export function blockTimeLimitMs(plan: BlockPlan): number {
  return Math.max(1, Math.floor(plan.phaseTimeLimitMs / Math.max(1, plan.blocks)))
}

/** Whether `plan` measures less than `reference` (the uncapped plan). */
export function isCapped(plan: BlockPlan, reference: BlockPlan): boolean {
  return (
    plan.blocks < reference.blocks ||
    plan.opsPerBlock < reference.opsPerBlock ||
    plan.minRounds < reference.minRounds ||
    plan.phaseTimeLimitMs < reference.phaseTimeLimitMs
  )
}

/** One line that says how a system was sampled, printed with its results. */
export function describePlan(system: string, plan: BlockPlan, concurrency: number[]): string {
  const ops = concurrency.map((c) => `${opsPerBlockAt(plan, c)} at c=${c}`).join(', ')
  const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`
  return (
    `${system}: ${plan.blocks} blocks of ${ops} operations per phase, ` +
    `each phase capped at ${seconds(plan.phaseTimeLimitMs)} (${seconds(blockTimeLimitMs(plan))} per block)`
  )
}

/** Rough upper bound of a phase's wall time: every block at its cap. */
export function worstPhaseMs(plan: BlockPlan): number {
  return blockTimeLimitMs(plan) * plan.blocks
}
