import type { RoundOutcome } from './proposer.js'
import { bytesEqual, type Change, type RegisterState } from './register-state.js'

/**
 * The register API: each operation is a change function for a proposer round plus the
 * rule that reads its answer from the round's outcome. Pure; whoever drives the proposer
 * (the peer, the simulator) runs `change` and hands the outcome to `result`.
 *
 * A read is a full round with the identity change: phase 1 finds the latest value and
 * phase 2 writes it back at the new ballot, so no later read can see an older value
 * (skipping phase 2 would let a read return a value a quorum never accepted).
 */
export type RegisterOperation =
  | { readonly kind: 'read' }
  | {
      readonly kind: 'cas'
      readonly expected: Uint8Array | undefined
      readonly next: Uint8Array | undefined
    }
  | {
      readonly kind: 'update'
      readonly update: (value: Uint8Array | undefined) => Uint8Array | undefined
    }

/**
 * What an operation answered: the state it read or produced, and for a CAS whether it
 * matched. `previous` is the state the round applied its change to.
 */
export interface RegisterResult {
  readonly state: RegisterState
  readonly previous: RegisterState
  /** CAS: whether the current value equalled `expected`. Always true for read and update. */
  readonly succeeded: boolean
}

export const read = (): RegisterOperation => ({ kind: 'read' })

/** Sets `next` if the value is `expected` (undefined: absent); either may be undefined. */
export const cas = (
  expected: Uint8Array | undefined,
  next: Uint8Array | undefined,
): RegisterOperation => ({ kind: 'cas', expected, next })

/** Replaces the value with `update(value)`; the version grows by one. */
export const update = (
  fn: (value: Uint8Array | undefined) => Uint8Array | undefined,
): RegisterOperation => ({ kind: 'update', update: fn })

/** The change function a proposer applies for `operation`. */
export function changeOf(operation: RegisterOperation): Change {
  switch (operation.kind) {
    case 'read':
      return identity
    case 'cas':
      return (current) =>
        bytesEqual(current.value, operation.expected)
          ? { value: operation.next, version: current.version + 1 }
          : current
    case 'update':
      return (current) => ({ value: operation.update(current.value), version: current.version + 1 })
  }
}

/** The answer to `operation` from a decided round; undefined for failed or indeterminate ones. */
export function resultOf(
  operation: RegisterOperation,
  outcome: RoundOutcome,
): RegisterResult | undefined {
  if (outcome.kind !== 'decided') return undefined
  const succeeded =
    operation.kind !== 'cas' || bytesEqual(outcome.previous.value, operation.expected)
  return { state: outcome.next, previous: outcome.previous, succeeded }
}

const identity: Change = (current) => current
