import { formatHistory } from '@ringdht/consensus'
import {
  type BrokenMode,
  compareElections,
  formatElectionTable,
  runSeeds,
  type SeedRunReport,
} from '@ringdht/consensus/sim'
import { Command, InvalidArgumentError, Option } from 'commander'

interface ConsensusOptions {
  seeds: number
  proposers: number
  ops: number
  keys: number
  fastPath?: 'on' | 'off'
  proposerRestarts?: number
  firstSeed: number
  electionSeeds: number
  broken?: BrokenMode
  shrink: boolean
  json?: boolean
}

function count(value: string): number {
  const n = Number(value)
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) {
    throw new InvalidArgumentError('expected a whole number ≥ 0')
  }
  return n
}

/**
 * `pnpm sim -- consensus`: runs seeded CASPaxos simulations (lossy network, crashes, wiped
 * disks, replica replacement), checks every history for linearizability, prints a summary
 * and, for a failing seed, the seed and a shrunk history; then the election comparison.
 * Exits 1 when any seed violates linearizability.
 */
export function runConsensusCommand(argv: readonly string[]): void {
  const program = new Command('ringdht-sim consensus')
    .description(
      'Seeded CASPaxos simulations checked for linearizability, and the election comparison.',
    )
    .option('-s, --seeds <count>', 'seeds to run', count, 1000)
    .option('--first-seed <number>', 'first seed; seeds run are consecutive', count, 1)
    .option('--proposers <count>', 'client proposers per seed', count, 3)
    .option('--ops <count>', 'operations per proposer', count, 12)
    .option('--keys <count>', 'keys the operations are spread over', count, 3)
    .addOption(
      new Option(
        '--fast-path <on|off>',
        'proposers use the one-round-trip fast path (default: on for half the seeds)',
      ).choices(['on', 'off']),
    )
    .option(
      '--proposer-restarts <count>',
      'proposer restarts per seed, each forgetting its counters and promises (default: 0–2 by seed)',
      count,
    )
    .option(
      '--election-seeds <count>',
      'seeds per election strategy and scenario (0: skip)',
      count,
      50,
    )
    .addOption(
      new Option('--broken <mode>', 'run a deliberate bug (the check must fail)').choices([
        'minorityQuorum',
        'wipeKeepsIdentity',
        'skipStateTransfer',
        'promiseTwice',
      ]),
    )
    .option('--no-shrink', 'print the failing history as it is')
    .option('--json', 'print one JSON object')
    .showHelpAfterError()
  program.parse(argv, { from: 'user' })
  const options = program.opts<ConsensusOptions>()

  const started = performance.now()
  const cpuStarted = process.cpuUsage()
  const report = runSeeds({
    seeds: options.seeds,
    firstSeed: options.firstSeed,
    schedule: {
      proposers: options.proposers,
      opsPerProposer: options.ops,
      keys: options.keys,
      fastPath: options.fastPath === undefined ? undefined : options.fastPath === 'on',
      proposerRestarts: options.proposerRestarts,
    },
    broken: options.broken,
    shrink: options.shrink,
  })
  const seconds = (performance.now() - started) / 1000
  const cpuSeconds = process.cpuUsage(cpuStarted).user / 1e6
  const election = options.electionSeeds > 0 ? compareElections(options.electionSeeds) : []
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ ...report, seconds, cpuSeconds, election }, null, 2)}\n`,
    )
  } else {
    process.stdout.write(formatSummary(report, options, seconds, cpuSeconds))
    if (election.length > 0) {
      process.stdout.write(
        `\nelection after the leader fails (${options.electionSeeds} seeds each; time in virtual units, one-way delay 1–10):\n${formatElectionTable(election)}\n`,
      )
    }
  }
  if (report.violations > 0) process.exitCode = 1
}

function formatSummary(
  report: SeedRunReport,
  options: ConsensusOptions,
  seconds: number,
  cpuSeconds: number,
): string {
  const lines = [
    `consensus simulation${options.broken ? ` (BROKEN: ${options.broken})` : ''}`,
    `  seeds        ${report.seedsRun} (${options.firstSeed}…${options.firstSeed + report.seedsRun - 1})`,
    `  ops          ${report.ops}: ok ${report.ok}, failed ${report.failed}, indeterminate ${report.indeterminate}`,
    `  faults       ${report.faults} (crashes, wipes, replacements); ${report.reconfigurations} joint-quorum replacements completed; ${report.proposerRestarts} proposer restarts`,
    `  messages     ${report.messages}`,
    `  violations   ${report.violations}${report.unknown > 0 ? ` (+${report.unknown} seeds the checker gave up on)` : ''}`,
    `  time         ${seconds.toFixed(2)} s wall, ${cpuSeconds.toFixed(2)} s user CPU`,
  ]
  const failure = report.firstFailure
  if (failure !== undefined) {
    lines.push(
      '',
      `first failing seed: ${failure.seed} (keys ${failure.keys.join(', ')}); violating seeds: ${report.violatingSeeds.slice(0, 20).join(', ')}${report.violatingSeeds.length > 20 ? ', …' : ''}`,
      `shrunk schedule: ${failure.schedule.acceptors} acceptors, ${failure.schedule.ops.length} ops, faults ${JSON.stringify(failure.schedule.faults.map((f) => ({ at: f.at, kind: f.kind, member: f.member, downFor: f.downFor })))}, proposer restarts ${JSON.stringify(failure.schedule.proposerRestarts)}, fast path ${failure.schedule.fastPath ? 'on' : 'off'}`,
      'history of the failing keys (not linearizable):',
      formatHistory(failure.history),
    )
  }
  return `${lines.join('\n')}\n`
}
