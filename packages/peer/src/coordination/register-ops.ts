import {
  acquireLock,
  bytesEqual,
  type Change,
  decodeLockState,
  encodeLockState,
  FREE_LOCK,
  isHeldBy,
  type LockState,
  type RegisterState,
  releaseLock,
  renewLock,
} from '@ringdht/consensus'
import type { RegisterOp, RegisterResult } from '@ringdht/protocol'
import { FencedError, InvalidInputError, LockNotHeldError } from '../errors.js'
import { safeNumber } from './paxos-wire.js'

/** Send one register operation to the owner of `key` and return its result (or throw). */
export type RegisterCall = (
  key: Uint8Array,
  op: RegisterOp,
  signal: AbortSignal | undefined,
) => Promise<RegisterResult>

/** Leases a lock may ask for, ms: shorter ones expire before a renewal can arrive. */
export const LOCK_TTL_LIMITS = Object.freeze({ minMs: 100, maxMs: 86_400_000 })

/** `RegisterOp.kind` on the wire. */
export const REGISTER_OP = { read: 1, cas: 2, acquire: 3, renew: 4, release: 5 } as const

/**
 * Keys of the coordination keyspace that start with this byte are the library's own
 * (locks, elections): a cas may not write them, so a lock's state only ever changes by
 * the lock transitions, and a user key never collides with one.
 */
export const RESERVED_PREFIX = 0x00

const LOCK_PREFIX = new TextEncoder().encode('\u0000lock/')

/** The register that holds the lock `name`. */
export function lockKey(name: Uint8Array): Uint8Array<ArrayBuffer> {
  const key = new Uint8Array(LOCK_PREFIX.byteLength + name.byteLength)
  key.set(LOCK_PREFIX)
  key.set(name, LOCK_PREFIX.byteLength)
  return key
}

function isLockKey(key: Uint8Array): boolean {
  return key.byteLength > LOCK_PREFIX.byteLength && LOCK_PREFIX.every((b, i) => key[i] === b)
}

/**
 * What a register holds, inside the bytes its acceptors keep: the user's value and the
 * highest fencing token a fenced write brought. Format: byte 1, the fence as a float64,
 * a byte saying whether a value follows, the value. Absent with no fence: no bytes at all.
 */
interface Envelope {
  readonly value: Uint8Array | undefined
  readonly fence: number
}

const FORMAT = 1
const HEADER = 10

export function openEnvelope(bytes: Uint8Array | undefined): Envelope {
  if (bytes === undefined) return { value: undefined, fence: 0 }
  if (bytes.byteLength < HEADER || bytes[0] !== FORMAT) {
    throw new InvalidInputError('the register holds bytes this version cannot read')
  }
  const fence = new DataView(bytes.buffer, bytes.byteOffset + 1, 8).getFloat64(0)
  return { value: bytes[9] === 1 ? bytes.subarray(HEADER) : undefined, fence }
}

export function sealEnvelope(envelope: Envelope): Uint8Array | undefined {
  if (envelope.value === undefined && envelope.fence === 0) return undefined
  const value = envelope.value ?? new Uint8Array(0)
  const bytes = new Uint8Array(HEADER + value.byteLength)
  bytes[0] = FORMAT
  new DataView(bytes.buffer).setFloat64(1, envelope.fence)
  bytes[9] = envelope.value === undefined ? 0 : 1
  bytes.set(value, HEADER)
  return bytes
}

/**
 * One operation as the proposer runs it: the change function for the round, and how to
 * read the decided round's states as the answer (which may be an error: a stale fence, a
 * lock the caller does not hold). `now` is the owner's clock when the change ran: lock
 * leases are measured by the owner's clock; tokens, not leases, keep writes safe.
 */
export interface PreparedOp {
  readonly change: Change
  /** Repeating the change after an unknown outcome answers the same (reads, locks). */
  readonly retryable: boolean
  result(previous: RegisterState, next: RegisterState): RegisterResult
}

/** Check an operation from the wire against its key, and prepare it. Throws InvalidInputError. */
export function prepareOp(
  key: Uint8Array,
  op: RegisterOp | undefined,
  now: () => number,
): PreparedOp {
  if (op === undefined) throw new InvalidInputError('a register request needs its operation')
  switch (op.kind) {
    case REGISTER_OP.read:
      if (isLockKey(key)) {
        // a lock's holder and lease, by the owner's clock (observers' clocks may differ)
        return {
          change: (c) => c,
          retryable: true,
          result: (_p, n) => {
            const state = lockStateOf(openEnvelope(n.value).value)
            return { ...lockResult(state, now(), true), version: BigInt(n.version) }
          },
        }
      }
      return { change: (c) => c, retryable: true, result: (_p, n) => valueResult(n, true) }
    case REGISTER_OP.cas:
      if (op.token === 0n && key[0] === RESERVED_PREFIX) {
        throw new InvalidInputError('keys starting with a zero byte are reserved for locks')
      }
      return prepareCas(op, safeNumber(op.token, 'fence'))
    case REGISTER_OP.acquire:
    case REGISTER_OP.renew:
    case REGISTER_OP.release:
      if (!isLockKey(key)) throw new InvalidInputError('lock operations are for lock keys only')
      return prepareLock(op, now)
    default:
      throw new InvalidInputError(`register operation ${op.kind} is not one this peer knows`)
  }
}

