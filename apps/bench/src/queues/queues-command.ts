/** `pnpm bench -- queues [options]`: the comparison with BullMQ on Redis 7 (run-queues.ts). */
import { Command, InvalidArgumentError } from 'commander'
import { runAndReport } from '../redis-anchored-command.js'
import { renderQueuesReport } from './queues-report.js'
import { defaultQueuesOptions, runQueues } from './run-queues.js'

export const QUEUES_MARKERS = {
  start: '<!-- bench:queues:start (pnpm bench -- queues --write-results) -->',
  end: '<!-- bench:queues:end -->',
}

function positiveInt(value: string): number {
  const parsed = Number(value)
  if (!Number.isInteger(parsed) || parsed <= 0)
    throw new InvalidArgumentError('must be a positive integer')
  return parsed
}

function positiveNumber(value: string): number {
  const parsed = Number(value)
  if (!Number.isFinite(parsed) || parsed <= 0) throw new InvalidArgumentError('must be above 0')
  return parsed
}

function count(value: string): number {
  const parsed = Number(value)
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new InvalidArgumentError('must be a whole number (0 skips)')
  return parsed
}

/** The subcommand; `argvForCommand` is what the user typed, to print it back. */
export function queuesCommand(argvForCommand: () => string[]): Command {
  return new Command('queues')
    .description(
      'work queues against BullMQ on one redis-server (Redis 7), in one run (needs redis-server on PATH)',
    )
    .option('--json', 'print the JSON report instead of Markdown', false)
    .option('--quick', 'a smoke run: 1 round, small counts', false)
    .option('--nodes <n>', 'ringdht daemons (default 3)', positiveInt)
    .option(
      '--rounds <n>',
      'rounds of [BullMQ block, ringdht block] per case (default 4)',
      positiveInt,
    )
    .option('--tasks <n>', 'tasks per throughput block (default 2000)', positiveInt)
    .option('--latency-tasks <n>', 'tasks per latency block (default 200)', positiveInt)
    .option(
      '--enqueue-concurrency <n>',
      'enqueues in flight in the throughput case (default 32)',
      positiveInt,
    )
    .option('--worker-concurrency <n>', 'slots of each of the 4 workers (default 4)', positiveInt)
    .option('--policy-tasks <n>', 'tasks per policy run, 0 skips (default 400)', count)
    .option('--policy-pace <ms>', 'one policy task enqueued every ms (default 5)', positiveNumber)
    .option(
      '--policy-rounds <n>',
      'runs of each policy, the order rotating (default 3)',
      positiveInt,
    )
    .option('--kill-tasks <n>', 'tasks of the broker-kill case, 0 skips (default 2000)', count)
    .option(
      '--kill-wait <s>',
      'bound on the wait for acknowledged tasks after the kill, seconds (default 60)',
      positiveInt,
    )
    .option(
      '--cpu-prof <dir>',
      'write a CPU profile of every ringdht daemon and the ringdht client process into dir',
    )
    .option('--write-results', 'rewrite the queues section of apps/bench/RESULTS.md', false)
    .action(async (flags: Record<string, unknown>) => {
      const options = defaultQueuesOptions(flags.quick === true)
      const num = (name: string) => flags[name] as number | undefined
      options.ringNodes = num('nodes') ?? options.ringNodes
      options.rounds = num('rounds') ?? options.rounds
      options.throughputTasks = num('tasks') ?? options.throughputTasks
      options.latencyTasks = num('latencyTasks') ?? options.latencyTasks
      options.enqueueConcurrency = num('enqueueConcurrency') ?? options.enqueueConcurrency
      options.workerConcurrency = num('workerConcurrency') ?? options.workerConcurrency
      options.policy.tasks = num('policyTasks') ?? options.policy.tasks
      options.policy.rounds = num('policyRounds') ?? options.policy.rounds
      options.policy.paceMs = num('policyPace') ?? options.policy.paceMs
      options.kill.tasks = num('killTasks') ?? options.kill.tasks
      const wait = num('killWait')
      if (wait !== undefined) options.kill.waitMs = wait * 1000
      if (typeof flags.cpuProf === 'string') options.cpuProfDir = flags.cpuProf
      await runAndReport(
        'queues',
        flags,
        (progress) =>
          runQueues({ options, command: `pnpm bench -- ${argvForCommand().join(' ')}`, progress }),
        renderQueuesReport,
        QUEUES_MARKERS,
      )
    })
}
