import { RECOMMENDED_VIRTUAL_NODES } from '@ringdht/ring'
import { Command, InvalidArgumentError } from 'commander'
import { formatRow, type PlacementRow, placementTable, tableHeader } from './placement-table.js'
import { formatReport } from './report.js'
import { type SimulationReport, simulate } from './simulate.js'

/** Issue 16: the simulator places 100,000 nodes' 1,000,000 keys in under a minute. */
export const SCALE_NODES = 100_000
export const SCALE_KEYS = 1_000_000
export const SCALE_TIME_TARGET_MS = 60_000

interface PlacementOptions {
  nodes: number
  keys: number
  vnodes: number[]
  replicas: number
  samples: number
  seeds: number
  firstSeed: number
  scale: boolean
  scaleVnodes: number
  scaleSamples: number
  json?: boolean
}

function whole(value: string): number {
  const n = Number(value)
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError('expected a whole number ≥ 1')
  }
  return n
}

function wholeList(value: string): number[] {
  return value.split(',').map((part) => whole(part.trim()))
}

/**
 * `pnpm sim -- placement`: both placements side by side at one size (issue 16: N = 16,
 * K = 100,000), chord for each V, with the balance and replicated-movement targets
 * marked; with --scale, then one run of each at 100,000 nodes and 1,000,000 keys, timed.
 */
export function runPlacementCommand(argv: readonly string[]): void {
  const program = new Command('ringdht-sim placement')
    .description(
      'Balance and movement per placement and V, against issue 16 targets; --scale adds the 100,000-node run.',
    )
    .option('-n, --nodes <count>', 'nodes on the ring', whole, 16)
    .option('-k, --keys <count>', 'keys placed', whole, 100_000)
    .option(
      '--vnodes <list>',
      'V values for chord, comma-separated',
      wholeList,
      [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
    )
    .option('-r, --replicas <count>', 'replicas per key for the replicated movement', whole, 3)
    .option('--samples <count>', 'joins measured per run', whole, 500)
    .option('--seeds <count>', 'seeds per row (worst load, mean movement)', whole, 1)
    .option('--first-seed <number>', 'first seed; seeds run are consecutive', whole, 1)
    .option('--scale', 'then run chord and rendezvous at 100,000 nodes, 1,000,000 keys', false)
    .option(
      '--scale-vnodes <count>',
      'V for the chord scale run: the recommended V',
      whole,
      RECOMMENDED_VIRTUAL_NODES,
    )
    .option(
      '--scale-samples <count>',
      'joins measured in the scale runs (many: rendezvous ranks only a sample of keys there)',
      whole,
      5000,
    )
    .option('--json', 'print one JSON object at the end')
    .showHelpAfterError()
  program.parse(argv, { from: 'user' })
  const options = program.opts<PlacementOptions>()
  const init = {
    nodes: options.nodes,
    keys: options.keys,
    virtualNodes: options.vnodes,
    replicas: options.replicas,
    samples: options.samples,
    seeds: options.seeds,
    firstSeed: options.firstSeed,
  }
  const print = (text: string) => {
    if (!options.json) process.stdout.write(text)
  }
  print(`${tableHeader(init)}\n`)
  const rows: PlacementRow[] = placementTable(init, (row) =>
    print(`${formatRow(row, options.replicas)}\n`),
  )
  const scale: Array<SimulationReport & { elapsedMs: number; timeMet: boolean }> = []
  if (options.scale) {
    for (const partitioner of ['chord', 'rendezvous'] as const) {
      const started = performance.now()
      const report = simulate({
        nodes: SCALE_NODES,
        keys: SCALE_KEYS,
        partitioner,
        ...(partitioner === 'chord' ? { virtualNodes: options.scaleVnodes } : {}),
        replicas: options.replicas,
        samples: options.scaleSamples,
        seed: options.firstSeed,
      })
      const elapsedMs = Math.round(performance.now() - started)
      const timeMet = elapsedMs < SCALE_TIME_TARGET_MS
      scale.push({ ...report, elapsedMs, timeMet })
      print(
        `\n${formatReport(report, elapsedMs).trimEnd()} ${timeMet ? '✅' : '❌'} (target < ${SCALE_TIME_TARGET_MS / 1000} s)\n`,
      )
    }
  }
  if (options.json) process.stdout.write(`${JSON.stringify({ ...init, rows, scale }, null, 2)}\n`)
}
