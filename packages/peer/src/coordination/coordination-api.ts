import type { RegisterResult } from '@ringdht/protocol'
import { InvalidInputError, LockNotHeldError, RingError } from '../errors.js'
import { type KeyInput, toBytes } from '../operations.js'
import { LockHandle } from './lock-handle.js'
import { checkLockTtl, LockLease, type LockLeaseState } from './lock-lease.js'
import { lockKey, REGISTER_OP, type RegisterCall } from './register-ops.js'

export type { RegisterCall } from './register-ops.js'

export interface RegisterOptions {
  signal?: AbortSignal
}

/** A register's state: its value (undefined: absent) and version (0: never written). */
export interface RegisterValue {
  value: Uint8Array | undefined
  version: number
}

/** What a cas answered: whether the value was the expected one, and the state after it. */
export interface CasResult extends RegisterValue {
  succeeded: boolean
}

export interface CasOptions extends RegisterOptions {
  /**
   * A fence: the write is refused with FencedError when the key has already been written
   * with a higher token, and a write that goes through records its token. Pass the lock
   * handle itself (or `{ lock, token }`): then a token above the lock's latest grant (one
   * "from the future") is refused with InvalidInputError too. A bare token is not checked
   * against any lock. Default: none.
   */
  fence?: number | Fence
}

export interface UpdateOptions extends RegisterOptions {
  /**
   * Read-and-cas attempts while other writers get in between; after the last one, its
   * failed result (`succeeded: false`) is returned. Default 32.
   */
  maxAttempts?: number
}

export interface LockOptions extends RegisterOptions {
  /** The lease, ms: the lock frees itself this long after the last renewal. Required. */
  ttlMs: number
  /** Wait for the lock when another holder has it (default), or fail at once (false). */
  wait?: boolean
  /** Renew the lease every ttlMs / 3 until unlocked or lost. Default true. */
  autoRenew?: boolean
  /** The holder's name (shown to observers). Default: a random id. */
  holder?: string
}

/** How often a waiting `lock` asks again whether the holder released the lock, ms. */
const WAIT_POLL_MS = 200

const EMPTY_LOCK_FIELDS = { holder: '', ttlMs: 0n, token: 0n } as const

/**
 * The coordination API a member (`RingPeer`) and a client (`RingClient`) share: linearizable
 * registers (cas, read, update), fenced locks and lease-based elections. Each method is one
 * or more register operations through `call`; all the consensus runs at the key's owner.
 */
export class Coordination {
  readonly #call: RegisterCall

  constructor(call: RegisterCall) {
    this.#call = call
  }

