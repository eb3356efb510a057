/**
 * The two deployments of the queue comparison and how a block runs on one of them: the
 * ringdht daemons and redis-server, one client process each, CPU read by PID around it.
 */
import { cpuProfArgs } from '../harness/cpu-prof.js'
import { type BenchChild, type ProcessGroup, scriptPath } from '../harness/process-group.js'
import { waitFor } from '../harness/wait.js'
import {
  cpuBetween,
  othersShare,
  readMachineTicks,
  samplePids,
  writeCallsBetween,
  writeCallsOf,
} from '../process-cost.js'
import { DaemonRing } from './cli-daemons.js'
import type { QueueCaseArgs, QueueCaseResult, WorkerSpec } from './queue-workload.js'
import {
  type MeasuredQueueBlock,
  type PairedQueueCase,
  pairQueueCase,
  QUEUE_SYSTEMS,
  type QueueSystem,
} from './queues-report.js'
import type { RedisServer } from './redis-server.js'
import type { QueuesOptions } from './run-queues.js'

export interface Systems {
  redis: RedisServer
  ring: DaemonRing
  clients: Record<QueueSystem, BenchChild>
}

const ringdhtClientScript = scriptPath(import.meta.url, './ringdht-queue-client.js')
const bullmqClientScript = scriptPath(import.meta.url, './bullmq-queue-client.js')

/** The 4 workers of a case, `handlerMs` each. */
export const workersOf = (options: QueuesOptions, handlerMs = 0): WorkerSpec[] =>
  Array.from({ length: 4 }, (_, i) => ({
    name: `w${i}`,
    concurrency: options.workerConcurrency,
    handlerMs,
  }))

/** Runs one block on one system; CPU of its servers and its client process, by PID. */
export async function measure(
  systems: Systems,
  system: QueueSystem,
  args: QueueCaseArgs,
): Promise<MeasuredQueueBlock> {
  const client = systems.clients[system]
  const servers = system === 'bullmq' ? [systems.redis.pid ?? -1] : systems.ring.pids
  const otherClients = QUEUE_SYSTEMS.filter((s) => s !== system).map(
    (s) => systems.clients[s].pid ?? -1,
  )
  const otherServers = system === 'bullmq' ? systems.ring.pids : [systems.redis.pid ?? -1]
  // everything this bench runs, so that "others" are other people's processes only
  const pids = [process.pid, ...servers, client.pid ?? -1, ...otherClients, ...otherServers]
  const ticksBefore = readMachineTicks()
  const writesBefore = writeCallsOf([...servers, client.pid ?? -1])
  const before = samplePids(pids)
  const result = await client.request<QueueCaseResult>('case', args, {
    timeoutMs: args.timeLimitMs + 60_000,
  })
  const after = samplePids(pids)
  const writesAfter = writeCallsOf([...servers, client.pid ?? -1])
  const ticksAfter = readMachineTicks()
  const of = (wanted: number[]) => before.filter((s) => wanted.includes(s.pid))
  return {
    result,
    serverCpuS: cpuBetween(of(servers), after),
    clientCpuS: cpuBetween(of([client.pid ?? -1]), after),
    serverWrites: writeCallsBetween(
      new Map([...writesBefore].filter(([pid]) => servers.includes(pid))),
      new Map([...writesAfter].filter(([pid]) => servers.includes(pid))),
    ),
    clientWrites: writeCallsBetween(
      new Map([...writesBefore].filter(([pid]) => pid === client.pid)),
      new Map([...writesAfter].filter(([pid]) => pid === client.pid)),
    ),
    othersCpuShare: othersShare(ticksBefore, ticksAfter, cpuBetween(before, after)),
  }
}

/** `rounds` rounds of one block per system, the order alternating; the ratios per round. */
export async function pairedCase(
  systems: Systems,
  options: QueuesOptions,
  name: string,
  args: (system: QueueSystem, round: number) => QueueCaseArgs,
  say: (line: string) => void,
): Promise<PairedQueueCase> {
  const rounds: Array<Record<QueueSystem, MeasuredQueueBlock>> = []
  for (let index = 0; index < options.rounds; index++) {
    const order = index % 2 === 0 ? QUEUE_SYSTEMS : [...QUEUE_SYSTEMS].reverse()
    const blocks: Partial<Record<QueueSystem, MeasuredQueueBlock>> = {}
    for (const system of order) blocks[system] = await measure(systems, system, args(system, index))
    rounds.push(blocks as Record<QueueSystem, MeasuredQueueBlock>)
  }
  const paired = pairQueueCase(name, rounds)
  say(
    `${name}: BullMQ ${paired.bullmq.tasksPerSec} tasks/s, ringdht ${paired.ringdht.tasksPerSec}; ratio ${paired.ratio.tasksPerSec.median}; CPU-s per 1k tasks ${paired.bullmq.serverCpuSPer1k} / ${paired.ringdht.serverCpuSPer1k}, server write calls per task ${paired.bullmq.serverWritesPerTask} / ${paired.ringdht.serverWritesPerTask}; start p50 ${paired.bullmq.p50Ms} / ${paired.ringdht.p50Ms} ms`,
  )
  return paired
}

export async function startSystems(
  options: QueuesOptions,
  redis: RedisServer,
  group: ProcessGroup,
): Promise<Systems> {
  const ring = await DaemonRing.start(options.ringNodes, options.cpuProfDir)
  try {
    const first = ring.members[0]
    if (first === undefined) throw new Error('no ringdht daemons')
    const ringdht = await group.spawn({
      name: 'ringdht-queue-client',
      script: ringdhtClientScript,
      args: [JSON.stringify({ bootstrap: first.address })],
      execArgv: cpuProfArgs(options.cpuProfDir, 'queues-ringdht-client'),
    })
    await waitFor(
      async () => {
        const seen = await ringdht.request<number>('ring-size').catch(() => 0)
        return { done: seen === options.ringNodes, detail: `ring walk sees ${seen}` }
      },
      {
        timeoutMs: options.settleTimeoutMs,
        intervalMs: 250,
        description: 'the ringdht client to see every daemon',
      },
    )
    const bullmq = await group.spawn({
      name: 'bullmq-queue-client',
      script: bullmqClientScript,
      args: [JSON.stringify({ host: '127.0.0.1', port: redis.port })],
    })
    return { redis, ring, clients: { ringdht, bullmq } }
  } catch (err) {
    await ring.stop()
    throw err
  }
}
