/**
 * The brief's comparison of ringdht's dispatch policies on the daemons: 4 workers, one 4×
 * slower, tasks arriving at a steady pace; BullMQ's workers (which fetch, no policy) beside.
 */
import { measure, type Systems, workersOf } from './queue-systems.js'
import type { QueueCaseResult, QueuePolicy, WorkerSpec } from './queue-workload.js'
import { type PolicyRow, policyRow, type QueueSystem } from './queues-report.js'
import type { QueuesOptions } from './run-queues.js'

interface PolicyRun {
  system: QueueSystem
  policy: QueuePolicy
  slowCapacity: number
}

/** One run of a policy: 4 workers, the first 4× slower, tasks arriving at a steady pace. */
async function policyRun(
  systems: Systems,
  options: QueuesOptions,
  run: PolicyRun,
  queue: string,
): Promise<QueueCaseResult> {
  const { tasks, fastMs, paceMs } = options.policy
  const workers: WorkerSpec[] = workersOf(options, fastMs).map((w, i) =>
    i === 0
      ? { ...w, name: 'slow', handlerMs: fastMs * 4, capacity: run.slowCapacity }
      : { ...w, name: `fast${i}` },
  )
  const { result } = await measure(systems, run.system, {
    queue,
    tasks,
    workers,
    settings: run.system === 'ringdht' ? { policy: run.policy } : {},
    enqueueConcurrency: 1,
    paceMs,
    timeLimitMs: options.blockTimeLimitMs,
    enqueueTimeoutMs: 10_000,
  })
  return result
}

/** Every policy run `rounds` times, the order rotating from round to round. */
export async function comparePolicies(
  systems: Systems,
  options: QueuesOptions,
  tag: string,
  say: (line: string) => void,
): Promise<PolicyRow[]> {
  const runs: PolicyRun[] = [
    { system: 'ringdht', policy: 'round-robin', slowCapacity: options.workerConcurrency },
    { system: 'ringdht', policy: 'least-loaded', slowCapacity: options.workerConcurrency },
    { system: 'ringdht', policy: 'least-loaded', slowCapacity: 1 },
    // BullMQ has no policy: each worker fetches a job whenever it has a free slot
    { system: 'bullmq', policy: 'round-robin', slowCapacity: options.workerConcurrency },
  ]
  const results: QueueCaseResult[][] = runs.map(() => [])
  for (let r = 0; r < options.policy.rounds; r++) {
    for (let k = 0; k < runs.length; k++) {
      const index = (k + r) % runs.length
      const run = runs[index] as PolicyRun
      results[index]?.push(await policyRun(systems, options, run, `pol-${tag}-${r}-${index}`))
    }
  }
  return runs.map((run, index) => {
    const row = policyRow(run, results[index] ?? [], options.policy.tasks)
    say(
      `policy ${run.system} ${row.policy} (slow capacity ${run.slowCapacity}): makespan ${row.makespanMs.median} ms, per worker ${JSON.stringify(row.perWorker)}`,
    )
    return row
  })
}
