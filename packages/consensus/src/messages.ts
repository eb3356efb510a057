import type { Ballot } from './ballot.js'
import type { RejectCode } from './errors.js'
import type { RegisterState } from './register-state.js'

/**
 * Messages between proposers and acceptors: plain objects (no classes), so they can be
 * encoded for the wire as they are. `round` is the proposer's handle for one attempt; an
 * acceptor copies it into its answer and never reads it. Every message carries the
 * sender's configuration `epoch` so acceptors can fence proposers that missed a change.
 */
export interface PrepareMessage {
  readonly type: 'prepare'
  readonly key: string
  readonly ballot: Ballot
  readonly epoch: number
  readonly round: number
}

export interface AcceptMessage {
  readonly type: 'accept'
  readonly key: string
  readonly ballot: Ballot
  readonly epoch: number
  readonly round: number
  readonly state: RegisterState
  /**
   * One-round-trip optimisation: "and promise my next ballot", the same proposer's
   * counter + 1. An acceptor that accepts also promises it; a quorum of such promises is
   * the next round's phase 1, already done.
   */
  readonly promiseNext?: Ballot | undefined
}

/** Phase 1 yes: the acceptor will refuse ballots below `ballot`, and says what it accepted last. */
export interface PromiseMessage {
  readonly type: 'promise'
  readonly key: string
  readonly ballot: Ballot
  readonly round: number
  readonly from: string
  readonly accepted: Ballot
  readonly state: RegisterState
}

/** Phase 2 yes; `promisedNext` when it also promised the accept's `promiseNext`. */
export interface AcceptedMessage {
  readonly type: 'accepted'
  readonly key: string
  readonly ballot: Ballot
  readonly round: number
  readonly from: string
  readonly promisedNext?: Ballot | undefined
}

/**
 * A no to either phase. `highest` is the highest ballot the acceptor has promised for the
 * key and `epoch` its configuration epoch, so the proposer can catch up in one step.
 */
export interface RejectMessage {
  readonly type: 'reject'
  readonly phase: 1 | 2
  readonly key: string
  readonly ballot: Ballot
  readonly round: number
  readonly from: string
  readonly code: RejectCode
  readonly highest: Ballot
  readonly epoch: number
}

export type ProposerMessage = PrepareMessage | AcceptMessage
export type AcceptorReply = PromiseMessage | AcceptedMessage | RejectMessage

/** A message and the acceptor it is for. */
export interface Outgoing {
  readonly to: string
  readonly message: ProposerMessage
}
