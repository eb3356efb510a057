import { type Ballot, compareBallots, maxBallot, ZERO_BALLOT } from './ballot.js'
import { ABSENT, type RegisterState } from './register-state.js'

/** One key's acceptor state: what it promised, what it accepted last and at which ballot. */
export interface KeyState {
  readonly promised: Ballot
  readonly accepted: Ballot
  readonly state: RegisterState
}

export const EMPTY_KEY_STATE: KeyState = Object.freeze({
  promised: ZERO_BALLOT,
  accepted: ZERO_BALLOT,
  state: ABSENT,
})

/**
 * An acceptor's whole state as plain data, for hand-over and repair. Restoring or merging
 * one never lowers a promise or an accepted ballot (see `mergeKeyStates`).
 */
export interface AcceptorSnapshot {
  readonly epoch: number
  /** The highest ballot counter this acceptor has seen on any key. */
  readonly highestCounter: number
  readonly keys: readonly (readonly [key: string, state: KeyState])[]
}

/**
 * The join of two states of one key: the higher promise, and the accepted value with the
 * higher ballot. Safe because Paxos only needs each acceptor's promised and accepted
 * ballots never to go down, and every (ballot, value) pair copied here was proposed by
 * the ballot's proposer; a copy is like a late accept message, and it is never counted as
 * that acceptor's vote (votes are answers to accept messages only).
 */
export function mergeKeyStates(a: KeyState, b: KeyState): KeyState {
  const newer = compareBallots(a.accepted, b.accepted) >= 0 ? a : b
  const promised = maxBallot(maxBallot(a.promised, b.promised), newer.accepted)
  return { promised, accepted: newer.accepted, state: newer.state }
}

/** Merges snapshots key by key; epoch and highest counter are the maxima. */
export function mergeSnapshots(snapshots: readonly AcceptorSnapshot[]): AcceptorSnapshot {
  const keys = new Map<string, KeyState>()
  let epoch = 0
  let highestCounter = 0
  for (const snapshot of snapshots) {
    epoch = Math.max(epoch, snapshot.epoch)
    highestCounter = Math.max(highestCounter, snapshot.highestCounter)
    for (const [key, state] of snapshot.keys) {
      const known = keys.get(key)
      keys.set(key, known === undefined ? state : mergeKeyStates(known, state))
    }
  }
  return { epoch, highestCounter, keys: [...keys] }
}
