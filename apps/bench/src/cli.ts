#!/usr/bin/env node
/**
 * `pnpm bench [-- options]`: ringdht and kad-dht, each measured in blocks that
 * alternate with the open-stream floor. Markdown on stdout by default; `--json`
 * prints one JSON object (an array with `--repeat`).
 */
import { Command, InvalidArgumentError, Option } from 'commander'
import { runBench } from './bench.js'
import { coordinationCommand } from './coordination/coordination-command.js'
import { appendHistory, historyLine, readHistory, renderTrend } from './history.js'
import { fanoutCommand } from './messaging/fanout-command.js'
import { messagingCommand } from './messaging/messaging-command.js'
import { ALL_PARTS, type BenchPart, defaultOptions, type RunMode } from './options.js'
import { queuesCommand } from './queues/queues-command.js'
import { compareRuns, renderAgreement, repeatVerdict } from './repeat-check.js'
import { renderReport } from './report.js'
import type { BenchReport } from './results.js'
import { generatedSection, writeResultsSection } from './results-section.js'

function positiveInt(value: string): number {
  const parsed = Number(value)
  if (!Number.isInteger(parsed) || parsed <= 0)
    throw new InvalidArgumentError('must be a positive integer')
  return parsed
}

function intList(value: string): number[] {
  return value.split(',').map((part) => positiveInt(part.trim()))
}

function partList(value: string): BenchPart[] {
  const parts = value.split(',').map((part) => part.trim())
  for (const part of parts) {
    if (!(ALL_PARTS as readonly string[]).includes(part)) {
      throw new InvalidArgumentError(`unknown part ${part}; choose from ${ALL_PARTS.join(', ')}`)
    }
  }
  return parts as BenchPart[]
}

