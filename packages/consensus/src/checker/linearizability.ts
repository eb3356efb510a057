import {
  type HistoryEntry,
  INITIAL_MODEL_STATE,
  type ModelOutput,
  type ModelState,
  stepModel,
} from './history.js'

export interface CheckInit {
  /** Search steps per key before giving up with `unknown`. Default 2,000,000. */
  maxSteps?: number
}

export const CHECK_DEFAULTS = { maxSteps: 2_000_000 } as const

export type KeyVerdict = 'linearizable' | 'violation' | 'unknown'

export interface CheckResult {
  /** 'violation' if any key's history is not linearizable; 'unknown' if a search gave up. */
  readonly verdict: KeyVerdict
  /** Keys whose history is not linearizable. */
  readonly violations: readonly string[]
  readonly unknown: readonly string[]
}

/**
 * Checks a history of CAS-register operations for linearizability, key by key (a history
 * is linearizable iff each key's sub-history is: linearizability is local).
 */
export function checkHistory(entries: readonly HistoryEntry[], init: CheckInit = {}): CheckResult {
  const byKey = new Map<string, HistoryEntry[]>()
  for (const entry of entries) {
    if (entry.status === 'fail') continue
    const list = byKey.get(entry.key)
    if (list === undefined) byKey.set(entry.key, [entry])
    else list.push(entry)
  }
  const violations: string[] = []
  const unknown: string[] = []
  for (const [key, list] of byKey) {
    const verdict = checkKey(list, init)
    if (verdict === 'violation') violations.push(key)
    else if (verdict === 'unknown') unknown.push(key)
  }
  const verdict =
    violations.length > 0 ? 'violation' : unknown.length > 0 ? 'unknown' : 'linearizable'
  return { verdict, violations, unknown }
}

interface Node {
  readonly op: number
  readonly isCall: boolean
  /** For a call, its return node. */
  match: Node | undefined
  prev: Node | undefined
  next: Node | undefined
}

/**
 * The WGL search (Wing & Gong 1993) with Lowe's memoization, as in Knossos and Porcupine:
 * walk the events in time order; at a call, try to linearize that operation now (the model
 * accepts its output) and lift it out of the list; at a return whose call was not
 * linearized yet, backtrack. A (set of linearized ops, model state) pair seen before is
 * not explored twice. Indeterminate operations return at +∞ with any output, so they may
 * take effect at any point after their call, or (placed last) never.
 */
export function checkKey(entries: readonly HistoryEntry[], init: CheckInit = {}): KeyVerdict {
  const maxSteps = init.maxSteps ?? CHECK_DEFAULTS.maxSteps
  // A failed op had no effect, and an unfinished read has none either: leave both out.
  const live = entries.filter(
    (e) => e.status === 'ok' || (e.status === 'indeterminate' && e.operation.kind !== 'read'),
  )
  const events: { node: Node; time: number }[] = []
  live.forEach((entry, op) => {
    const call: Node = { op, isCall: true, match: undefined, prev: undefined, next: undefined }
    const ret: Node = { op, isCall: false, match: undefined, prev: undefined, next: undefined }
    call.match = ret
    const end = entry.status === 'indeterminate' ? Number.POSITIVE_INFINITY : entry.completedAt
    events.push({ node: call, time: entry.invokedAt }, { node: ret, time: end })
  })
  // At equal times calls go first: operations that touch in time count as concurrent.
  events.sort((a, b) => a.time - b.time || Number(a.node.isCall ? 0 : 1) - (b.node.isCall ? 0 : 1))
  const head: Node = { op: -1, isCall: false, match: undefined, prev: undefined, next: undefined }
  let tail = head
  for (const { node } of events) {
    tail.next = node
    node.prev = tail
    tail = node
  }

  const outputs: (ModelOutput | undefined)[] = live.map((e) =>
    e.status === 'indeterminate' ? undefined : e.output,
  )
  const seen = new Set<string>()
  const stack: { node: Node; state: ModelState }[] = []
  let linearized = 0n
  let state = INITIAL_MODEL_STATE
  let entry = head.next
  let steps = 0
  while (head.next !== undefined) {
    if (++steps > maxSteps) return 'unknown'
    if (entry === undefined) return 'violation'
    if (entry.isCall) {
      const op = entry.op
      const next = stepModel(state, live[op]?.operation ?? { kind: 'read' }, outputs[op])
      if (next !== undefined) {
        const bits = linearized | (1n << BigInt(op))
        const memo = `${bits.toString(36)}|${next.version}|${next.value ?? '-'}`
        if (!seen.has(memo)) {
          seen.add(memo)
          stack.push({ node: entry, state })
          state = next
          linearized = bits
          lift(entry)
          entry = head.next
          continue
        }
      }
      entry = entry.next
    } else {
      // A return whose call is still in the list: undo the last choice and try the next one.
      const top = stack.pop()
      if (top === undefined) return 'violation'
      state = top.state
      linearized &= ~(1n << BigInt(top.node.op))
      unlift(top.node)
      entry = top.node.next
    }
  }
  return 'linearizable'
}

function lift(call: Node): void {
  unlink(call)
  if (call.match !== undefined) unlink(call.match)
}

function unlift(call: Node): void {
  if (call.match !== undefined) relink(call.match)
  relink(call)
}

function unlink(node: Node): void {
  if (node.prev !== undefined) node.prev.next = node.next
  if (node.next !== undefined) node.next.prev = node.prev
}

function relink(node: Node): void {
  if (node.prev !== undefined) node.prev.next = node
  if (node.next !== undefined) node.next.prev = node
}
