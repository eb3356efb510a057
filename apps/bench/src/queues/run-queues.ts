/**
 * `pnpm bench -- queues`: ringdht's work queues against BullMQ on Redis 7, in one run.
 * Starts N `ringdht start` daemons and one redis-server, one client process for each
 * system (its producer and 4 workers, each worker on its own connection), and runs every
 * case on both in rounds whose order alternates, so drift in the shared cores' load does
 * not favour one: tasks/s end to end, enqueue-to-start latency, the two dispatch policies
 * with a slow worker, then tasks lost when the broker is SIGKILLed mid-run.
 */
import { readFileSync } from 'node:fs'
import os from 'node:os'
import { currentCommit } from '../bench.js'
import { type BenchChild, ProcessGroup, scriptPath } from '../harness/process-group.js'
import { waitFor } from '../harness/wait.js'
import { cpuBetween, othersShare, readMachineTicks, samplePids } from '../process-cost.js'
import { round } from '../stats.js'
import { DaemonRing } from './cli-daemons.js'
import type { KillCaseArgs, KillCaseResult, KillProgress } from './kill-case.js'
import type { QueueCaseArgs, QueueCaseResult, QueuePolicy, WorkerSpec } from './queue-workload.js'
import {
  type MeasuredQueueBlock,
  type PairedQueueCase,
  type PolicyRow,
  pairQueueCase,
  policyRow,
  QUEUE_SYSTEMS,
  type QueueSystem,
  type QueuesReport,
  queuesTargets,
} from './queues-report.js'
import { findRedis, RedisServer } from './redis-server.js'

export interface QueuesOptions {
  ringNodes: number
  /** Slots of each of the 4 workers. */
  workerConcurrency: number
  /** Rounds of [BullMQ block, ringdht block] of the throughput and latency cases. */
  rounds: number
  /** Tasks per block of the throughput case, enqueued `enqueueConcurrency` at a time. */
  throughputTasks: number
  enqueueConcurrency: number
  /** Tasks per block of the latency case, enqueued one after the other to idle workers. */
  latencyTasks: number
  /** Wall-time cap of one block. */
  blockTimeLimitMs: number
  /**
   * 0 tasks skips the policies; each one is run `rounds` times, the order rotating. The
   * default pace (one task every 5 ms) is one the daemons' queue home keeps up with: at
   * measure-queues' 1.25 ms the home is the bottleneck, every slot stays full, and the
   * policies cannot differ.
   */
  policy: { tasks: number; fastMs: number; paceMs: number; rounds: number }
  kill: {
    /** 0 skips the broker kill. */
    tasks: number
    paceMs: number
    /** ringdht lease of the kill case's queue (BullMQ keeps its 30 s lock). */
    leaseMs: number
    /** Each task's handler time: workers slower than arrivals, so the broker holds a backlog. */
    handlerMs: number
    /** How long acknowledged tasks may take to complete after the last enqueue. */
    waitMs: number
  }
  settleTimeoutMs: number
  /** Each ringdht daemon writes a .cpuprofile here when it stops. */
  cpuProfDir?: string
}

export function defaultQueuesOptions(quick = false): QueuesOptions {
  const base: QueuesOptions = {
    ringNodes: 3,
    workerConcurrency: 4,
    rounds: 4,
    throughputTasks: 2000,
    enqueueConcurrency: 32,
    latencyTasks: 200,
    blockTimeLimitMs: 60_000,
    policy: { tasks: 400, fastMs: 10, paceMs: 5, rounds: 3 },
    kill: { tasks: 2000, paceMs: 2, handlerMs: 50, leaseMs: 5_000, waitMs: 60_000 },
    settleTimeoutMs: 60_000,
  }
  if (!quick) return base
  return {
    ...base,
    rounds: 1,
    throughputTasks: 300,
    latencyTasks: 30,
    blockTimeLimitMs: 20_000,
    policy: { tasks: 80, fastMs: 10, paceMs: 5, rounds: 1 },
    kill: { tasks: 300, paceMs: 2, handlerMs: 50, leaseMs: 3_000, waitMs: 10_000 },
  }
}

export class RedisMissingError extends Error {
  override name = 'RedisMissingError'
}

interface Systems {
  redis: RedisServer
  ring: DaemonRing
  clients: Record<QueueSystem, BenchChild>
}

const MIB = 1024 * 1024
const ringdhtClientScript = scriptPath(import.meta.url, './ringdht-queue-client.js')
const bullmqClientScript = scriptPath(import.meta.url, './bullmq-queue-client.js')

function bullmqVersion(): string {
  try {
    const url = new URL('../../../node_modules/bullmq/package.json', import.meta.url)
    return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version
  } catch {
    return 'unknown'
  }
}

const workersOf = (options: QueuesOptions, handlerMs = 0): WorkerSpec[] =>
  Array.from({ length: 4 }, (_, i) => ({
    name: `w${i}`,
    concurrency: options.workerConcurrency,
    handlerMs,
  }))

/** Runs one block on one system; CPU of its servers and its client process, by PID. */
async function measure(
  systems: Systems,
  system: QueueSystem,
  args: QueueCaseArgs,
): Promise<MeasuredQueueBlock> {
  const client = systems.clients[system]
  const servers = system === 'bullmq' ? [systems.redis.pid ?? -1] : systems.ring.pids
  const others = QUEUE_SYSTEMS.filter((s) => s !== system).map((s) => systems.clients[s].pid ?? -1)
  const otherServers = system === 'bullmq' ? systems.ring.pids : [systems.redis.pid ?? -1]
  // everything this bench runs, so that "others" are other people's processes only
  const pids = [process.pid, ...servers, client.pid ?? -1, ...others, ...otherServers]
  const ticksBefore = readMachineTicks()
  const before = samplePids(pids)
  const result = await client.request<QueueCaseResult>('case', args, {
    timeoutMs: args.timeLimitMs + 60_000,
  })
  const after = samplePids(pids)
  const ticksAfter = readMachineTicks()
  const of = (wanted: number[]) => before.filter((s) => wanted.includes(s.pid))
  return {
    result,
    serverCpuS: cpuBetween(of(servers), after),
    clientCpuS: cpuBetween(of([client.pid ?? -1]), after),
    othersCpuShare: othersShare(ticksBefore, ticksAfter, cpuBetween(before, after)),
  }
}

