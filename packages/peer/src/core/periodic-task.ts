import type { Logger } from 'pino'

/**
 * Runs `run` every `intervalMs` × (1 ± jitter), never two at once. Each run gets a
 * signal that aborts when the task stops; `stop()` waits for the current run to end,
 * so no background work outlives its owner.
 */
export class PeriodicTask {
  readonly #name: string
  readonly #intervalMs: number
  readonly #jitter: number
  readonly #run: (signal: AbortSignal) => Promise<void>
  readonly #logger: Logger
  readonly #controller = new AbortController()
  #timer: NodeJS.Timeout | undefined
  #running: Promise<void> | undefined

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
    const spread = 1 + this.#jitter * (2 * Math.random() - 1)
    this.#timer = setTimeout(() => {
      this.#running ??= this.#once()
      void this.#running.finally(() => this.#schedule())
    }, this.#intervalMs * spread)
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
