import type { RegisterOp, RegisterResult } from '@ringdht/protocol'
import { InvalidInputError } from '../errors.js'
import { LOCK_TTL_LIMITS, REGISTER_OP, type RegisterCall } from './register-ops.js'

/** A grant of a lock: who it was granted to, and its fencing token. */
export interface LockGrant {
  readonly holder: string
  readonly token: number
}

/** A lock as its owner sees it: the holder (undefined: free), the latest token, the lease left. */
export interface LockLeaseState {
  holder: string | undefined
  token: number
  leaseMs: number
}

/** What an acquire attempt found: the lock's state after it, and whether it was granted. */
export interface AcquireAttempt extends LockLeaseState {
  granted: boolean
}

/**
 * One lock, operated by the parts of a grant (holder and token) rather than a handle, and
 * with no timers: for callers that keep the grant between requests themselves, such as
 * the HTTP gateway's clients. Each method is one register operation at the lock's owner,
 * checked there as a handle's would be: renewing or releasing a grant that is not the
 * current one (a stale token, another holder, a lease that ran out) throws
 * LockNotHeldError and changes nothing.
 */
export class LockLease {
  readonly #call: RegisterCall
  readonly #key: Uint8Array

  /** `key` is the lock's register (`lockKey(name)`), not its name. */
  constructor(call: RegisterCall, key: Uint8Array) {
    this.#call = call
    this.#key = key
  }

  /**
   * Ask once for the lock on behalf of `holder`: granted with a new, higher token when it
   * was free; when `holder` already holds it, its lease is extended and the token kept.
   */
  async tryAcquire(holder: string, ttlMs: number, signal?: AbortSignal): Promise<AcquireAttempt> {
    checkHolder(holder)
    checkLockTtl(ttlMs)
    const op = { kind: REGISTER_OP.acquire, holder, ttlMs: BigInt(ttlMs), token: 0n }
    const result = await this.#call(this.#key, op, signal)
    return { granted: result.succeeded, ...stateOf(result) }
  }

  /** Extend the grant's lease to ttlMs from now; answers the lease left, ms. */
  async renew(grant: LockGrant, ttlMs: number, signal?: AbortSignal): Promise<{ leaseMs: number }> {
    checkLockTtl(ttlMs)
    const result = await this.#call(this.#key, grantOp(REGISTER_OP.renew, grant, ttlMs), signal)
    return { leaseMs: Number(result.leaseMs) }
  }

  /** Free the lock: the next grant gets a higher token. */
  async release(grant: LockGrant, signal?: AbortSignal): Promise<void> {
    await this.#call(this.#key, grantOp(REGISTER_OP.release, grant, 0), signal)
  }

  /** Who holds the lock now (by its owner's clock), with the latest token. */
  async state(signal?: AbortSignal): Promise<LockLeaseState> {
    const op = { kind: REGISTER_OP.read, holder: '', ttlMs: 0n, token: 0n }
    return stateOf(await this.#call(this.#key, op, signal))
  }
}

/** Throws InvalidInputError unless `ttlMs` is a lease a lock may ask for. */
export function checkLockTtl(ttlMs: unknown): asserts ttlMs is number {
  if (
    !Number.isInteger(ttlMs) ||
    (ttlMs as number) < LOCK_TTL_LIMITS.minMs ||
    (ttlMs as number) > LOCK_TTL_LIMITS.maxMs
  ) {
    throw new InvalidInputError(
      `ttlMs must be an integer between ${LOCK_TTL_LIMITS.minMs} and ${LOCK_TTL_LIMITS.maxMs}`,
    )
  }
}

function checkHolder(holder: unknown): asserts holder is string {
  if (typeof holder !== 'string' || holder === '') {
    throw new InvalidInputError('holder must be a non-empty string')
  }
}

function grantOp(kind: number, grant: LockGrant, ttlMs: number): RegisterOp {
  checkHolder(grant?.holder)
  if (!Number.isSafeInteger(grant.token) || grant.token < 1) {
    throw new InvalidInputError('token must be a fencing token (a safe integer ≥ 1)')
  }
  return { kind, holder: grant.holder, ttlMs: BigInt(ttlMs), token: BigInt(grant.token) }
}

function stateOf(result: RegisterResult): LockLeaseState {
  return {
    holder: result.holder === '' ? undefined : result.holder,
    token: Number(result.token),
    leaseMs: Number(result.leaseMs),
  }
}
