/**
 * What a key holds: bytes, or `undefined` when absent, and a version that grows by one
 * with every change (a CAS that matched, an update). A read or a CAS that did not match
 * leaves it as it was.
 */
export interface RegisterState {
  readonly value: Uint8Array | undefined
  readonly version: number
}

/** The state of a key nobody has written. */
export const ABSENT: RegisterState = Object.freeze({ value: undefined, version: 0 })

/** A change function: the proposer applies it to the current state between its phases. */
export type Change = (current: RegisterState) => RegisterState

export function bytesEqual(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === undefined || b === undefined) return a === b
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

export function statesEqual(a: RegisterState, b: RegisterState): boolean {
  return a.version === b.version && bytesEqual(a.value, b.value)
}

/** A short printable form for histories and logs: `v3:68656c6c6f` or `v0:absent`. */
export function formatState(state: RegisterState): string {
  return `v${state.version}:${formatValue(state.value)}`
}

export function formatValue(value: Uint8Array | undefined): string {
  return value === undefined ? 'absent' : Buffer.from(value).toString('hex') || '(empty)'
}
