import type { Operation } from './history.js'

/** What a history shows; 0 lost, 0 stale, 0 absent is the bar. */
export interface Verdict {
  /** Puts acknowledged. */
  acked: number
  /** Keys whose last acknowledged write the final reads did not see. */
  lost: string[]
  /** Reads that returned a write older than one acknowledged before the read began. */
  stale: string[]
  /** Reads that found nothing although a write was acknowledged before the read began. */
  absent: string[]
  /** Reads of a value no writer wrote. */
  invalid: string[]
  /** Final reads that failed: those keys are unverified. */
  unverified: string[]
  failed: { count: number; p50Ms: number; maxMs: number }
  ops: number
  /** Reads not checked because they ran during a fault that excuses them (a partition). */
  excused: number
}

/**
 * Check a recorded history offline. Each key has a single writer, so its writes are
 * ordered by their number; a read that began after write n was acknowledged must return
 * write n or a later one (a later write may have been applied even when its put failed:
 * that is not an error). The final reads, after recovery, must see each key's last
 * acknowledged write: otherwise the write was lost.
 */
export function check(
  history: readonly Operation[],
  options: { excuseReads?: { from: number; to: number } } = {},
): Verdict {
  const acks = new Map<string, Array<{ seq: number; end: number }>>()
  const attempted = new Map<string, number>()
  for (const op of history) {
    if (op.kind !== 'put' || op.seq === undefined) continue
    attempted.set(op.key, Math.max(attempted.get(op.key) ?? 0, op.seq))
    if (op.outcome !== 'ok') continue
    const list = acks.get(op.key) ?? []
    list.push({ seq: op.seq, end: op.end })
    acks.set(op.key, list)
  }
  const verdict: Verdict = {
    acked: [...acks.values()].reduce((sum, list) => sum + list.length, 0),
    lost: [],
    stale: [],
    absent: [],
    invalid: [],
    unverified: [],
    failed: { count: 0, p50Ms: 0, maxMs: 0 },
    ops: history.length,
    excused: 0,
  }
  const failures: number[] = []
  for (const op of history) {
    if (op.outcome === 'fail') {
      if (op.phase === 'final') verdict.unverified.push(op.key)
      else failures.push(op.end - op.start)
      continue
    }
    if (op.kind !== 'get') continue
    const excused = options.excuseReads
    if (
      excused !== undefined &&
      op.phase === 'load' &&
      op.start >= excused.from &&
      op.start <= excused.to
    ) {
      verdict.excused++
      continue
    }
    const newestAcked = (acks.get(op.key) ?? [])
      .filter((a) => a.end < op.start)
      .reduce((max, a) => Math.max(max, a.seq), 0)
    const read = op.read ?? null
    const where = `${op.key} at ${Math.round(op.start)} ms`
    if (read !== null && read > (attempted.get(op.key) ?? 0)) {
      verdict.invalid.push(`${where}: read write ${read}, never attempted`)
      continue
    }
    if (newestAcked === 0) continue
    if (op.phase === 'final') {
      if (read === null || read < newestAcked) {
        verdict.lost.push(`${op.key}: final read ${read ?? 'absent'}, acknowledged ${newestAcked}`)
      }
    } else if (read === null) {
      verdict.absent.push(`${where}: absent, acknowledged ${newestAcked}`)
    } else if (read < newestAcked) {
      verdict.stale.push(`${where}: read ${read}, acknowledged ${newestAcked}`)
    }
  }
  failures.sort((a, b) => a - b)
  verdict.failed = {
    count: failures.length,
    p50Ms: Math.round(failures[Math.floor(failures.length / 2)] ?? 0),
    maxMs: Math.round(failures[failures.length - 1] ?? 0),
  }
  return verdict
}

/** True when the history meets the bar: nothing lost, stale, absent, invalid or unverified. */
export function passes(verdict: Verdict): boolean {
  return (
    verdict.lost.length +
      verdict.stale.length +
      verdict.absent.length +
      verdict.invalid.length +
      verdict.unverified.length ===
    0
  )
}
