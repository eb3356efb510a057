/**
 * How many subscribers read one topic at a member, counted from the reads themselves: a
 * subscriber is a caller (its authenticated peer id and the subscription it names, see
 * subscriberKey) that read within the last `windowMs`
 * (live subscribers read at least once per long-poll, far more often than that). A relay
 * reads on behalf of the subscribers it serves and says how many; it counts as that many.
 * Bounded: at most `maxTracked` callers are kept, and a count at the bound is a lower
 * bound, which is all a threshold needs. Pure apart from the injected clock.
 */
export class SubscriberCount {
  readonly #windowMs: number
  readonly #maxTracked: number
  readonly #now: () => number
  /** caller → when it last read and how many subscribers it stands for. */
  readonly #seen = new Map<string, { at: number; weight: number }>()

  constructor(windowMs: number, maxTracked: number, now: () => number = Date.now) {
    this.#windowMs = windowMs
    this.#maxTracked = maxTracked
    this.#now = now
  }

  /** A read from `caller`, standing for `weight` subscribers (1, or a relay's count). */
  saw(caller: string, weight = 1): void {
    const at = this.#now()
    const known = this.#seen.get(caller)
    if (known === undefined && this.#seen.size >= this.#maxTracked) {
      this.#prune(at)
      if (this.#seen.size >= this.#maxTracked) return
    }
    // re-inserted so that the map stays in the order of the last read (oldest first)
    this.#seen.delete(caller)
    this.#seen.set(caller, { at, weight: Math.max(1, weight) })
  }

  /** Subscribers that read within the window. */
  get total(): number {
    this.#prune(this.#now())
    let total = 0
    for (const { weight } of this.#seen.values()) total += weight
    return total
  }

  /** Callers that read within the window (a relay counts once). */
  get callers(): number {
    this.#prune(this.#now())
    return this.#seen.size
  }

  #prune(now: number): void {
    // oldest first: stop at the first caller still inside the window
    for (const [caller, { at }] of this.#seen) {
      if (now - at <= this.#windowMs) break
      this.#seen.delete(caller)
    }
  }
}
