/**
 * What the driver asks the two coordination clients (ringdht and etcd, each a child
 * process) to run, and the loops both run the same way: only the one operation differs.
 */
import { runWorkload, type WorkloadResult } from '../workload.js'

export interface CasRunArgs {
  runTag: string
  /** Keys the operations spread over: 1 is one hot key. */
  keys: number
  count: number
  concurrency: number
  timeLimitMs: number
  operationTimeoutMs: number
}

export interface LockRunArgs {
  runTag: string
  /** One lock name for everyone (contended), or a fresh name per cycle (uncontended). */
  contended: boolean
  count: number
  concurrency: number
  /** Lease of each lock (ringdht) or of each worker's session (etcd), ms. */
  ttlMs: number
  timeLimitMs: number
  operationTimeoutMs: number
}

export interface CoordinationRunResult extends WorkloadResult {
  /** CAS only: operations whose compare held, so the write went in. */
  casSucceeded?: number
}

/** A key name both systems use; the run tag keeps runs and cases apart. */
export function coordinationKey(runTag: string, kind: string, index: number): string {
  return `/coord/${runTag}/${kind}/${index}`
}

/**
 * One CAS: set `key` from the state last seen to a new value. Returns whether the compare
 * held and the state after it, which becomes the expectation of the next CAS on that key.
 */
export type CasStep<State> = (
  key: string,
  seen: State | undefined,
  next: string,
  signal: AbortSignal,
) => Promise<{ succeeded: boolean; state: State | undefined }>

/**
 * CAS on `keys` keys, at most `concurrency` at a time: every operation expects the state the
 * client last saw of its key (shared by the workers, as clients of one service would), so
 * on a hot key concurrent CAS fail their compare, which is the contention measured.
 */
export async function runCas<State>(
  args: CasRunArgs,
  step: CasStep<State>,
): Promise<CoordinationRunResult> {
  const seen = new Map<string, State | undefined>()
  let casSucceeded = 0
  const result = await runWorkload({
    ...args,
    operation: async (index, signal) => {
      const key = coordinationKey(args.runTag, 'cas', index % args.keys)
      const outcome = await step(key, seen.get(key), `${args.runTag}-${index}`, signal)
      seen.set(key, outcome.state)
      if (outcome.succeeded) casSucceeded++
      return { ok: true }
    },
  })
  return { ...result, casSucceeded }
}

/** Takes the lock `name` and releases it. */
export type LockCycle = (name: string, signal: AbortSignal) => Promise<void>

/** Acquire + release cycles, on one name (contended) or a fresh name each (uncontended). */
export async function runLockCycles(
  args: LockRunArgs,
  cycle: LockCycle,
): Promise<CoordinationRunResult> {
  return runWorkload({
    ...args,
    operation: async (index, signal) => {
      const name = coordinationKey(args.runTag, 'lock', args.contended ? 0 : index)
      await cycle(name, signal)
      return { ok: true }
    },
  })
}
