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
import { ProcessGroup } from '../harness/process-group.js'
import { samplePids } from '../process-cost.js'
import { round } from '../stats.js'
import { killCase, queueAwayFromDialled } from './broker-kill.js'
import type { DaemonRing } from './cli-daemons.js'
import { comparePolicies } from './policy-runs.js'
import { pairedCase, startSystems, workersOf } from './queue-systems.js'
import { type PairedQueueCase, type QueuesReport, queuesTargets } from './queues-report.js'
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

/** The redis-server binary, or RedisMissingError (the bench says it is not run and exits 2). */
export function requireRedis(): string {
  const binary = findRedis()
  if (binary === undefined) {
    throw new RedisMissingError(
      'redis-server is not installed (Debian: apt-get install redis-server)',
    )
  }
  return binary
}

const MIB = 1024 * 1024

function bullmqVersion(): string {
  try {
    const url = new URL('../../../node_modules/bullmq/package.json', import.meta.url)
    return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version
  } catch {
    return 'unknown'
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
  const binary = requireRedis()
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
