import type { QueueSettings, TaskRecord } from './queue-entries.js'

export interface WorkerStats {
  readonly worker: string
  /** Tasks it holds a valid lease on now. */
  readonly inFlight: number
  /** Tasks it has acked (kept for the most recent workers). */
  readonly done: number
}

/** What `queue stats` shows. */
export interface QueueStats {
  readonly settings: QueueSettings
  /** Can be leased now. */
  readonly ready: number
  /** Waiting for their delay or a retry's backoff. */
  readonly delayed: number
  readonly leased: number
  readonly dead: number
  /** Tasks ever added, and acked, since the queue began. */
  readonly enqueued: number
  readonly acked: number
  readonly workers: readonly WorkerStats[]
}

export interface StatsCounters {
  readonly settings: QueueSettings
  readonly enqueued: number
  readonly acked: number
  readonly inFlight: ReadonlyMap<string, number>
  readonly done: ReadonlyMap<string, number>
}

export function queueStats(
  tasks: Iterable<TaskRecord>,
  now: number,
  counters: StatsCounters,
): QueueStats {
  let ready = 0
  let delayed = 0
  let leased = 0
  let dead = 0
  for (const task of tasks) {
    if (task.status === 'leased') leased += 1
    else if (task.status === 'dead') dead += 1
    else if (task.notBefore <= now) ready += 1
    else delayed += 1
  }
  const names = new Set([...counters.inFlight.keys(), ...counters.done.keys()])
  const workers = [...names].sort().map((worker) => ({
    worker,
    inFlight: counters.inFlight.get(worker) ?? 0,
    done: counters.done.get(worker) ?? 0,
  }))
  const { settings, enqueued, acked } = counters
  return { settings, ready, delayed, leased, dead, enqueued, acked, workers }
}
