#!/usr/bin/env node
/**
 * `pnpm bench [-- options]`: ringdht against @libp2p/kad-dht and the one-hop
 * floor, in one run. A table by default; `--json` prints one JSON object.
 */
import { Command, InvalidArgumentError, Option } from 'commander'
import { runBench } from './bench.js'
import { ALL_PARTS, type BenchPart, defaultOptions } from './options.js'
import { renderTable } from './report.js'

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
  .description('Benchmark ringdht against @libp2p/kad-dht and the open-stream floor')
  .option('--json', 'print one JSON object instead of the table', false)
  .option('--quick', 'a smoke run: N=8 only, 100 ops, small join', false)
  .addOption(
    new Option('--only <parts>', `parts to run, from ${ALL_PARTS.join(',')}`).argParser(partList),
  )
  .addOption(new Option('--nodes <list>', 'ring sizes, e.g. 8,16').argParser(intList))
  .addOption(new Option('--concurrency <list>', 'concurrency levels, e.g. 1,32').argParser(intList))
  .addOption(new Option('--ops <n>', 'puts (then gets) per case').argParser(positiveInt))
  .addOption(new Option('--floor-ops <n>', 'round trips per floor case').argParser(positiveInt))
  .addOption(
    new Option('--join-keys <n>', 'keys in the ring before the join').argParser(positiveInt),
  )
  .addOption(new Option('--join-nodes <n>', 'ring size before the join').argParser(positiveInt))
  .addOption(
    new Option('--phase-limit <s>', 'wall-time cap per workload phase, seconds').argParser(
      positiveInt,
    ),
  )
  .addOption(new Option('--cpu-prof <dir>', 'write a CPU profile of every child process into dir'))
  .action(async (flags: Record<string, unknown>) => {
    const options = defaultOptions(flags.quick === true)
    if (flags.only !== undefined) options.parts = flags.only as BenchPart[]
    if (flags.nodes !== undefined) options.nodes = flags.nodes as number[]
    if (flags.concurrency !== undefined) options.concurrency = flags.concurrency as number[]
    if (flags.ops !== undefined) options.ops = flags.ops as number
    if (flags.floorOps !== undefined) options.floorOps = flags.floorOps as number
    if (flags.joinKeys !== undefined) options.joinKeys = flags.joinKeys as number
    if (flags.joinNodes !== undefined) options.joinNodes = flags.joinNodes as number
    if (flags.phaseLimit !== undefined)
      options.phaseTimeLimitMs = (flags.phaseLimit as number) * 1000
    if (typeof flags.cpuProf === 'string') options.cpuProfDir = flags.cpuProf
    const report = await runBench({
      options,
      command: `pnpm bench -- ${argv.join(' ')}`.trim(),
      progress: (line) => process.stderr.write(`${line}\n`),
    })
    process.stdout.write(
      flags.json === true ? `${JSON.stringify(report, null, 2)}\n` : `${renderTable(report)}\n`,
    )
  })

// `pnpm bench -- --json` hands us a literal `--`, which would end option parsing
const argv = process.argv.slice(2)
if (argv[0] === '--') argv.shift()

try {
  await program.parseAsync(argv, { from: 'user' })
  // children are stopped by now; exit so no stray handle keeps the driver alive
  process.exit(0)
} catch (err) {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
  process.exit(1)
}
