import { performance } from 'node:perf_hooks'
import type { HistoryEntry, ModelOperation } from '@ringdht/consensus'
import {
  FencedError,
  InvalidInputError,
  QuorumNotReachedError,
  type RegisterValue,
} from '@ringdht/peer'

const hex = (value: Uint8Array | undefined) =>
  value === undefined ? undefined : Buffer.from(value).toString('hex')

/** A value as the checker's model holds it (hex; undefined: absent). */
export const modelValue = (text: string | undefined) =>
  text === undefined ? undefined : Buffer.from(text).toString('hex')

/**
 * What a failed operation means for the history: `fail` only for errors that say nothing
 * changed (no quorum in phase 1, a stale fence, bad input); anything else (a timeout, a
 * connection cut while the owner proposed, an explicit unknown outcome) may or may not
 * have taken effect, and the checker must try both.
 */
export function statusOf(err: unknown): 'fail' | 'indeterminate' {
  if (
    err instanceof QuorumNotReachedError ||
    err instanceof FencedError ||
    err instanceof InvalidInputError
  ) {
    return 'fail'
  }
  return 'indeterminate'
}

/** Register operations as invoked and completed, in the consensus checker's format. */
export class HistoryRecorder {
  readonly entries: HistoryEntry[] = []
  readonly errors = new Map<string, number>()

  /** Runs `run` as one operation of `process` on `key`, recording invoke and completion. */
  async record<T extends RegisterValue & { succeeded?: boolean }>(
    process: string,
    key: string,
    operation: ModelOperation,
    run: () => Promise<T>,
  ): Promise<T | undefined> {
    const id = this.entries.length
    const invokedAt = performance.now()
    try {
      const result = await run()
      this.entries.push({
        id,
        process,
        key,
        operation,
        invokedAt,
        completedAt: performance.now(),
        status: 'ok',
        output: {
          state: { value: hex(result.value), version: result.version },
          succeeded: result.succeeded ?? true,
        },
      })
      return result
    } catch (err) {
      const name = (err as Error).name ?? 'Error'
      this.errors.set(name, (this.errors.get(name) ?? 0) + 1)
      this.entries.push({
        id,
        process,
        key,
        operation,
        invokedAt,
        completedAt: performance.now(),
        status: statusOf(err),
      })
      throw err
    }
  }

  count(filter: (entry: HistoryEntry) => boolean = () => true): number {
    return this.entries.filter(filter).length
  }

  /** `ok/fail/indeterminate` counts of reads and cas, for the test's report. */
  summary(): string {
    const by = (kind: string, status: string) =>
      this.count((e) => e.operation.kind === kind && e.status === status)
    const line = (kind: string) =>
      `${kind} ok ${by(kind, 'ok')} fail ${by(kind, 'fail')} unknown ${by(kind, 'indeterminate')}`
    return `${this.entries.length} ops: ${line('read')}; ${line('cas')}; errors ${JSON.stringify(Object.fromEntries(this.errors))}`
  }
}

/** A lock grant as a holder saw it, and the fenced writes holders made. */
export interface Grant {
  readonly holder: string
  readonly token: number
  readonly invokedAt: number
  readonly completedAt: number
}

export interface FencedWrite {
  readonly holder: string
  readonly token: number
  readonly invokedAt: number
  readonly completedAt: number
  readonly status: 'ok' | 'fenced' | 'other'
}

/**
 * The lock's invariants: tokens distinct and strictly increasing in real-time order (a
 * grant that completed before another was asked for has the lower token), and a write
 * fenced with a token older than one an earlier completed write used is refused (so no two
 * holders' tokens are ever both valid for writes). Returns the violations found.
 */
export function lockViolations(grants: readonly Grant[], writes: readonly FencedWrite[]): string[] {
  const found: string[] = []
  // a holder that asks again while it still holds the lock (its release failed) gets the
  // same grant back: the same token to the same holder is one grant, not two
  const holderOf = new Map<number, string>()
  for (const grant of grants) {
    const holder = holderOf.get(grant.token)
    if (holder !== undefined && holder !== grant.holder) {
      found.push(`token ${grant.token} granted to ${holder} and to ${grant.holder}`)
    }
    holderOf.set(grant.token, grant.holder)
    for (const earlier of grants) {
      const sameGrant = earlier.token === grant.token && earlier.holder === grant.holder
      if (!sameGrant && earlier.completedAt < grant.invokedAt && earlier.token >= grant.token) {
        found.push(
          `${grant.holder} got token ${grant.token} after ${earlier.holder} had got ${earlier.token}`,
        )
      }
    }
  }
  for (const write of writes) {
    if (write.status !== 'ok') continue
    for (const newer of writes) {
      if (
        newer.status === 'ok' &&
        newer.completedAt < write.invokedAt &&
        newer.token > write.token
      ) {
        found.push(
          `a write fenced with ${write.token} (${write.holder}) went through after one with ${newer.token} (${newer.holder})`,
        )
      }
    }
  }
  return found
}
