export interface PhiAccrualInit {
  /** Samples kept per member. */
  windowSize: number
  /** Floor of the standard deviation, so a very regular member is not suspected after a blip. */
  minStdDevMs: number
  /** A pause this long is tolerated on top of the usual wait (GC, a busy host). */
  acceptablePauseMs: number
}

/**
 * The phi accrual failure detector (Hayashibara et al., as Cassandra and Akka use it),
 * fed by the answers already flowing instead of heartbeats: each sample is how long this
 * member took to answer once we were waiting for it. phi(t) is -log10 of the probability
 * that an answer still comes after waiting t, under a normal fit of the samples; phi 8 is
 * a chance of one in 10^8 of being wrong. It adapts to each member and to the load.
 */
export class PhiAccrual {
  readonly #init: PhiAccrualInit
  readonly #samples: number[] = []
  #sum = 0
  #squares = 0

  constructor(init: PhiAccrualInit) {
    this.#init = init
  }

  get samples(): number {
    return this.#samples.length
  }

  /** An answer came `waitedMs` after we started waiting for one. */
  record(waitedMs: number): void {
    this.#samples.push(waitedMs)
    this.#sum += waitedMs
    this.#squares += waitedMs * waitedMs
    if (this.#samples.length > this.#init.windowSize) {
      const old = this.#samples.shift() as number
      this.#sum -= old
      this.#squares -= old * old
    }
  }

  /** Suspicion after waiting `waitedMs` with no answer; 0 with no samples yet. */
  phi(waitedMs: number): number {
    const count = this.#samples.length
    if (count === 0) return 0
    const mean = this.#sum / count + this.#init.acceptablePauseMs
    const variance = Math.max(0, this.#squares / count - (this.#sum / count) ** 2)
    const stdDev = Math.max(Math.sqrt(variance), this.#init.minStdDevMs)
    // the logistic approximation of the normal tail that Akka uses
    const y = (waitedMs - mean) / stdDev
    const e = Math.exp(-y * (1.5976 + 0.070566 * y * y))
    const tail = waitedMs > mean ? e / (1 + e) : 1 - 1 / (1 + e)
    return -Math.log10(Math.max(tail, Number.MIN_VALUE))
  }
}
