/** Event-loop turns after a pause during which it still counts as just resumed. */
const BACKLOG_TURNS = 4

export interface PauseWatchComponents {
  /** This member's process stood still for about `pausedMs` and runs again. */
  onResume(pausedMs: number): void
  /** Monotonic milliseconds; a test may drive it. */
  now?: () => number
}

export interface PauseWatchInit {
  /** How often the watch looks at the clock. */
  tickMs: number
  /**
   * A tick this much later than due means the process was stopped (SIGSTOP, a VM
   * suspended, a long stall): long enough for the ring to have routed around it.
   */
  pauseMs: number
}

/**
 * Notices that this member's process was paused. A paused member cannot tell by itself
 * that the ring went on without it: its neighbours, its ranges and its caches look as
 * they did. Meanwhile the others may have taken its ranges over and written without it.
 * So capabilities are told (`resumed`) and treat the return like a rejoin.
 */
export class PauseWatch {
  readonly #c: PauseWatchComponents
  readonly #init: PauseWatchInit
  readonly #now: () => number
  #timer: NodeJS.Timeout | undefined
  /** Undefined until started. */
  #lastTick: number | undefined
  #resumedAt: number | undefined
  /** Turns of the event loop still to run before the backlog read after a pause is over. */
  #backlogTurns = 0

  constructor(components: PauseWatchComponents, init: PauseWatchInit) {
    this.#c = components
    this.#init = init
    this.#now = components.now ?? (() => performance.now())
  }

  start(): void {
    this.#lastTick = this.#now()
    this.#timer = setInterval(() => this.tick(), this.#init.tickMs)
    this.#timer.unref()
  }

  stop(): void {
    clearInterval(this.#timer)
  }

  /**
   * One look at the clock: by the timer, and by every request this member serves or
   * makes, since after a pause the requests that queued up meanwhile are read before any
   * timer fires.
   */
  tick(): void {
    if (this.#lastTick === undefined) return
    const now = this.#now()
    const late = now - this.#lastTick - this.#init.tickMs
    this.#lastTick = now
    if (late > this.#init.pauseMs) {
      this.#resumedAt = now
      this.#countBacklogTurns()
      this.#c.onResume(Math.round(late))
    }
  }

  /**
   * The requests that queued up during the pause sit in the sockets' buffers and are read
   * in the first turns of the event loop after it. On a starved machine those turns can
   * take longer than the wall-clock window: the window also lasts this many turns.
   */
  #countBacklogTurns(): void {
    const alreadyCounting = this.#backlogTurns > 0
    this.#backlogTurns = BACKLOG_TURNS
    if (alreadyCounting) return
    const turn = () => {
      this.#backlogTurns--
      if (this.#backlogTurns > 0) setImmediate(turn)
    }
    setImmediate(turn)
  }

  /**
   * True just after a pause: the writes that queued up while this member was stopped
   * were given up by their callers, who may have written the key again since; applying
   * them now, with a fresh version, would undo those newer acknowledged writes.
   */
  justResumed(): boolean {
    if (this.#resumedAt === undefined) return false
    if (this.#backlogTurns > 0 || this.#now() - this.#resumedAt < this.#init.pauseMs) return true
    this.#resumedAt = undefined
    return false
  }
}

/** The watch a member runs: `onResume` gets the pause's length in ms. */
export function memberPauseWatch(
  timers: { stabilizeMs: number; pingTimeoutMs: number },
  onResume: (pausedMs: number) => void,
): PauseWatch {
  // a pause longer than a maintenance ping is long enough for the ring to route around us
  return new PauseWatch(
    { onResume },
    { tickMs: Math.min(250, timers.stabilizeMs), pauseMs: timers.pingTimeoutMs },
  )
}
