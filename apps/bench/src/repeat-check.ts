/** Pure: do the headline ratios of back-to-back runs agree? */
import type { Headline } from './results.js'
import { type Agreement, checkAgreement } from './statistics.js'

/** Repeats must land within ±15 % of their median (issue 18). */
export const REPEAT_TOLERANCE = 0.15

export interface HeadlineAgreement extends Agreement {
  name: string
  medians: number[]
  /** Shown, not part of the verdict (kad-dht, sampled in few small blocks). */
  anchor: boolean
  kind: 'latency' | 'cost'
}

/** For each headline every run has, whether its medians agree within the tolerance. */
export function compareRuns(
  runs: ReadonlyArray<readonly Headline[]>,
  tolerance = REPEAT_TOLERANCE,
): HeadlineAgreement[] {
  const first = runs[0] ?? []
  const result: HeadlineAgreement[] = []
  for (const { name, anchor, kind } of first) {
    const medians = runs.map((run) => run.find((h) => h.name === name)?.spread.median)
    if (medians.some((m) => m === undefined)) continue
    const values = medians as number[]
    result.push({ name, anchor, kind, medians: values, ...checkAgreement(values, tolerance) })
  }
  return result
}

/** True when every headline that counts (not an anchor's) agrees, and there is one. */
export function repeatVerdict(
  list: readonly HeadlineAgreement[],
  kind?: HeadlineAgreement['kind'],
): boolean {
  const counted = list.filter((a) => !a.anchor && (kind === undefined || a.kind === kind))
  return counted.length > 0 && counted.every((a) => a.agree)
}

export function renderAgreement(
  list: readonly HeadlineAgreement[],
  tolerance = REPEAT_TOLERANCE,
): string {
  const pct = Math.round(tolerance * 100)
  const lines = [`Repeat check: each headline's medians within ±${pct}% of their median`, '']
  lines.push('| headline | medians | worst deviation | agree |', '| --- | --- | --- | --- |')
  for (const a of list) {
    lines.push(
      `| ${a.name}${a.anchor ? ' (anchor, not in the verdict)' : ''} | ${a.medians.map((m) => m.toFixed(2)).join(', ')} | ${(a.worstDeviation * 100).toFixed(1)}% | ${a.agree ? 'yes' : 'NO'} |`,
    )
  }
  const say = (kind: HeadlineAgreement['kind']) =>
    repeatVerdict(list, kind) ? 'agree' : 'do NOT all agree'
  lines.push(
    '',
    `Repeat check: ringdht's latency headlines (p50 ÷ floor) ${say('latency')}; its cost headlines (CPU/op ÷ floor) ${say('cost')}`,
  )
  return lines.join('\n')
}
