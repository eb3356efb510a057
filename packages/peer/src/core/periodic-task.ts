import type { Logger } from 'pino'

/**
 * Runs `run` every `intervalMs` × (1 ± jitter), never two at once. Each run gets a
 * signal that aborts when the task stops; `stop()` waits for the current run to end,
 * so no background work outlives its owner. `hurry()` brings the next run forward to
 * `intervalMs / 16`, and the gap then doubles run by run back to `intervalMs`: a ring
 * that is changing (members starting together, one failing) settles in a few short
 * steps instead of one full period per step, and a ring at rest costs no more.
 */
/** A hurried task's first gap is its interval divided by this. */
const HURRIED_DIVISOR = 16

export class PeriodicTask {
  readonly #name: string
  readonly #intervalMs: number
  readonly #jitter: number
  readonly #run: (signal: AbortSignal) => Promise<void>
  readonly #logger: Logger
  readonly #controller = new AbortController()
  #timer: NodeJS.Timeout | undefined
  #running: Promise<void> | undefined
  /** The gap before the next run: `intervalMs`, or less after `hurry()`. */
  #gapMs: number
  /** When the scheduled run is due (ms, performance.now()). */
  #dueAt = Number.POSITIVE_INFINITY

  constructor(
    name: string,
    intervalMs: number,
    jitter: number,
    run: (signal: AbortSignal) => Promise<void>,
    logger: Logger,
  ) {
    this.#name = name
    this.#intervalMs = intervalMs
    this.#jitter = jitter
    this.#run = run
    this.#logger = logger
    this.#gapMs = intervalMs
  }

  /** Something changed: run again soon, then less and less often (see the class). */
  hurry(): void {
    if (this.#controller.signal.aborted || this.#timer === undefined) return
    const soonMs = Math.max(1, this.#intervalMs / HURRIED_DIVISOR)
    this.#gapMs = soonMs
    if (this.#running !== undefined || this.#dueAt - performance.now() <= soonMs) return
    clearTimeout(this.#timer)
    this.#schedule()
  }

  start(): void {
    this.#schedule()
  }

  /** Run now (unless a run is in progress) and wait for it. */
  async runNow(): Promise<void> {
    if (this.#running === undefined) this.#running = this.#once()
    await this.#running
  }

  async stop(): Promise<void> {
    this.#controller.abort(new Error(`${this.#name} stopped`))
    clearTimeout(this.#timer)
    await this.#running
  }

  #schedule(): void {
    if (this.#controller.signal.aborted) return
    const gap = this.#gapMs
    this.#gapMs = Math.min(this.#intervalMs, gap * 2)
    this.#arm(gap)
  }

  #arm(gapMs: number): void {
    const spread = 1 + this.#jitter * (2 * Math.random() - 1)
    this.#dueAt = performance.now() + gapMs * spread
    this.#timer = setTimeout(() => {
      this.#dueAt = Number.POSITIVE_INFINITY
      this.#running ??= this.#once()
      void this.#running.finally(() => this.#schedule())
    }, gapMs * spread)
  }

  async #once(): Promise<void> {
    try {
      await this.#run(this.#controller.signal)
    } catch (err) {
      if (!this.#controller.signal.aborted)
        this.#logger.debug({ err, task: this.#name }, 'task failed')
    } finally {
      this.#running = undefined
    }
  }
}
