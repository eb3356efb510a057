/**
 * Wire codes an acceptor answers a refused prepare or accept with. They travel in
 * `RejectMessage.code`, so they are strings that never change meaning; a proposer
 * decides what to do from the code alone.
 */
export const REJECT_CODES = {
  /** A higher ballot was promised already; `highest` says which, so the proposer can catch up. */
  conflict: 'ERR_BALLOT_CONFLICT',
  /** The ballot's counter is further above anything this acceptor has seen than `maxBallotJump`. */
  ballotTooFar: 'ERR_BALLOT_TOO_FAR',
  /** The message carries an older configuration epoch than the acceptor knows; `epoch` says which. */
  staleEpoch: 'ERR_STALE_EPOCH',
  /** The acceptor lost its state and has not caught up from a quorum yet, so it may not vote. */
  catchingUp: 'ERR_CATCHING_UP',
  /** The message is malformed (a ballot counter that is not a safe positive integer, say). */
  malformed: 'ERR_MALFORMED',
} as const

export type RejectCode = (typeof REJECT_CODES)[keyof typeof REJECT_CODES]

/**
 * A configuration that no majority can be formed from: no members, or duplicate ids.
 * A caller mistake, so it throws.
 */
export class InvalidConfigurationError extends RangeError {
  static readonly code = 'ERR_INVALID_CONFIGURATION'
  readonly code = InvalidConfigurationError.code
  override readonly name = 'InvalidConfigurationError'
}

/**
 * `Acceptor.catchUp` was handed snapshots from fewer than a majority of the configuration
 * it catches up from; voting on that state could forget a promise. A caller mistake.
 */
export class CatchUpQuorumError extends RangeError {
  static readonly code = 'ERR_CATCH_UP_QUORUM'
  readonly code = CatchUpQuorumError.code
  override readonly name = 'CatchUpQuorumError'
}

/**
 * The ballot counter would pass `Number.MAX_SAFE_INTEGER`; ballots could no longer be
 * ordered exactly. Only reachable if acceptors were configured without a jump bound.
 */
export class BallotExhaustedError extends RangeError {
  static readonly code = 'ERR_BALLOT_EXHAUSTED'
  readonly code = BallotExhaustedError.code
  override readonly name = 'BallotExhaustedError'
}

/** An option outside its documented range (a non-positive count, say). A caller mistake. */
export class InvalidOptionError extends RangeError {
  static readonly code = 'ERR_INVALID_OPTION'
  readonly code = InvalidOptionError.code
  override readonly name = 'InvalidOptionError'
}

/** A lock or register value that does not decode (not written by this package). */
export class CorruptValueError extends TypeError {
  static readonly code = 'ERR_CORRUPT_VALUE'
  readonly code = CorruptValueError.code
  override readonly name = 'CorruptValueError'
}
