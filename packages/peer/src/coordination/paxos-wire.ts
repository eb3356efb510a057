import {
  type AcceptorReply,
  type Ballot,
  isValidCounter,
  type KeyState,
  type ProposerMessage,
  type RegisterState,
  ZERO_BALLOT,
} from '@ringdht/consensus'
import type { Paxos, Ballot as WireBallot, RegisterState as WireState } from '@ringdht/protocol'
import { Paxos as PaxosCodec } from '@ringdht/protocol'
import { InvalidInputError } from '../errors.js'

/**
 * The consensus package's messages are plain objects with a string key; on the wire they
 * are the `Paxos` protobuf beside `Request.key` (bytes). Keys become hex strings for the
 * pure proposer and acceptor, so any bytes are a key. Numbers are uint64 on the wire and
 * are checked to be safe integers when they come in.
 */
export const PAXOS_KIND = {
  prepare: 1,
  accept: 2,
  promise: 3,
  accepted: 4,
  reject: 5,
  /** List the keys an acceptor holds in (range_start, range_end] (carrying keys over). */
  keys: 6,
} as const

export function keyString(key: Uint8Array): string {
  return Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('hex')
}

export function keyBytes(key: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(key, 'hex'))
}

function ballotToWire(ballot: Ballot): WireBallot {
  return { counter: BigInt(ballot.counter), proposer: ballot.proposer }
}

/** A ballot from the wire; a counter beyond a safe integer is refused, not rounded. */
function ballotFromWire(ballot: WireBallot | undefined, what: string): Ballot {
  if (ballot === undefined) return ZERO_BALLOT
  const counter = safeNumber(ballot.counter, `${what} counter`)
  return { counter, proposer: ballot.proposer }
}

function stateToWire(state: RegisterState): WireState {
  return {
    ...(state.value === undefined ? {} : { value: state.value as Uint8Array<ArrayBuffer> }),
    version: BigInt(state.version),
  }
}

function stateFromWire(state: WireState | undefined): RegisterState {
  if (state === undefined) return { value: undefined, version: 0 }
  return { value: state.value, version: safeNumber(state.version, 'register version') }
}

/** What a round decided, as a register result carries it when asked (`with_decided`). */
export interface Decided {
  readonly ballot: Ballot
  readonly state: RegisterState
}

export function decidedToWire(decided: Decided): {
  decidedBallot: WireBallot
  decidedState: WireState
} {
  return { decidedBallot: ballotToWire(decided.ballot), decidedState: stateToWire(decided.state) }
}

/** The decided ballot and state of a result; undefined when the owner sent none. */
export function decidedFromWire(result: {
  decidedBallot?: WireBallot
  decidedState?: WireState
}): Decided | undefined {
  if (result.decidedBallot === undefined || result.decidedState === undefined) return undefined
  return {
    ballot: ballotFromWire(result.decidedBallot, 'decided ballot'),
    state: stateFromWire(result.decidedState),
  }
}

export function safeNumber(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new InvalidInputError(`${what} ${value} is beyond the largest safe integer`)
  }
  return Number(value)
}

/** A prepare or accept for the wire. */
export function proposerMessageToWire(message: ProposerMessage): Paxos {
  const base = {
    ballot: ballotToWire(message.ballot),
    epoch: BigInt(message.epoch),
    round: message.round,
    code: '',
    phase: 0,
  }
  if (message.type === 'prepare') return { ...base, kind: PAXOS_KIND.prepare }
  return {
    ...base,
    kind: PAXOS_KIND.accept,
    state: stateToWire(message.state),
    ...(message.promiseNext === undefined
      ? {}
      : { promiseNext: ballotToWire(message.promiseNext) }),
  }
}

/**
 * A prepare or accept from the wire, for `key`. Throws InvalidInputError when it is not
 * one (another kind, no ballot, numbers out of range): the acceptor answers with that
 * error and changes nothing.
 */
