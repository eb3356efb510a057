/**
 * A ballot: a counter, and the proposer's id to break ties, so two proposers never
 * share one. Ballots are totally ordered: counter first, then proposer id.
 * `{ counter: 0, proposer: '' }` (ZERO_BALLOT) is below every ballot a proposer uses.
 */
export interface Ballot {
  readonly counter: number
  readonly proposer: string
}

export const ZERO_BALLOT: Ballot = Object.freeze({ counter: 0, proposer: '' })

/** Negative when a < b, 0 when equal, positive when a > b. */
export function compareBallots(a: Ballot, b: Ballot): number {
  if (a.counter !== b.counter) return a.counter < b.counter ? -1 : 1
  if (a.proposer === b.proposer) return 0
  return a.proposer < b.proposer ? -1 : 1
}

export function maxBallot(a: Ballot, b: Ballot): Ballot {
  return compareBallots(a, b) >= 0 ? a : b
}

/** True for a counter a proposer may use: a safe integer ≥ 1. */
export function isValidCounter(counter: unknown): counter is number {
  return typeof counter === 'number' && Number.isSafeInteger(counter) && counter >= 1
}

export function formatBallot(ballot: Ballot): string {
  return `${ballot.counter}.${ballot.proposer}`
}
