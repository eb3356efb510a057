/**
 * What the two queue clients (ringdht and BullMQ, each a child process) run, written once
 * against {@link QueueBackend} so that only enqueue and work differ between the systems.
 * The producer and the 4 workers live in the client process, each worker on its own
 * connection to the system (a ringdht client, a BullMQ Worker with its ioredis
 * connections); a task's payload is its id, and the handler notes when it starts and ends.
 */
import { setTimeout as delay } from 'node:timers/promises'
import { summarizeLatencies } from '../stats.js'

export type QueuePolicy = 'round-robin' | 'least-loaded'

export interface WorkerSpec {
  name: string
  /** Tasks it runs at once. */
  concurrency: number
  /** ringdht least-loaded: its declared speed (default its concurrency). BullMQ ignores it. */
  capacity?: number
  /** How long its handler takes, ms (0: returns at once). */
  handlerMs: number
}

/** One worker a backend started; `acked` counts tasks whose ack the system confirmed. */
export interface BackendWorker {
  acked(): number
  stop(): Promise<void>
}

export interface QueueSettings {
  policy?: QueuePolicy
  leaseMs?: number
}

/** The part of a client process that differs between ringdht and BullMQ. */
export interface QueueBackend {
  prepare(queue: string, settings: QueueSettings): Promise<void>
  /** Resolves once the system acknowledged the task; `id` also serves as its dedupe id. */
  enqueue(queue: string, id: string, signal: AbortSignal): Promise<void>
  startWorker(
    queue: string,
    spec: WorkerSpec,
    handler: (id: string) => Promise<void>,
  ): Promise<BackendWorker>
  /** The broker's own counts of the queue (ringdht: queue stats; BullMQ: job counts). */
  counts(queue: string): Promise<Record<string, number>>
}

export interface QueueCaseArgs {
  queue: string
  tasks: number
  workers: WorkerSpec[]
  settings: QueueSettings
  /** Enqueues in flight at once (ignored when `paceMs` is set). */
  enqueueConcurrency: number
  /** Start one enqueue every `paceMs` instead, whatever is in flight. */
  paceMs?: number
  /** The case ends then, acked or not. */
  timeLimitMs: number
  enqueueTimeoutMs: number
}

export interface QueueCaseResult {
  tasks: number
  /** Enqueues the system acknowledged. */
  enqueued: number
  enqueueFailures: number
  /** Acks the system confirmed to the workers. */
  acked: number
  /** First enqueue to the last ack (or to the time limit). */
  elapsedMs: number
  tasksPerSec: number
  /** From the call to enqueue to the handler's start, first run of each task. */
  startLatencyMs: { p50: number; p99: number; max: number }
  /** Tasks whose handler finished, per worker name. */
  perWorker: Record<string, number>
  /** Tasks whose handler started more than once. */
  duplicates: number
  errorSamples: string[]
}

/** Per-task bookkeeping of one case, shared by the producer and the handlers. */
export class TaskLedger {
  readonly enqueuedAt = new Map<string, number>()
  readonly acknowledged = new Set<string>()
  readonly starts = new Map<string, number>()
  readonly finished = new Map<string, number>()
  readonly firstStart = new Map<string, number>()
  readonly perWorker: Record<string, number> = {}
  readonly errors = new Set<string>()
  enqueueFailures = 0
  /** When a handler last finished (performance.now()). */
  lastFinishAt = 0

  handler(spec: WorkerSpec): (id: string) => Promise<void> {
    this.perWorker[spec.name] = 0
    return async (id) => {
      const now = performance.now()
      this.starts.set(id, (this.starts.get(id) ?? 0) + 1)
      if (!this.firstStart.has(id)) this.firstStart.set(id, now)
      if (spec.handlerMs > 0) await delay(spec.handlerMs)
      this.finished.set(id, (this.finished.get(id) ?? 0) + 1)
      this.lastFinishAt = performance.now()
      this.perWorker[spec.name] = (this.perWorker[spec.name] ?? 0) + 1
    }
  }