async function pairedCase(
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
    `${name}: BullMQ ${paired.bullmq.tasksPerSec} tasks/s, ringdht ${paired.ringdht.tasksPerSec}; ratio ${paired.ratio.tasksPerSec.median}; start p50 ${paired.bullmq.p50Ms} / ${paired.ringdht.p50Ms} ms`,
  )
  return paired
}

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
async function comparePolicies(
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

/** A queue name the ring homes somewhere other than the member the client dialled. */
async function queueAwayFromDialled(client: BenchChild, prefix: string): Promise<string> {
  const dialled = await client.request<string>('dialled')
  for (let i = 0; i < 64; i++) {
    const queue = `${prefix}-${i}`
    if ((await client.request<string>('home', { queue })) !== dialled) return queue
  }
  throw new Error('every candidate queue is homed on the dialled member')
}

async function killCase(
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

async function startSystems(
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

export interface RunQueuesInit {
  options: QueuesOptions
  command: string
  progress?: (line: string) => void
}

export async function runQueues(init: RunQueuesInit): Promise<QueuesReport> {
  const { options } = init
  const say = init.progress ?? (() => {})
  const binary = findRedis()
  if (binary === undefined) {
    throw new RedisMissingError(
      'redis-server is not installed (Debian: apt-get install redis-server)',
    )
  }
  const started = Date.now()
  const loadAtStart = round(os.loadavg()[0] ?? 0, 2)
  const tag = started.toString(36)
  const group = new ProcessGroup()
  const redis = await RedisServer.start(binary)
  let ring: DaemonRing | undefined
  try {
    say(`redis-server ${redis.version} on port ${redis.port} (no AOF), data in ${redis.root}`)
    const systems = await startSystems(options, redis, group)
    ring = systems.ring
    say(`ringdht: ${options.ringNodes} daemons ready; both clients ready`)
    const base = {
      settings: {},
      timeLimitMs: options.blockTimeLimitMs,
      enqueueTimeoutMs: 10_000,
    }
    const cases: PairedQueueCase[] = []
    cases.push(
      await pairedCase(
        systems,
        options,
        `throughput, ${options.enqueueConcurrency} enqueues in flight`,
        (system, r) => ({
          ...base,
          queue: `tp-${tag}-${system}-${r}`,
          tasks: options.throughputTasks,
          workers: workersOf(options),
          enqueueConcurrency: options.enqueueConcurrency,
        }),
        say,
      ),
    )
    const rssOf = (pid: number | undefined) =>
      round((samplePids(pid === undefined ? [] : [pid])[0]?.rssBytes ?? 0) / MIB, 1)
    const rssMiB = {
      ringdht: systems.ring.pids.map(rssOf),
      redis: rssOf(redis.pid),
      ringdhtClient: rssOf(systems.clients.ringdht.pid),
      bullmqClient: rssOf(systems.clients.bullmq.pid),
    }
    cases.push(
      await pairedCase(
        systems,
        options,
        'latency, one enqueue at a time',
        (system, r) => ({
          ...base,
          queue: `lat-${tag}-${system}-${r}`,
          tasks: options.latencyTasks,
          workers: workersOf(options),
          enqueueConcurrency: 1,
        }),
        say,
      ),
    )
    const policies =
      options.policy.tasks > 0 ? await comparePolicies(systems, options, tag, say) : []
    const kill: QueuesReport['kill'] = {}
    if (options.kill.tasks > 0) {
      kill.bullmq = await killCase(systems, options, 'bullmq', `kill-${tag}`, async () => {
        await redis.restart()
        return 'redis-server (restarted at once)'
      })
      say(
        `broker kill, BullMQ: ${kill.bullmq.lost} of ${kill.bullmq.acknowledged} acknowledged lost`,
      )
      const queue = await queueAwayFromDialled(systems.clients.ringdht, `kill-${tag}`)
      kill.ringdht = await killCase(systems, options, 'ringdht', queue, async () => {
        const home = await systems.clients.ringdht.request<string>('home', { queue })
        const victim = await systems.ring.kill(home)
        return `${victim.name}, the queue's home`
      })
      say(
        `broker kill, ringdht: ${kill.ringdht.lost} of ${kill.ringdht.acknowledged} acknowledged lost`,
      )
    }
    const report: QueuesReport = {
      meta: {
        startedAt: new Date(started).toISOString(),
        durationS: round((Date.now() - started) / 1000, 1),
        command: init.command,
        commit: currentCommit(),
        redisVersion: redis.version,
        bullmqVersion: bullmqVersion(),
        ringNodes: options.ringNodes,
        workers: `4 in the system's client process beside the producer, each on its own connection (a ringdht client; a BullMQ Worker), ${options.workerConcurrency} slots each, handler a no-op unless said`,
        cpus: os.cpus().length,
        loadAverage: [loadAtStart, round(os.loadavg()[0] ?? 0, 2)],
        rssMiB,
        options: { ...options },
      },
      cases,
      policies,
      kill,
      targets: queuesTargets(cases, kill),
    }
    return report
  } finally {
    await group.stopAll()
    await ring?.stop()
    await redis.stop()
  }
}
