import { LockNotHeldError } from '../errors.js'
import type { KeyInput } from '../operations.js'
import type { LockLease } from './lock-lease.js'

export interface LockHandleComponents {
  /** The lock's register operations. */
  lease: LockLease
  /** The lock's name, as the caller gave it. */
  name: KeyInput
  holder: string
  ttlMs: number
}

/**
 * A granted lock. `token` is its fencing token. The lease is renewed every ttlMs / 3
 * (unless `autoRenew` was false); when a renewal is refused, or the lease runs out by
 * this process's clock before a renewal got through, the lock is lost: `lost` turns true
 * and the `onLost` callbacks run once. Losing is a guess made with clocks; the token is
 * what keeps writes safe (a write fenced with a lost token is refused once a newer holder
 * wrote).
 */
export class LockHandle {
  readonly token: number
  readonly holder: string
  /** The lock's name: with `token`, this handle is a fence (`cas(…, { fence: handle })`). */
  readonly lock: KeyInput
  readonly #c: LockHandleComponents
  readonly #listeners: Array<(reason: Error) => void> = []
  #expiresAt: number
  #renewTimer: NodeJS.Timeout | undefined
  #expiryTimer: NodeJS.Timeout | undefined
  #lost: Error | undefined
  #released = false

  constructor(
    components: LockHandleComponents,
    grant: { token: number; leaseMs: number },
    autoRenew: boolean,
  ) {
    this.#c = components
    this.token = grant.token
    this.holder = components.holder
    this.lock = components.name
    this.#expiresAt = Date.now() + grant.leaseMs
    this.#armExpiry()
    if (autoRenew) this.#armRenewal()
  }

  /** True once the lock was lost (or unlocked). */
  get lost(): boolean {
    return this.#lost !== undefined || this.#released
  }

  /** Call `listener` once when the lock is lost (at once if it already was). */
  onLost(listener: (reason: Error) => void): void {
    if (this.#lost !== undefined) listener(this.#lost)
    else this.#listeners.push(listener)
  }

  /** Extend the lease by ttlMs from now. Throws LockNotHeldError (and marks it lost) if gone. */
  async renew(signal?: AbortSignal): Promise<void> {
    if (this.#released) throw new LockNotHeldError('the lock was unlocked')
    try {
      const { leaseMs } = await this.#c.lease.renew(this, this.#c.ttlMs, signal)
      this.#expiresAt = Date.now() + leaseMs
      this.#armExpiry()
    } catch (err) {
      if (err instanceof LockNotHeldError) this.#lose(err)
      throw err
    }
  }

  /** Release the lock: the next grant gets a higher token. Throws LockNotHeldError if it was lost. */
  async unlock(signal?: AbortSignal): Promise<void> {
    this.#stopTimers()
    if (this.#released) return
    this.#released = true
    await this.#c.lease.release(this, signal)
  }

  #armRenewal(): void {
    if (this.lost) return
    this.#renewTimer = setTimeout(() => {
      this.renew().then(
        () => this.#armRenewal(),
        () => {
          // a refused renewal lost the lock; anything else is tried again until the lease ends
          if (!this.lost) this.#armRenewal()
        },
      )
    }, this.#c.ttlMs / 3)
    this.#renewTimer.unref()
  }

  #armExpiry(): void {
    clearTimeout(this.#expiryTimer)
    if (this.lost) return
    this.#expiryTimer = setTimeout(
      () => this.#lose(new LockNotHeldError('the lease ran out before a renewal got through')),
      Math.max(0, this.#expiresAt - Date.now()),
    )
    this.#expiryTimer.unref()
  }

  #lose(reason: Error): void {
    if (this.lost) return
    this.#lost = reason
    this.#stopTimers()
    for (const listener of this.#listeners.splice(0)) listener(reason)
  }

  #stopTimers(): void {
    clearTimeout(this.#renewTimer)
    clearTimeout(this.#expiryTimer)
  }
}