  noteError(err: unknown): void {
    if (this.errors.size < 5) this.errors.add(err instanceof Error ? err.message : String(err))
  }

  get duplicates(): number {
    let count = 0
    for (const runs of this.starts.values()) if (runs > 1) count++
    return count
  }

  startLatency(): QueueCaseResult['startLatencyMs'] {
    const waits: number[] = []
    for (const [id, started] of this.firstStart) {
      const at = this.enqueuedAt.get(id)
      if (at !== undefined) waits.push(started - at)
    }
    const summary = summarizeLatencies(waits)
    return { p50: summary.p50, p99: summary.p99, max: summary.max }
  }
}

/** A task's id and payload; no `:`, which BullMQ refuses in a job id. */
export const taskId = (queue: string, index: number) => `${queue}.${index}`

/** Starts every worker and waits until each has joined. */
export async function startWorkers(
  backend: QueueBackend,
  queue: string,
  specs: WorkerSpec[],
  ledger: TaskLedger,
): Promise<BackendWorker[]> {
  const workers: BackendWorker[] = []
  try {
    for (const spec of specs) {
      workers.push(await backend.startWorker(queue, spec, ledger.handler(spec)))
    }
    return workers
  } catch (err) {
    await Promise.all(workers.map((w) => w.stop().catch(() => {})))
    throw err
  }
}

const ackedBy = (workers: BackendWorker[]) => workers.reduce((sum, w) => sum + w.acked(), 0)

/** Enqueues `count` tasks, at most `concurrency` in flight, or one every `paceMs`. */
async function produce(
  backend: QueueBackend,
  args: QueueCaseArgs,
  ledger: TaskLedger,
  deadline: number,
): Promise<void> {
  const one = async (index: number) => {
    const id = taskId(args.queue, index)
    ledger.enqueuedAt.set(id, performance.now())
    try {
      await backend.enqueue(args.queue, id, AbortSignal.timeout(args.enqueueTimeoutMs))
      ledger.acknowledged.add(id)
    } catch (err) {
      ledger.enqueueFailures++
      ledger.noteError(err)
    }
  }
  if (args.paceMs !== undefined) {
    const started = performance.now()
    const inFlight: Promise<void>[] = []
    for (let i = 0; i < args.tasks && performance.now() < deadline; i++) {
      inFlight.push(one(i))
      const wait = started + (i + 1) * args.paceMs - performance.now()
      if (wait > 0) await delay(wait)
    }
    await Promise.all(inFlight)
    return
  }
  let next = 0
  const lanes = Array.from({ length: Math.max(1, args.enqueueConcurrency) }, async () => {
    while (next < args.tasks && performance.now() < deadline) await one(next++)
  })
  await Promise.all(lanes)
}

/**
 * One case: workers joined first (not timed), then the tasks enqueued, and the clock
 * stopped at the last confirmed ack. Throughput is acked tasks over that time.
 */
export async function runQueueCase(
  backend: QueueBackend,
  args: QueueCaseArgs,
): Promise<QueueCaseResult> {
  await backend.prepare(args.queue, args.settings)
  const ledger = new TaskLedger()
  const workers = await startWorkers(backend, args.queue, args.workers, ledger)
  try {
    const started = performance.now()
    const deadline = started + args.timeLimitMs
    await produce(backend, args, ledger, deadline)
    while (ackedBy(workers) < ledger.acknowledged.size && performance.now() < deadline) {
      await delay(2)
    }
    const elapsedMs = performance.now() - started
    const acked = ackedBy(workers)
    return {
      tasks: args.tasks,
      enqueued: ledger.acknowledged.size,
      enqueueFailures: ledger.enqueueFailures,
      acked,
      elapsedMs,
      tasksPerSec: (acked * 1000) / elapsedMs,
      startLatencyMs: ledger.startLatency(),
      perWorker: { ...ledger.perWorker },
      duplicates: ledger.duplicates,
      errorSamples: [...ledger.errors],
    }
  } finally {
    await Promise.all(workers.map((w) => w.stop().catch(() => {})))
  }
}