function valueResult(state: RegisterState, succeeded: boolean): RegisterResult {
  const envelope = openEnvelope(state.value)
  return {
    succeeded,
    ...(envelope.value === undefined ? {} : { value: envelope.value as Uint8Array<ArrayBuffer> }),
    version: BigInt(state.version),
    token: BigInt(envelope.fence),
    leaseMs: 0n,
    holder: '',
  }
}

function prepareCas(op: RegisterOp, fence: number): PreparedOp {
  const fenced = (envelope: Envelope) => fence > 0 && fence < envelope.fence
  return {
    change: (current) => {
      const envelope = openEnvelope(current.value)
      if (fenced(envelope) || !bytesEqual(envelope.value, op.expected)) return current
      const value = sealEnvelope({ value: op.next, fence: Math.max(fence, envelope.fence) })
      return { value, version: current.version + 1 }
    },
    retryable: false,
    result: (previous, next) => {
      const before = openEnvelope(previous.value)
      if (fenced(before)) {
        throw new FencedError(
          `fencing token ${fence} is below ${before.fence}, the highest this key has seen; nothing changed`,
        )
      }
      return valueResult(next, bytesEqual(before.value, op.expected))
    },
  }
}

function prepareLock(op: RegisterOp, now: () => number): PreparedOp {
  if (op.holder === '') throw new InvalidInputError('a lock operation needs a holder')
  const token = safeNumber(op.token, 'token')
  const leaseDuration = safeNumber(op.ttlMs, 'ttl')
  if (
    op.kind !== REGISTER_OP.release &&
    !(leaseDuration >= LOCK_TTL_LIMITS.minMs && leaseDuration <= LOCK_TTL_LIMITS.maxMs)
  ) {
    throw new InvalidInputError(
      `ttlMs must be between ${LOCK_TTL_LIMITS.minMs} and ${LOCK_TTL_LIMITS.maxMs}, got ${leaseDuration}`,
    )
  }
  let at = 0
  const transition = (state: LockState): LockState => {
    const request = { holder: op.holder, now: at, leaseDuration }
    if (op.kind === REGISTER_OP.acquire) return acquireLock(state, request)
    if (state.token !== token) return state
    return op.kind === REGISTER_OP.renew
      ? renewLock(state, request)
      : releaseLock(state, op.holder, token)
  }
  return {
    change: (current) => {
      at = now()
      const envelope = openEnvelope(current.value)
      const state = decodeLockState(envelope.value)
      const next = transition(state)
      if (next === state) return current
      return {
        value: sealEnvelope({ value: encodeLockState(next), fence: 0 }),
        version: current.version + 1,
      }
    },
    retryable: true,
    result: (previous, next) => {
      const before = decodeLockState(openEnvelope(previous.value).value)
      const after = decodeLockState(openEnvelope(next.value).value)
      let succeeded: boolean
      if (op.kind === REGISTER_OP.release) {
        // released now, or by an earlier try of this same release whose answer was lost
        // (only the holder of `token` frees a lock and leaves `token` in place)
        succeeded =
          before.token === token && (before.holder === op.holder || before.holder === undefined)
      } else {
        succeeded =
          isHeldBy(after, op.holder, at) &&
          (op.kind === REGISTER_OP.acquire || after.token === token)
      }
      if (!succeeded && op.kind !== REGISTER_OP.acquire) {
        throw new LockNotHeldError(
          `${op.holder} does not hold this lock with token ${token} (its token is ${after.token}${after.holder === undefined ? ', and it is free' : ''})`,
        )
      }
      return lockResult(after, at, succeeded)
    },
  }
}

function lockResult(state: LockState, now: number, succeeded: boolean): RegisterResult {
  const held = state.holder !== undefined && now < state.leaseExpiresAt
  return {
    succeeded,
    version: 0n,
    token: BigInt(state.token),
    leaseMs: held ? BigInt(Math.max(0, Math.ceil(state.leaseExpiresAt - now))) : 0n,
    holder: held ? (state.holder ?? '') : '',
  }
}

/** The lock state a register result reports (for `observe`). */
export function lockStateOf(value: Uint8Array | undefined): LockState {
  try {
    return decodeLockState(value)
  } catch {
    return FREE_LOCK
  }
}
