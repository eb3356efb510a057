import { CorruptValueError } from './errors.js'
import { type RegisterOperation, update } from './register.js'

/**
 * A lease lock kept in a register. `token` is the fencing token: it grows by one with
 * every grant (never with a renewal), so a resource that remembers the highest token it
 * has seen can refuse a holder whose lease ran out while it was paused. `leaseExpiresAt`
 * is logical time supplied by callers; safety never depends on it (the register is
 * linearizable and tokens are strictly increasing), only liveness does.
 */
export interface LockState {
  readonly holder: string | undefined
  readonly token: number
  readonly leaseExpiresAt: number
}

export const FREE_LOCK: LockState = Object.freeze({
  holder: undefined,
  token: 0,
  leaseExpiresAt: 0,
})

export interface LockRequest {
  /** Who asks. */
  readonly holder: string
  /** The caller's logical time when it sent the request. */
  readonly now: number
  /** How long a grant or renewal lasts, in the same unit as `now`. */
  readonly leaseDuration: number
}

/** True when nobody holds the lock at `now` (never granted, released, or lease run out). */
export function isFree(state: LockState, now: number): boolean {
  return state.holder === undefined || now >= state.leaseExpiresAt
}

export function isHeldBy(state: LockState, holder: string, now: number): boolean {
  return state.holder === holder && now < state.leaseExpiresAt
}

/**
 * Grants the lock to `request.holder` if it is free (a new, higher token), extends it if
 * that holder already has it (same token), and otherwise leaves it unchanged.
 */
export function acquireLock(state: LockState, request: LockRequest): LockState {
  if (isHeldBy(state, request.holder, request.now)) return renewLock(state, request)
  if (!isFree(state, request.now)) return state
  return {
    holder: request.holder,
    token: state.token + 1,
    leaseExpiresAt: request.now + request.leaseDuration,
  }
}

/** Extends the holder's lease; unchanged if it no longer holds the lock. */
export function renewLock(state: LockState, request: LockRequest): LockState {
  if (!isHeldBy(state, request.holder, request.now)) return state
  return {
    ...state,
    leaseExpiresAt: Math.max(state.leaseExpiresAt, request.now + request.leaseDuration),
  }
}

/** Frees the lock if `holder` holds it with `token`; the token stays, so the next grant is higher. */
export function releaseLock(state: LockState, holder: string, token: number): LockState {
  if (state.holder !== holder || state.token !== token) return state
  return { holder: undefined, token: state.token, leaseExpiresAt: 0 }
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()

export function encodeLockState(state: LockState): Uint8Array {
  return encoder.encode(
    JSON.stringify({ h: state.holder ?? null, t: state.token, e: state.leaseExpiresAt }),
  )
}

/** Decodes a register value; absent means FREE_LOCK. Throws CorruptValueError on foreign bytes. */
export function decodeLockState(value: Uint8Array | undefined): LockState {
  if (value === undefined) return FREE_LOCK
  try {
    const raw = JSON.parse(decoder.decode(value)) as { h: unknown; t: unknown; e: unknown }
    if (
      (raw.h === null || typeof raw.h === 'string') &&
      Number.isSafeInteger(raw.t) &&
      typeof raw.e === 'number'
    ) {
      return { holder: raw.h ?? undefined, token: raw.t as number, leaseExpiresAt: raw.e }
    }
  } catch {
    // fall through to the error below
  }
  throw new CorruptValueError('register value is not a lock state')
}

/** A register operation that applies a lock transition to the stored lock state. */
export function lockOperation(transition: (state: LockState) => LockState): RegisterOperation {
  return update((value) => encodeLockState(transition(decodeLockState(value))))
}
