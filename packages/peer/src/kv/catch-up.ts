import type { Logger } from 'pino'
import type { Counters } from '../counters.js'

export interface CatchUpComponents {
  counters: Pick<Counters, 'catchUps'>
  logger: Logger
  /** Compare the primary range with its replicas soon (an anti-entropy pass). */
  repairSoon(): void
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
  /** Bumped by every return, so a pass that began before the latest one does not end it. */
  #epoch = 0
  #catchingUp = false

  constructor(components: CatchUpComponents) {
    this.#c = components
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

  /** This member's process was paused for about `pausedMs` (see PauseWatch). */
  resumed(pausedMs: number): void {
    this.begin(`paused for about ${pausedMs} ms`)
  }
}
