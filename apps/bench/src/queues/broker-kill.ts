/** The broker-kill case, driven from outside the client: wait for half, SIGKILL, finish. */
import type { BenchChild } from '../harness/process-group.js'
import { waitFor } from '../harness/wait.js'
import type { KillCaseArgs, KillCaseResult, KillProgress } from './kill-case.js'
import { type Systems, workersOf } from './queue-systems.js'
import type { QueueSystem } from './queues-report.js'
import type { QueuesOptions } from './run-queues.js'

/** A queue name the ring homes somewhere other than the member the client dialled. */
export async function queueAwayFromDialled(client: BenchChild, prefix: string): Promise<string> {
  const dialled = await client.request<string>('dialled')
  for (let i = 0; i < 64; i++) {
    const queue = `${prefix}-${i}`
    if ((await client.request<string>('home', { queue })) !== dialled) return queue
  }
  throw new Error('every candidate queue is homed on the dialled member')
}

/**
 * Starts the case in the system's client, SIGKILLs the broker (`killBroker`, which names
 * it) once half the tasks are acknowledged, and collects the outcome after the bounded wait.
 */
export async function killCase(
  systems: Systems,
  options: QueuesOptions,
  system: QueueSystem,
  queue: string,
  killBroker: () => Promise<string>,
): Promise<KillCaseResult & { broker: string }> {
  const client = systems.clients[system]
  const args: KillCaseArgs = {
    queue,
    tasks: options.kill.tasks,
    paceMs: options.kill.paceMs,
    workers: workersOf(options, options.kill.handlerMs),
    settings: system === 'ringdht' ? { leaseMs: options.kill.leaseMs } : {},
    attemptTimeoutMs: 5_000,
    enqueueDeadlineMs: 30_000,
  }
  await client.request('kill-start', args)
  await waitFor(
    async () => {
      const { enqueued } = await client.request<KillProgress>('kill-progress')
      return enqueued >= options.kill.tasks / 2
    },
    { timeoutMs: options.settleTimeoutMs, intervalMs: 5, description: 'half the tasks enqueued' },
  )
  const broker = await killBroker()
  const result = await client.request<KillCaseResult>(
    'kill-finish',
    { waitMs: options.kill.waitMs },
    { timeoutMs: options.kill.waitMs + options.kill.tasks * options.kill.paceMs + 120_000 },
  )
  return { ...result, broker }
}
