#!/usr/bin/env node
import { PARTITIONER_KINDS, type PartitionerKind } from '@ringdht/ring'
import { Command, InvalidArgumentError, Option } from 'commander'
import { runConsensusCommand } from './consensus-cli.js'
import { runPlacementCommand } from './placement-cli.js'
import { formatReport } from './report.js'
import { SIMULATION_DEFAULTS, simulate } from './simulate.js'

function positiveInteger(value: string): number {
  const n = Number(value)
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError('expected a whole number ≥ 1')
  }
  return n
}

function seedNumber(value: string): number {
  const n = Number(value)
  if (!/^\d+$/.test(value) || n > 0xffffffff) {
    throw new InvalidArgumentError('expected a whole number in [0, 4294967295]')
  }
  return n
}

interface CliOptions {
  nodes: number
  keys: number
  partitioner: PartitionerKind
  vnodes?: number
  successors: number
  samples: number
  replicas: number
  maxWeights: number
  lookups?: number
  seed: number
  json?: boolean
}

export function main(argv: readonly string[]): void {
  // `pnpm sim -- --nodes 5` may hand the `--` through; it only separates pnpm's options.
  const args = argv[0] === '--' ? argv.slice(1) : argv
  if (args[0] === 'consensus') {
    runConsensusCommand(args.slice(1))
    return
  }
  if (args[0] === 'placement') {
    runPlacementCommand(args.slice(1))
    return
  }
  const program = new Command('ringdht-sim')
    .description(
      'Simulate a ringdht ring in memory (Chord routing over fingers and successor lists, ' +
        'no sockets) and report lookup hops, load balance and keys moved on join and leave. ' +
        '`placement` compares both placements against issue 16 targets.',
    )
    .requiredOption('-n, --nodes <count>', 'nodes on the ring', positiveInteger)
    .requiredOption('-k, --keys <count>', 'keys to place', positiveInteger)
    .addOption(
      new Option('-p, --partitioner <kind>', 'how keys map to nodes')
        .choices(PARTITIONER_KINDS)
        .default(SIMULATION_DEFAULTS.partitioner),
    )
    .option('--vnodes <count>', 'virtual nodes per node (chord only; default 1)', positiveInteger)
    .option(
      '--successors <count>',
      'successor list length each chord node routes with',
      positiveInteger,
      SIMULATION_DEFAULTS.successorListLength,
    )
    .option(
      '--samples <count>',
      'joins measured, and as many leaves',
      positiveInteger,
      SIMULATION_DEFAULTS.samples,
    )
    .option(
      '-r, --replicas <count>',
      'replicas per key, for the replicated movement figures',
      positiveInteger,
      SIMULATION_DEFAULTS.replicas,
    )
    .option(
      '--max-weights <count>',
      'rendezvous: node × key weights computed at most; beyond, only a sample of keys is ranked',
      positiveInteger,
      SIMULATION_DEFAULTS.maxWeights,
    )
    .option(
      '--lookups <count>',
      'keys looked up for the hop figures (default: min(keys, 100000))',
      positiveInteger,
    )
    .option(
      '--seed <number>',
      'seed for nodes, keys and choices',
      seedNumber,
      SIMULATION_DEFAULTS.seed,
    )
    .option('--json', 'print one JSON object')
    .showHelpAfterError()
  program.parse(args, { from: 'user' })
  const options = program.opts<CliOptions>()
  if (
    options.partitioner === 'rendezvous' &&
    options.vnodes !== undefined &&
    options.vnodes !== 1
  ) {
    program.error('error: --vnodes applies to --partitioner chord only')
  }

  const started = performance.now()
  const report = simulate({
    nodes: options.nodes,
    keys: options.keys,
    partitioner: options.partitioner,
    virtualNodes: options.vnodes ?? 1,
    successorListLength: options.successors,
    samples: options.samples,
    replicas: options.replicas,
    maxWeights: options.maxWeights,
    ...(options.lookups !== undefined ? { lookups: options.lookups } : {}),
    seed: options.seed,
  })
  const elapsedMs = Math.round(performance.now() - started)
  process.stdout.write(
    options.json
      ? `${JSON.stringify({ ...report, elapsedMs }, null, 2)}\n`
      : formatReport(report, elapsedMs),
  )
}

try {
  main(process.argv.slice(2))
} catch (error) {
  if (error instanceof RangeError) {
    process.stderr.write(`error: ${error.message}\n`)
    process.exitCode = 1
  } else {
    throw error
  }
}
