/**
 * Histories of register operations, as the simulator records them and the checker reads
 * them. Values are hex strings (undefined: absent) so histories print and compare simply.
 */
export interface ModelState {
  readonly value: string | undefined
  readonly version: number
}

export const INITIAL_MODEL_STATE: ModelState = Object.freeze({ value: undefined, version: 0 })

/**
 * - read: returns the state.
 * - cas: sets `next` if the value is `expected`; says whether it matched.
 * - write: sets `value` unconditionally.
 * - append: appends one byte (`undefined` counts as empty), a deterministic update(fn).
 */
export type ModelOperation =
  | { readonly kind: 'read' }
  | {
      readonly kind: 'cas'
      readonly expected: string | undefined
      readonly next: string | undefined
    }
  | { readonly kind: 'write'; readonly value: string | undefined }
  | { readonly kind: 'append'; readonly byte: number }

/** What an operation answered: the state after it, and for a CAS whether it matched. */
export interface ModelOutput {
  readonly state: ModelState
  readonly succeeded: boolean
}

/**
 * One operation: `ok` completed with `output`; `fail` certainly had no effect (the checker
 * drops it); `indeterminate` (a timeout after proposing) may have taken effect at any time
 * after `invokedAt`, or never, and its output is unknown.
 */
export interface HistoryEntry {
  readonly id: number
  readonly process: string
  readonly key: string
  readonly operation: ModelOperation
  readonly invokedAt: number
  readonly completedAt: number
  readonly status: 'ok' | 'fail' | 'indeterminate'
  readonly output?: ModelOutput | undefined
}

/**
 * The sequential specification. Returns the state after `operation` if it may have
 * answered `output` from `state` (any output when `output` is undefined), else undefined.
 */
export function stepModel(
  state: ModelState,
  operation: ModelOperation,
  output: ModelOutput | undefined,
): ModelState | undefined {
  let next: ModelState
  let succeeded = true
  switch (operation.kind) {
    case 'read':
      next = state
      break
    case 'cas':
      succeeded = state.value === operation.expected
      next = succeeded ? { value: operation.next, version: state.version + 1 } : state
      break
    case 'write':
      next = { value: operation.value, version: state.version + 1 }
      break
    case 'append':
      next = {
        value: (state.value ?? '') + operation.byte.toString(16).padStart(2, '0'),
        version: state.version + 1,
      }
      break
  }
  if (output === undefined) return next
  if (output.succeeded !== succeeded) return undefined
  if (output.state.value !== next.value || output.state.version !== next.version) return undefined
  return next
}

export function formatModelState(state: ModelState): string {
  return `v${state.version}:${state.value === undefined ? 'absent' : state.value || '(empty)'}`
}

export function formatOperation(operation: ModelOperation): string {
  switch (operation.kind) {
    case 'read':
      return 'read()'
    case 'cas':
      return `cas(${operation.expected ?? 'absent'} → ${operation.next ?? 'absent'})`
    case 'write':
      return `write(${operation.value ?? 'absent'})`
    case 'append':
      return `append(${operation.byte.toString(16).padStart(2, '0')})`
  }
}

/** One line per entry, in invocation order: `[10 → 35] p1 k0 cas(… → …) ok v2:… ✓`. */
export function formatHistory(entries: readonly HistoryEntry[]): string {
  return [...entries]
    .sort((a, b) => a.invokedAt - b.invokedAt || a.id - b.id)
    .map((e) => {
      const end = e.status === 'indeterminate' ? '?' : String(e.completedAt)
      const out =
        e.output === undefined
          ? e.status
          : `${e.status} ${formatModelState(e.output.state)}${e.operation.kind === 'cas' ? (e.output.succeeded ? ' matched' : ' mismatched') : ''}`
      return `  #${e.id} [${e.invokedAt} → ${end}] ${e.process} ${e.key} ${formatOperation(e.operation)} ${out}`
    })
    .join('\n')
}
