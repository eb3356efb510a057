import { acceptorStep } from './acceptor-step.js'
import { type Configuration, isQuorum } from './configuration.js'
import { CatchUpQuorumError, InvalidOptionError } from './errors.js'
import type { AcceptorReply, ProposerMessage } from './messages.js'
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

  /** Answers a prepare or accept; the key's state is updated before the answer is returned. */
  receive(message: ProposerMessage): AcceptorReply {
    const step = acceptorStep(this.keyState(message.key), message, {
      id: this.id,
      epoch: this.#epoch,
      highestCounter: this.#highestCounter,
      catchingUp: this.#catchingUp,
      maxBallotJump: this.#maxBallotJump,
    })
    if (step.keyState !== undefined) this.#keys.set(message.key, step.keyState)
    this.#epoch = step.epoch
    this.#highestCounter = step.highestCounter
    return step.reply
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
}