const program = new Command()
  .name('ringdht-bench')
  .description('ringdht and kad-dht, each paired block by block with the open-stream floor')
  .option('--json', 'print the JSON report instead of Markdown', false)
  .option('--quick', 'a smoke run: N=8 only, 3 blocks of 50, small join', false)
  .option(
    '--long',
    'kad-dht measured like ringdht (10 × 200, no tight cap), 100,000-key join',
    false,
  )
  .addOption(
    new Option('--only <parts>', `parts to run, from ${ALL_PARTS.join(',')}`).argParser(partList),
  )
  .addOption(new Option('--nodes <list>', 'ring sizes, e.g. 8,16').argParser(intList))
  .addOption(new Option('--concurrency <list>', 'concurrency levels, e.g. 1,32').argParser(intList))
  .addOption(
    new Option('--blocks <n>', 'blocks per case (floor and ringdht)').argParser(positiveInt),
  )
  .addOption(new Option('--block-ops <n>', 'operations per block').argParser(positiveInt))
  .addOption(new Option('--anchor-blocks <n>', 'kad-dht blocks per case').argParser(positiveInt))
  .addOption(
    new Option('--anchor-block-ops <n>', 'kad-dht operations per block').argParser(positiveInt),
  )
  .addOption(
    new Option('--anchor-phase-limit <s>', 'kad-dht wall-time cap per phase, seconds').argParser(
      positiveInt,
    ),
  )
  .addOption(
    new Option('--phase-limit <s>', 'ringdht wall-time cap per phase, seconds').argParser(
      positiveInt,
    ),
  )
  .addOption(
    new Option('--join-keys <n>', 'keys in the ring before the join').argParser(positiveInt),
  )
  .addOption(new Option('--join-nodes <n>', 'ring size before the join').argParser(positiveInt))
  .addOption(new Option('--seed <n>', 'seed of the bootstrap intervals').argParser(positiveInt))
  .addOption(
    new Option('--budget <s>', 'wall-time budget of one run, seconds (default 540)').argParser(
      positiveInt,
    ),
  )
  .addOption(
    new Option('--repeat <n>', 'run n times back to back and check the headlines agree')
      .argParser(positiveInt)
      .default(1),
  )
  .option('--no-history', 'do not append the run to apps/bench/history.jsonl')
  .option('--write-results', 'rewrite the generated section of apps/bench/RESULTS.md', false)
  .addOption(new Option('--cpu-prof <dir>', 'write a CPU profile of every child process into dir'))
  .action(async (flags: Record<string, unknown>) => {
    const mode: RunMode = flags.quick === true ? 'quick' : flags.long === true ? 'long' : 'default'
    const options = defaultOptions(mode)
    const num = (name: string) => flags[name] as number | undefined
    if (flags.only !== undefined) options.parts = flags.only as BenchPart[]
    if (flags.nodes !== undefined) options.nodes = flags.nodes as number[]
    if (flags.concurrency !== undefined) options.concurrency = flags.concurrency as number[]
    options.paired.blocks = num('blocks') ?? options.paired.blocks
    options.paired.opsPerBlock = num('blockOps') ?? options.paired.opsPerBlock
    options.floorOpsPerBlock = num('blockOps') ?? options.floorOpsPerBlock
    const phase = num('phaseLimit')
    if (phase !== undefined) options.paired.phaseTimeLimitMs = phase * 1000
    options.anchor.blocks = num('anchorBlocks') ?? options.anchor.blocks
    options.anchor.opsPerBlock = num('anchorBlockOps') ?? options.anchor.opsPerBlock
    const anchorPhase = num('anchorPhaseLimit')
    if (anchorPhase !== undefined) options.anchor.phaseTimeLimitMs = anchorPhase * 1000
    options.joinKeys = num('joinKeys') ?? options.joinKeys
    options.joinNodes = num('joinNodes') ?? options.joinNodes
    options.seed = num('seed') ?? options.seed
    const budget = num('budget')
    if (budget !== undefined) options.budgetMs = budget * 1000
    if (typeof flags.cpuProf === 'string') options.cpuProfDir = flags.cpuProf
    const command = `pnpm bench -- ${argv.join(' ')}`.trim()
    const say = (line: string) => process.stderr.write(`${line}\n`)
    const repeat = (flags.repeat as number | undefined) ?? 1
    const reports: BenchReport[] = []
    for (let run = 1; run <= repeat; run++) {
      if (repeat > 1) say(`--- run ${run} of ${repeat} ---`)
      const report = await runBench({ options, command, progress: say })
      reports.push(report)
      if (flags.history !== false) appendHistory(historyLine(report))
      if (flags.json !== true) process.stdout.write(`${renderReport(report)}\n\n`)
    }
    const agreement = repeat > 1 ? compareRuns(reports.map((r) => r.headlines)) : undefined
    if (flags.json === true) {
      const body =
        repeat > 1
          ? {
              runs: reports,
              agreement,
              agree: {
                latency: repeatVerdict(agreement ?? [], 'latency'),
                cost: repeatVerdict(agreement ?? [], 'cost'),
              },
            }
          : reports[0]
      process.stdout.write(`${JSON.stringify(body, null, 2)}\n`)
    } else if (agreement !== undefined) {
      process.stdout.write(`${renderAgreement(agreement)}\n`)
    }
    const last = reports.at(-1)
    if (flags.writeResults === true && last !== undefined) {
      let body = renderReport(last)
      if (agreement !== undefined) body += `\n\n${renderAgreement(agreement)}`
      writeResultsSection(generatedSection(body, renderTrend(readHistory())))
      say('RESULTS.md: generated section rewritten')
    }
  })

// `pnpm bench -- --json` hands us a literal `--`, which would end option parsing
const argv = process.argv.slice(2)
if (argv[0] === '--') argv.shift()
// options after `coordination`, `queues` or `messaging` are their own (`--quick` means their quick run)
program
  .enablePositionalOptions()
  .addCommand(coordinationCommand(() => argv))
  .addCommand(queuesCommand(() => argv))
  .addCommand(messagingCommand(() => argv))
  .addCommand(fanoutCommand(() => argv))

try {
  await program.parseAsync(argv, { from: 'user' })
  // children are stopped by now; exit so no stray handle keeps the driver alive
  process.exit(0)
} catch (err) {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
  process.exit(1)
}
