import type { Logger } from 'pino'
import type { Counters } from '../counters.js'

export interface CatchUpComponents {
  counters: Pick<Counters, 'catchUps'>
  logger: Logger
  /** Compare the primary range with its replicas soon (an anti-entropy pass). */
  repairSoon(): void
  /** Monotonic milliseconds; a test may drive it. */
  now?: () => number
}

export interface CatchUpInit {
  /** How often the pause detector looks at the clock. */
  tickMs: number
  /**
   * A tick this much later than due means the process was stopped (SIGSTOP, a VM
   * suspended, a long stall): long enough for the ring to have written without it.
   */
  pauseMs: number
}

/**
 * Whether this member may count its own copy as the owner's. A member that returns (a
 * join or restart, a new predecessor after a failure or a partition heal, a resume from
 * a pause it noticed) may have missed writes its replicas acknowledged; until one
 * anti-entropy pass that began after the return has compared its whole primary range
 * with every replica, it is "catching up" and its reads wait for R other replicas.
 */
export class CatchUp {
  readonly #c: CatchUpComponents
  readonly #init: CatchUpInit
  readonly #now: () => number
  /** Bumped by every return, so a pass that began before the latest one does not end it. */
  #epoch = 0
  #catchingUp = false
  #timer: NodeJS.Timeout | undefined
  #lastTick = 0
  #resumedAt: number | undefined

  constructor(components: CatchUpComponents, init: CatchUpInit) {
    this.#c = components
    this.#init = init
    this.#now = components.now ?? (() => performance.now())
  }

  get catchingUp(): boolean {
    return this.#catchingUp
  }

  /** This member returned (`reason` is for the log): catch up before counting as owner. */
  begin(reason: string): void {
    this.#epoch++
    if (!this.#catchingUp) {
      this.#catchingUp = true
      this.#c.counters.catchUps++
      this.#c.logger.info({ reason }, 'catching up with the replicas of our range')
    }
    this.#c.repairSoon()
  }

  /** Run one anti-entropy pass; a complete one that began after the latest return ends the catch-up. */
  async pass(run: () => Promise<boolean>): Promise<void> {
    const epoch = this.#epoch
    const complete = await run()
    if (complete && epoch === this.#epoch && this.#catchingUp) {
      this.#catchingUp = false
      this.#c.logger.info('caught up with the replicas of our range')
    }
  }

  /** Watch for pauses: a timer that fires far later than due. */
  start(): void {
    this.#lastTick = this.#now()
    this.#timer = setInterval(() => this.tick(), this.#init.tickMs)
    this.#timer.unref()
  }

  /**
   * One look at the clock: by the timer, and by every request this member serves, since
   * after a pause the requests that queued up meanwhile are read before any timer fires.
   */
  tick(): void {
    if (this.#timer === undefined && this.#lastTick === 0) return
    const now = this.#now()
    const late = now - this.#lastTick - this.#init.tickMs
    this.#lastTick = now
    if (late > this.#init.pauseMs) {
      this.#resumedAt = now
      this.begin(`paused for about ${Math.round(late)} ms`)
    }
  }

  /**
   * True just after a pause: the writes that queued up while this member was stopped
   * were given up by their callers, who may have written the key again since; applying
   * them now, with a fresh version, would undo those newer acknowledged writes.
   */
  justResumed(): boolean {
    if (this.#resumedAt === undefined) return false
    if (this.#now() - this.#resumedAt < this.#init.pauseMs) return true
    this.#resumedAt = undefined
    return false
  }

  stop(): void {
    clearInterval(this.#timer)
  }
}
