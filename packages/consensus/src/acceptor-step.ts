import { type Ballot, compareBallots, isValidCounter, ZERO_BALLOT } from './ballot.js'
import { REJECT_CODES, type RejectCode } from './errors.js'
import type { AcceptMessage, AcceptorReply, PrepareMessage, ProposerMessage } from './messages.js'
import type { KeyState } from './snapshot.js'

/** What an acceptor knows besides the key's own state. */
export interface AcceptorContext {
  readonly id: string
  /** The configuration epoch it has seen; older messages are refused. */
  readonly epoch: number
  /** The highest ballot counter it has seen on any key (bounds ballots from the future). */
  readonly highestCounter: number
  /** True while it lost its state and has not caught up: it refuses everything. */
  readonly catchingUp: boolean
  readonly maxBallotJump: number
}

export interface AcceptorStepResult {
  readonly reply: AcceptorReply
  /** The key's new state, or undefined when unchanged. Persist it before sending `reply`. */
  readonly keyState: KeyState | undefined
  /** The context's new epoch and highest counter (never lower than before). */
  readonly epoch: number
  readonly highestCounter: number
}

/**
 * One acceptor step for one key, as a pure function: the key's state and a prepare or
 * accept in; the answer, the key's next state and the context's next figures out. The
 * `Acceptor` class keeps these in memory; a node that keeps key states in a store can call
 * this directly (load the key's state, step, persist the result, then answer).
 */
export function acceptorStep(
  current: KeyState,
  message: ProposerMessage,
  context: AcceptorContext,
): AcceptorStepResult {
  const code = refusal(current, message, context)
  if (code !== undefined) {
    return {
      reply: {
        type: 'reject',
        phase: message.type === 'prepare' ? 1 : 2,
        key: message.key,
        ballot: message.ballot ?? ZERO_BALLOT,
        round: message.round,
        from: context.id,
        code,
        highest: current.promised,
        epoch: context.epoch,
      },
      keyState: undefined,
      epoch: context.epoch,
      highestCounter: context.highestCounter,
    }
  }
  const step =
    message.type === 'prepare' ? prepare(current, message, context) : accept(message, context)
  return {
    ...step,
    epoch: Math.max(context.epoch, message.epoch),
    highestCounter: Math.max(context.highestCounter, message.ballot.counter),
  }
}

function refusal(
  current: KeyState,
  message: ProposerMessage,
  context: AcceptorContext,
): RejectCode | undefined {
  if (!isValidCounter(message.ballot?.counter) || typeof message.ballot.proposer !== 'string') {
    return REJECT_CODES.malformed
  }
  if (context.catchingUp) return REJECT_CODES.catchingUp
  if (message.epoch < context.epoch) return REJECT_CODES.staleEpoch
  // An accept needs ballot ≥ promised. A prepare needs ballot > promised: each ballot is
  // promised at most once, so a proposer that restarted without its counters and picks a
  // ballot its earlier self used (or had promised by an accept's `promiseNext`) can never
  // gather a quorum for it, and two values can never be accepted at one ballot. (A
  // duplicated prepare is refused too; the proposer ignores that refusal.)
  const order = compareBallots(message.ballot, current.promised)
  if (order < 0 || (order === 0 && message.type === 'prepare')) return REJECT_CODES.conflict
  const seen = Math.max(context.highestCounter, current.promised.counter)
  if (message.type === 'prepare' && message.ballot.counter - seen > context.maxBallotJump) {
    return REJECT_CODES.ballotTooFar
  }
  return undefined
}

function prepare(
  current: KeyState,
  message: PrepareMessage,
  context: AcceptorContext,
): Pick<AcceptorStepResult, 'reply' | 'keyState'> {
  const keyState = { ...current, promised: message.ballot }
  return {
    reply: {
      type: 'promise',
      key: message.key,
      ballot: message.ballot,
      round: message.round,
      from: context.id,
      accepted: keyState.accepted,
      state: keyState.state,
    },
    keyState,
  }
}

function accept(
  message: AcceptMessage,
  context: AcceptorContext,
): Pick<AcceptorStepResult, 'reply' | 'keyState'> {
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
  return {
    reply: {
      type: 'accepted',
      key: message.key,
      ballot,
      round: message.round,
      from: context.id,
      promisedNext,
    },
    keyState: { promised: promisedNext ?? ballot, accepted: ballot, state: message.state },
  }
}
