/**
 * The broker-kill case, in the client process: tasks enqueued at a steady pace while 4
 * workers run them; the driver SIGKILLs the broker (redis-server; the queue's home daemon)
 * in the middle and, for Redis, starts it again. A failed enqueue is retried with the same
 * id (BullMQ's jobId, ringdht's dedupeId), as a careful producer would, until it is
 * acknowledged or its own deadline passes. At the end, every acknowledged task that never
 * ran to completion within the bounded wait is lost; a task that started twice is a
 * duplicate.
 */
import { setTimeout as delay } from 'node:timers/promises'
import {
  type BackendWorker,
  type QueueBackend,
  type QueueSettings,
  startWorkers,
  TaskLedger,
  taskId,
  type WorkerSpec,
} from './queue-workload.js'

export interface KillCaseArgs {
  queue: string
  tasks: number
  paceMs: number
  workers: WorkerSpec[]
  settings: QueueSettings
  /** One enqueue attempt's timeout, ms. */
  attemptTimeoutMs: number
  /** An enqueue not acknowledged by then, retries included, is given up (not acknowledged). */
  enqueueDeadlineMs: number
}

export interface KillProgress {
  enqueued: number
  finished: number
}

export interface KillCaseResult {
  tasks: number
  /** Enqueues the system acknowledged (after retries). */
  acknowledged: number
  /** Enqueues given up at their deadline: never acknowledged, so not counted as lost. */
  givenUp: number
  /** Enqueue attempts that failed and were retried. */
  retriedAttempts: number
  /** Acknowledged tasks whose handler finished at least once. */
  completed: number
  /** Acknowledged tasks that never finished within the bounded wait. */
  lost: number
  lostSample: string[]
  /** Tasks whose handler started more than once. */
  duplicates: number
  /** Longest enqueue, retries included: how long producers were held up. */
  maxEnqueueMs: number
  /** From the end of the enqueues to the last handler that finished. */
  drainMs: number
  /** The broker's counts of the queue at the end (the new home's; the restarted Redis'). */
  brokerCounts: Record<string, number> | string
  errorSamples: string[]
}

export class KillCase {
  private readonly ledger = new TaskLedger()
  private workers: BackendWorker[] = []
  private producing: Promise<void> = Promise.resolve()
  private retried = 0
  private givenUp = 0
  private maxEnqueueMs = 0

  constructor(
    private readonly backend: QueueBackend,
    private readonly args: KillCaseArgs,
  ) {}

  async start(): Promise<void> {
    await this.backend.prepare(this.args.queue, this.args.settings)
    this.workers = await startWorkers(this.backend, this.args.queue, this.args.workers, this.ledger)
    this.producing = this.produce()
  }

  progress(): KillProgress {
    let finished = 0
    for (const id of this.ledger.acknowledged) if (this.ledger.finished.has(id)) finished++
    return { enqueued: this.ledger.acknowledged.size, finished }
  }

  private async enqueueUntilAcknowledged(id: string): Promise<void> {
    const started = performance.now()
    const deadline = started + this.args.enqueueDeadlineMs
    this.ledger.enqueuedAt.set(id, started)
    for (;;) {
      const left = deadline - performance.now()
      if (left <= 0) {
        this.givenUp++
        return
      }
      try {
        // AbortSignal.timeout takes whole ms only (a fraction throws, and the attempt was lost)
        const timeout = Math.ceil(Math.min(this.args.attemptTimeoutMs, left))
        await this.backend.enqueue(this.args.queue, id, AbortSignal.timeout(timeout))
        this.ledger.acknowledged.add(id)
        this.maxEnqueueMs = Math.max(this.maxEnqueueMs, performance.now() - started)
        return
      } catch (err) {
        this.retried++
        this.ledger.noteError(err)
        await delay(50)
      }
    }
  }

  private async produce(): Promise<void> {
    const started = performance.now()
    const inFlight: Promise<void>[] = []
    for (let i = 0; i < this.args.tasks; i++) {
      inFlight.push(this.enqueueUntilAcknowledged(taskId(this.args.queue, i)))
      const wait = started + (i + 1) * this.args.paceMs - performance.now()
      if (wait > 0) await delay(wait)
    }
    await Promise.all(inFlight)
  }

  /** Waits for the enqueues, then until every acknowledged task finished or `waitMs` passed. */
  async finish(waitMs: number): Promise<KillCaseResult> {
    try {
      await this.producing
      const drainStarted = performance.now()
      const deadline = drainStarted + waitMs
      for (;;) {
        const { enqueued, finished } = this.progress()
        if (finished >= enqueued || performance.now() >= deadline) break
        await delay(10)
      }
      const drainMs = Math.max(0, this.ledger.lastFinishAt - drainStarted)
      const ledger = this.ledger
      const brokerCounts = await this.backend
        .counts(this.args.queue)
        .catch((err: Error) => `unavailable: ${err.message}`)
      const lost = [...ledger.acknowledged].filter((id) => !ledger.finished.has(id))
      return {
        tasks: this.args.tasks,
        acknowledged: ledger.acknowledged.size,
        givenUp: this.givenUp,
        retriedAttempts: this.retried,
        completed: ledger.acknowledged.size - lost.length,
        lost: lost.length,
        lostSample: lost.slice(0, 5),
        duplicates: ledger.duplicates,
        maxEnqueueMs: this.maxEnqueueMs,
        drainMs,
        brokerCounts,
        errorSamples: [...ledger.errors],
      }
    } finally {
      await Promise.all(this.workers.map((w) => w.stop().catch(() => {})))
    }
  }
}
