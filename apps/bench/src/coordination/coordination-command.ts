/** `pnpm bench -- coordination [options]`: the comparison with etcd 3.4 (run-coordination.ts). */
import { Command, InvalidArgumentError } from 'commander'
import { RESULTS_PATH, writeResultsSection } from '../results-section.js'
import { renderCoordinationReport } from './coordination-report.js'
import {
  defaultCoordinationOptions,
  EtcdMissingError,
  runCoordination,
} from './run-coordination.js'

export const COORDINATION_MARKERS = {
  start: '<!-- bench:coordination:start (pnpm bench -- coordination --write-results) -->',
  end: '<!-- bench:coordination:end -->',
}

function positiveInt(value: string): number {
  const parsed = Number(value)
  if (!Number.isInteger(parsed) || parsed <= 0)
    throw new InvalidArgumentError('must be a positive integer')
  return parsed
}

/** The subcommand; `argvForCommand` is what the user typed, to print it back. */
export function coordinationCommand(argvForCommand: () => string[]): Command {
  return new Command('coordination')
    .description(
      'CAS, locks and leader failover against a 3-member etcd 3.4 cluster, in one run (needs etcd on PATH)',
    )
    .option('--json', 'print the JSON report instead of Markdown', false)
    .option('--quick', 'a smoke run: 4 daemons, tiny counts, one failover trial', false)
    .option('--nodes <n>', 'ringdht daemons (default 8)', positiveInt)
    .option(
      '--ops <n>',
      'operations per case and system at concurrency > 1 (default 8000)',
      positiveInt,
    )
    .option(
      '--single-ops <n>',
      'operations per case and system at concurrency 1 and on the contended lock (default 1000; 800 contended)',
      positiveInt,
    )
    .option(
      '--rounds <n>',
      'rounds of [etcd block, ringdht block] per case (default 4)',
      positiveInt,
    )
    .option(
      '--case-limit <s>',
      'wall-time cap per case and system, all rounds, seconds (default 20)',
      positiveInt,
    )
    .option('--trials <n>', 'failover trials per system (default 3)', positiveInt)
    .option('--election-ttl <ms>', 'ringdht election lease, ms (default 1000)', positiveInt)
    .option('--write-results', 'rewrite the coordination section of apps/bench/RESULTS.md', false)
    .option('--cpu-prof <dir>', 'write a CPU profile of every ringdht daemon into dir')
    .action(async (flags: Record<string, unknown>) => {
      const options = defaultCoordinationOptions(flags.quick === true)
      const num = (name: string) => flags[name] as number | undefined
      options.ringNodes = num('nodes') ?? options.ringNodes
      options.ops.concurrent = num('ops') ?? options.ops.concurrent
      options.ops.single = num('singleOps') ?? options.ops.single
      const single = num('singleOps')
      if (single !== undefined) options.ops.contendedLock = single
      options.rounds = num('rounds') ?? options.rounds
      const limit = num('caseLimit')
      if (limit !== undefined) options.caseTimeLimitMs = limit * 1000
      options.failoverTrials = num('trials') ?? options.failoverTrials
      options.electionTtlMs = num('electionTtl') ?? options.electionTtlMs
      if (typeof flags.cpuProf === 'string') options.cpuProfDir = flags.cpuProf
      const say = (line: string) => process.stderr.write(`${line}\n`)
      let report: Awaited<ReturnType<typeof runCoordination>>
      try {
        report = await runCoordination({
          options,
          command: `pnpm bench -- ${argvForCommand().join(' ')}`,
          progress: say,
        })
      } catch (err) {
        if (!(err instanceof EtcdMissingError)) throw err
        say(`coordination: not run: ${err.message}`)
        process.exit(2)
      }
      const markdown = renderCoordinationReport(report)
      process.stdout.write(
        flags.json === true ? `${JSON.stringify(report, null, 2)}\n` : `${markdown}\n`,
      )
      if (flags.writeResults === true) {
        writeResultsSection(markdown, RESULTS_PATH, COORDINATION_MARKERS)
        say('RESULTS.md: coordination section rewritten')
      }
    })
}