export function proposerMessageFromWire(key: string, paxos: Paxos | undefined): ProposerMessage {
  if (paxos === undefined) throw new InvalidInputError('a paxos request needs its message')
  if (paxos.ballot === undefined) throw new InvalidInputError('a paxos message needs a ballot')
  const ballot = ballotFromWire(paxos.ballot, 'ballot')
  if (!isValidCounter(ballot.counter)) {
    throw new InvalidInputError(`ballot counter ${ballot.counter} is not a counter ≥ 1`)
  }
  const epoch = safeNumber(paxos.epoch, 'epoch')
  const base = { key, ballot, epoch, round: paxos.round }
  if (paxos.kind === PAXOS_KIND.prepare) return { type: 'prepare', ...base }
  if (paxos.kind === PAXOS_KIND.accept) {
    if (paxos.state === undefined) throw new InvalidInputError('an accept needs a state')
    return {
      type: 'accept',
      ...base,
      state: stateFromWire(paxos.state),
      promiseNext:
        paxos.promiseNext === undefined
          ? undefined
          : ballotFromWire(paxos.promiseNext, 'promise_next'),
    }
  }
  throw new InvalidInputError(`paxos kind ${paxos.kind} is not a prepare or an accept`)
}

export function replyToWire(reply: AcceptorReply): Paxos {
  const base = { ballot: ballotToWire(reply.ballot), round: reply.round, epoch: 0n }
  switch (reply.type) {
    case 'promise':
      return {
        ...base,
        kind: PAXOS_KIND.promise,
        accepted: ballotToWire(reply.accepted),
        state: stateToWire(reply.state),
        code: '',
        phase: 1,
      }
    case 'accepted':
      return {
        ...base,
        kind: PAXOS_KIND.accepted,
        ...(reply.promisedNext === undefined
          ? {}
          : { promiseNext: ballotToWire(reply.promisedNext) }),
        code: '',
        phase: 2,
      }
    case 'reject':
      return {
        ...base,
        kind: PAXOS_KIND.reject,
        epoch: BigInt(reply.epoch),
        highest: ballotToWire(reply.highest),
        code: reply.code,
        phase: reply.phase,
      }
  }
}

/** An acceptor's answer from the wire; `from` is the peer that answered (authenticated). */
export function replyFromWire(key: string, from: string, paxos: Paxos | undefined): AcceptorReply {
  if (paxos === undefined) throw new InvalidInputError('the acceptor sent no paxos answer')
  const base = { key, ballot: ballotFromWire(paxos.ballot, 'ballot'), round: paxos.round, from }
  switch (paxos.kind) {
    case PAXOS_KIND.promise:
      return {
        type: 'promise',
        ...base,
        accepted: ballotFromWire(paxos.accepted, 'accepted'),
        state: stateFromWire(paxos.state),
      }
    case PAXOS_KIND.accepted:
      return {
        type: 'accepted',
        ...base,
        promisedNext:
          paxos.promiseNext === undefined
            ? undefined
            : ballotFromWire(paxos.promiseNext, 'promised_next'),
      }
    case PAXOS_KIND.reject:
      return {
        type: 'reject',
        ...base,
        phase: paxos.phase === 2 ? 2 : 1,
        code: paxos.code as Extract<AcceptorReply, { type: 'reject' }>['code'],
        highest: ballotFromWire(paxos.highest, 'highest'),
        epoch: safeNumber(paxos.epoch, 'epoch'),
      }
    default:
      throw new InvalidInputError(`paxos kind ${paxos.kind} is not an acceptor's answer`)
  }
}

/** One key's acceptor state as it is kept on disk: the Paxos message, reused. */
export function encodeKeyState(state: KeyState): Uint8Array {
  return PaxosCodec.encode({
    kind: 0,
    round: 0,
    epoch: 0n,
    code: '',
    phase: 0,
    highest: ballotToWire(state.promised),
    accepted: ballotToWire(state.accepted),
    state: stateToWire(state.state),
  })
}

export function decodeKeyState(bytes: Uint8Array): KeyState {
  const paxos = PaxosCodec.decode(bytes)
  return {
    promised: ballotFromWire(paxos.highest, 'promised'),
    accepted: ballotFromWire(paxos.accepted, 'accepted'),
    state: stateFromWire(paxos.state),
  }
}
