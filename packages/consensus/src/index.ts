/**
 * @packageDocumentation
 *
 * CASPaxos for ringdht, with no I/O: an acceptor and a proposer as pure state machines
 * (messages in, messages out), joint-quorum membership change, a register API (cas,
 * update, read), lease locks with fencing tokens and the Bully election on top, and a
 * linearizability checker. The deterministic simulator is in `@ringdht/consensus/sim`.
 *
 * @example One round, delivered by hand
 * ```ts
 * import { Acceptor, Proposer, cas, changeOf, resultOf } from '@ringdht/consensus'
 *
 * const acceptors = ['a', 'b', 'c'].map((id) => new Acceptor({ id }))
 * const config = { epoch: 0, members: ['a', 'b', 'c'] }
 * const proposer = new Proposer({ id: 'p1' })
 * const op = cas(undefined, new TextEncoder().encode('hello'))
 * let { step } = proposer.start('key', changeOf(op), config)
 * while (step.outcome === undefined) {
 *   const replies = step.messages.map(({ to, message }) =>
 *     acceptors.find((a) => a.id === to)!.receive(message))
 *   for (const reply of replies) {
 *     const next = proposer.receive(reply)
 *     if (next.messages.length > 0 || next.outcome) step = next
 *   }
 * }
 * resultOf(op, step.outcome) // { succeeded: true, state: { value: …, version: 1 }, … }
 * ```
 */
export { ACCEPTOR_DEFAULTS, Acceptor, type AcceptorInit } from './acceptor.js'
export {
  type AcceptorContext,
  type AcceptorStepResult,
  acceptorStep,
} from './acceptor-step.js'
export {
  type Ballot,
  compareBallots,
  formatBallot,
  isValidCounter,
  maxBallot,
  ZERO_BALLOT,
} from './ballot.js'
export {
  BULLY_DEFAULTS,
  type BullyInit,
  type BullyMessage,
  type BullyMessageType,
  BullyNode,
  type BullyPhase,
} from './bully.js'
export {
  formatHistory,
  formatModelState,
  formatOperation,
  type HistoryEntry,
  INITIAL_MODEL_STATE,
  type ModelOperation,
  type ModelOutput,
  type ModelState,
  stepModel,
} from './checker/history.js'
export {
  CHECK_DEFAULTS,
  type CheckInit,
  type CheckResult,
  checkHistory,
  checkKey,
  type KeyVerdict,
} from './checker/linearizability.js'
export {
  allAcceptors,
  beginChange,
  type Configuration,
  finishChange,
  isQuorum,
  isQuorumImpossible,
  majorityOf,
  quorumSets,
  quorumSizes,
  validateConfiguration,
} from './configuration.js'
export {
  BallotExhaustedError,
  CatchUpQuorumError,
  CorruptValueError,
  InvalidConfigurationError,
  InvalidOptionError,
  REJECT_CODES,
  type RejectCode,
} from './errors.js'
export {
  acquireLock,
  decodeLockState,
  encodeLockState,
  FREE_LOCK,
  isFree,
  isHeldBy,
  type LockRequest,
  type LockState,
  lockOperation,
  releaseLock,
  renewLock,
} from './lock.js'
export type {
  AcceptedMessage,
  AcceptMessage,
  AcceptorReply,
  Outgoing,
  PrepareMessage,
  PromiseMessage,
  ProposerMessage,
  RejectMessage,
} from './messages.js'
export {
  Proposer,
  type ProposerComponents,
  type ProposerInit,
  type RoundHints,
  type RoundOutcome,
  type RoundStep,
} from './proposer.js'
export {
  cas,
  changeOf,
  type RegisterOperation,
  type RegisterResult,
  read,
  resultOf,
  update,
} from './register.js'
export {
  ABSENT,
  bytesEqual,
  type Change,
  formatState,
  formatValue,
  type RegisterState,
  statesEqual,
} from './register-state.js'
export {
  type AcceptorSnapshot,
  EMPTY_KEY_STATE,
  type KeyState,
  mergeKeyStates,
  mergeSnapshots,
} from './snapshot.js'
