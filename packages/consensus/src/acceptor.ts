import { type Ballot, compareBallots, isValidCounter, ZERO_BALLOT } from './ballot.js'
import { type Configuration, isQuorum } from './configuration.js'
import { CatchUpQuorumError, InvalidOptionError, REJECT_CODES, type RejectCode } from './errors.js'
import type {
  AcceptedMessage,
  AcceptMessage,
  AcceptorReply,
  PrepareMessage,
  PromiseMessage,
  ProposerMessage,
  RejectMessage,
} from './messages.js'
import {
  type AcceptorSnapshot,
  EMPTY_KEY_STATE,
  type KeyState,
  mergeKeyStates,
  mergeSnapshots,
} from './snapshot.js'

export interface AcceptorInit {
  /** This acceptor's id, as it appears in configurations. Required. */
  id: string
  /**
   * How far above the highest counter this acceptor has seen (on any key) a prepare's
   * ballot counter may be. Default 2^20. Bounds how fast a buggy or corrupted proposer
   * can push ballots toward `Number.MAX_SAFE_INTEGER` (about 2^33 rounds at this bound).
   */
  maxBallotJump?: number
  /**
   * True for an acceptor that starts without its state (a wiped disk): it refuses to vote
   * until `catchUp` merged snapshots from a majority. Default false.
   */
  catchingUp?: boolean
  /** The configuration epoch it starts at. Default 0. */
  epoch?: number
}

export const ACCEPTOR_DEFAULTS = { maxBallotJump: 2 ** 20, catchingUp: false, epoch: 0 } as const

/**
 * A CASPaxos acceptor for any number of keys: a pure state machine. `receive` takes a
 * prepare or accept and returns the answer; nothing else happens, so the caller decides
 * when (and whether) state is made durable before the answer is sent.
 */
export class Acceptor {
  readonly id: string
  readonly #maxBallotJump: number
  readonly #keys = new Map<string, KeyState>()
  #epoch: number
  #highestCounter = 0
  #catchingUp: boolean

  constructor(init: AcceptorInit) {
    this.id = init.id
    this.#maxBallotJump = init.maxBallotJump ?? ACCEPTOR_DEFAULTS.maxBallotJump
    if (!Number.isSafeInteger(this.#maxBallotJump) || this.#maxBallotJump < 1) {
      throw new InvalidOptionError(`maxBallotJump must be a safe integer ≥ 1`)
    }
    this.#epoch = init.epoch ?? ACCEPTOR_DEFAULTS.epoch
    this.#catchingUp = init.catchingUp ?? ACCEPTOR_DEFAULTS.catchingUp
  }

  get epoch(): number {
    return this.#epoch
  }

  get catchingUp(): boolean {
    return this.#catchingUp
  }

  /** The state of one key (EMPTY_KEY_STATE if never touched). */
  keyState(key: string): KeyState {
    return this.#keys.get(key) ?? EMPTY_KEY_STATE
  }

  receive(message: ProposerMessage): AcceptorReply {
    const refusal = this.#refusal(message)
    if (refusal !== undefined) return this.#reject(message, refusal)
    return message.type === 'prepare' ? this.#prepare(message) : this.#accept(message)
  }

  /**
   * Raises the configuration epoch (never lowers it) and returns the state, atomically:
   * after this, messages from older epochs are refused. A reconfiguration takes its
   * state-transfer snapshots this way so nothing accepted under the old epoch is missed.
   */
  fenceAndSnapshot(epoch: number): AcceptorSnapshot {
    this.#epoch = Math.max(this.#epoch, epoch)
    return this.snapshot()
  }

  snapshot(): AcceptorSnapshot {
    return { epoch: this.#epoch, highestCounter: this.#highestCounter, keys: [...this.#keys] }
  }

  /** Merges a snapshot into this acceptor's state; never lowers a ballot or the epoch. */
  restore(snapshot: AcceptorSnapshot): void {
    this.#epoch = Math.max(this.#epoch, snapshot.epoch)
    this.#highestCounter = Math.max(this.#highestCounter, snapshot.highestCounter)
    for (const [key, state] of snapshot.keys) {
      this.#keys.set(key, mergeKeyStates(this.keyState(key), state))
    }
  }

  /**
   * Ends catching up: merges snapshots taken (with `fenceAndSnapshot`) from a majority of
   * every replica set of `from`, then votes again. Throws CatchUpQuorumError otherwise.
   */
  catchUp(snapshots: ReadonlyMap<string, AcceptorSnapshot>, from: Configuration): void {
    if (!isQuorum(from, new Set(snapshots.keys()))) {
      throw new CatchUpQuorumError(
        `snapshots from [${[...snapshots.keys()].join(', ')}] are not a quorum of epoch ${from.epoch}`,
      )
    }
    this.restore(mergeSnapshots([...snapshots.values()]))
    this.#catchingUp = false
  }

  #refusal(message: ProposerMessage): RejectCode | undefined {
    if (!isValidCounter(message.ballot?.counter) || typeof message.ballot.proposer !== 'string') {
      return REJECT_CODES.malformed
    }
    if (this.#catchingUp) return REJECT_CODES.catchingUp
    if (message.epoch < this.#epoch) return REJECT_CODES.staleEpoch
    const promised = this.keyState(message.key).promised
    const compared = compareBallots(message.ballot, promised)
    // An accept needs ballot ≥ promised; a prepare too (equal: a duplicate, answered again).
    if (compared < 0) return REJECT_CODES.conflict
    const seen = Math.max(this.#highestCounter, promised.counter)
    if (message.type === 'prepare' && message.ballot.counter - seen > this.#maxBallotJump) {
      return REJECT_CODES.ballotTooFar
    }
    return undefined
  }

  #prepare(message: PrepareMessage): PromiseMessage {
    const current = this.#observe(message)
    const next = { ...current, promised: message.ballot }
    this.#keys.set(message.key, next)
    return {
      type: 'promise',
      key: message.key,
      ballot: message.ballot,
      round: message.round,
      from: this.id,
      accepted: next.accepted,
      state: next.state,
    }
  }

  #accept(message: AcceptMessage): AcceptedMessage {
    this.#observe(message)
    const ballot: Ballot = message.ballot
    const next = message.promiseNext
    // As if prepare(promiseNext) arrived right after this accept: a valid Paxos sequence.
    // Only the same proposer's very next counter, so it is a bounded step.
    const promisedNext =
      next !== undefined &&
      next.proposer === ballot.proposer &&
      next.counter === ballot.counter + 1 &&
      isValidCounter(next.counter)
        ? next
        : undefined
    this.#keys.set(message.key, {
      promised: promisedNext ?? ballot,
      accepted: ballot,
      state: message.state,
    })
    return {
      type: 'accepted',
      key: message.key,
      ballot,
      round: message.round,
      from: this.id,
      promisedNext,
    }
  }

  #observe(message: ProposerMessage): KeyState {
    this.#epoch = Math.max(this.#epoch, message.epoch)
    this.#highestCounter = Math.max(this.#highestCounter, message.ballot.counter)
    return this.keyState(message.key)
  }

  #reject(message: ProposerMessage, code: RejectCode): RejectMessage {
    return {
      type: 'reject',
      phase: message.type === 'prepare' ? 1 : 2,
      key: message.key,
      ballot: message.ballot ?? ZERO_BALLOT,
      round: message.round,
      from: this.id,
      code,
      highest: this.keyState(message.key).promised,
      epoch: this.#epoch,
    }
  }
}