  /**
   * Set `key` to `next` if it holds `expected` (undefined: absent; `next` undefined
   * deletes). Linearizable. Throws OutcomeUnknownError when it reached some replicas but
   * not a quorum in time.
   */
  async cas(
    key: KeyInput,
    expected: KeyInput | undefined,
    next: KeyInput | undefined,
    options: CasOptions = {},
  ): Promise<CasResult> {
    const { fence, fenceLock } = fenceOf(options.fence)
    const result = await this.#call(
      toBytes(key, 'key'),
      {
        ...EMPTY_LOCK_FIELDS,
        kind: REGISTER_OP.cas,
        token: BigInt(fence),
        ...(fenceLock === undefined ? {} : { fenceLock }),
        ...(expected === undefined ? {} : { expected: bytes(expected, 'expected') }),
        ...(next === undefined ? {} : { next: bytes(next, 'next') }),
      },
      options.signal,
    )
    return { succeeded: result.succeeded, ...registerValueOf(result) }
  }

  /** The value of `key`, linearizable: a full Paxos round, never a stale copy. */
  async read(key: KeyInput, options: RegisterOptions = {}): Promise<RegisterValue> {
    const op = { ...EMPTY_LOCK_FIELDS, kind: REGISTER_OP.read }
    return registerValueOf(await this.#call(toBytes(key, 'key'), op, options.signal))
  }

  /**
   * Replace the value of `key` with `fn(value)`: read, then cas from what was read, again
   * while another writer got in between. `fn` may run several times; it should be pure.
   */
  async update(
    key: KeyInput,
    fn: (value: Uint8Array | undefined) => KeyInput | undefined,
    options: UpdateOptions = {},
  ): Promise<CasResult> {
    if (typeof fn !== 'function') throw new InvalidInputError('update needs a function')
    const attempts = options.maxAttempts ?? 32
    if (!Number.isInteger(attempts) || attempts < 1) {
      throw new InvalidInputError('maxAttempts must be an integer ≥ 1')
    }
    let current = await this.read(key, options)
    for (let attempt = 1; ; attempt++) {
      const result = await this.cas(key, current.value, fn(current.value), options)
      if (result.succeeded || attempt >= attempts) return result
      current = result
    }
  }

  /**
   * Take the lock `name`: resolves with a handle once granted. Its `token` grows with every
   * grant of this lock (never with a renewal): pass it as `fence` to writes so a holder
   * whose lease ran out while it was paused cannot write over a newer holder.
   */
  async lock(name: KeyInput, options: LockOptions): Promise<LockHandle> {
    const ttlMs = options?.ttlMs
    checkLockTtl(ttlMs)
    const holder = options.holder ?? crypto.randomUUID()
    const lease = this.lockLease(name)
    for (;;) {
      options.signal?.throwIfAborted()
      const attempt = await lease.tryAcquire(holder, ttlMs, options.signal)
      if (attempt.granted) {
        return new LockHandle(
          { lease, name, holder, ttlMs },
          { token: attempt.token, leaseMs: attempt.leaseMs },
          options.autoRenew ?? true,
        )
      }
      if (options.wait === false) {
        throw new LockNotHeldError(`the lock is held by ${attempt.holder} (token ${attempt.token})`)
      }
      // wait for the lease to run out, checking now and then for a release (no one is told)
      await delay(Math.min(attempt.leaseMs + 10, WAIT_POLL_MS), options.signal)
    }
  }

  /**
   * The lock `name` operated by the parts of a grant (holder, token) instead of a handle,
   * with no timers: for callers that keep a grant between requests (the HTTP gateway).
   */
  lockLease(name: KeyInput): LockLease {
    return new LockLease(this.#call, lockKey(toBytes(name, 'name')))
  }

  /** The lock the election `name` runs on, the same way: holder = candidate id, token = term. */
  electionLease(name: KeyInput): LockLease {
    return this.lockLease(electionKey(name))
  }

  /**
   * Campaign to lead the election `name` (lease-based, on a lock): resolves once this
   * caller leads. `term` is the lock's fencing token, so terms grow with every leader and
   * fence the writes of a leader that lost its lease. Lead until `resign()`, or until the
   * lease is lost (`onLost`).
   */
  async campaign(name: KeyInput, options: CampaignOptions = {}): Promise<Leadership> {
    const lock = await this.lock(electionKey(name), {
      ttlMs: options.ttlMs ?? 5_000,
      ...(options.id === undefined ? {} : { holder: options.id }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    })
    return {
      id: lock.holder,
      term: lock.token,
      fence: { lock: lock.lock, token: lock.token },
      resign: (signal) => lock.unlock(signal),
      onLost: (listener) => lock.onLost(listener),
      get lost() {
        return lock.lost
      },
    }
  }

  /**
   * The leaders of the election `name` as they change: the current one first (undefined:
   * none), then each change, found by linearizable reads every `intervalMs` (default 250)
   * until `signal` aborts.
   */
  async *observe(name: KeyInput, options: ObserveOptions = {}): AsyncGenerator<LeaderChange> {
    const intervalMs = options.intervalMs ?? 250
    if (!Number.isInteger(intervalMs) || intervalMs < 10) {
      throw new InvalidInputError('intervalMs must be an integer ≥ 10')
    }
    const key = electionKey(name)
    let last: LeaderChange | undefined
    while (!options.signal?.aborted) {
      let state: LockLeaseState | undefined
      try {
        state = await this.lockState(key, options)
      } catch (err) {
        if (options.signal?.aborted) return
        // an unreachable owner for a moment: ask again next time
        if (!(err instanceof RingError) || err instanceof InvalidInputError) throw err
      }
      if (state !== undefined) {
        const change = { leader: state.holder, term: state.token }
        if (last === undefined || last.leader !== change.leader || last.term !== change.term) {
          last = change
          yield change
        }
      }
      try {
        await delay(intervalMs, options.signal)
      } catch {
        return
      }
    }
  }

  /** Who holds the lock `name` now (by its owner's clock), with the latest token. */
  lockState(name: KeyInput, options: RegisterOptions = {}): Promise<LockLeaseState> {
    return this.lockLease(name).state(options.signal)
  }
}

/** A fencing token and the lock that granted it (a `LockHandle` is one). */
export interface Fence {
  readonly lock: KeyInput
  readonly token: number
}

function fenceOf(fence: number | Fence | undefined): {
  fence: number
  fenceLock: Uint8Array<ArrayBuffer> | undefined
} {
  const token = typeof fence === 'object' && fence !== null ? fence.token : (fence ?? 0)
  if (!Number.isSafeInteger(token) || token < 0 || (fence !== undefined && token === 0)) {
    throw new InvalidInputError('fence must be a fencing token (a safe integer ≥ 1)')
  }
  if (typeof fence !== 'object' || fence === null) return { fence: token, fenceLock: undefined }
  return { fence: token, fenceLock: bytes(fence.lock, 'fence.lock') }
}

export interface CampaignOptions extends RegisterOptions {
  /** The leader's lease, ms (see `lock`). Default 5000. */
  ttlMs?: number
  /** This candidate's id, what observers see as the leader. Default: a random id. */
  id?: string
}

/** This caller leads the election, in `term`. */
export interface Leadership {
  readonly id: string
  /** The fencing token of this leadership: higher than every earlier leader's. */
  readonly term: number
  /** The term as a fence for writes (`cas(…, { fence: leadership.fence })`). */
  readonly fence: Fence
  /** True once the leadership was lost or given up. */
  readonly lost: boolean
  /** Step down: the next leader gets a higher term. */
  resign(signal?: AbortSignal): Promise<void>
  /** Call `listener` once when the lease is lost (at once if it already was). */
  onLost(listener: (reason: Error) => void): void
}

export interface ObserveOptions extends RegisterOptions {
  /** How often the leader is read, ms. Default 250. */
  intervalMs?: number
}

/** A leader of an election (undefined: none right now) and its term. */
export interface LeaderChange {
  leader: string | undefined
  term: number
}

const ELECTION_PREFIX = new TextEncoder().encode('\u0000election/')

/** The lock an election runs on: apart from the locks users name. */
function electionKey(name: KeyInput): Uint8Array {
  const bytes = toBytes(name, 'name')
  const key = new Uint8Array(ELECTION_PREFIX.byteLength + bytes.byteLength)
  key.set(ELECTION_PREFIX)
  key.set(bytes, ELECTION_PREFIX.byteLength)
  return key
}

function bytes(input: KeyInput, what: string): Uint8Array<ArrayBuffer> {
  return toBytes(input, what) as Uint8Array<ArrayBuffer>
}

function registerValueOf(result: RegisterResult): RegisterValue {
  return { value: result.value, version: Number(result.version) }
}

/** Resolves after `ms`, or rejects when `signal` aborts. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason)
      return
    }
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
