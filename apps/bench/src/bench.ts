import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import os from 'node:os'
import type { BenchDriver } from './drivers/driver.js'
import { FloorDriver } from './drivers/floor-driver.js'
import { MeshDriver, type MeshSpec } from './drivers/mesh-driver.js'
import { kadSpec } from './kad/kad-spec.js'
import type { BenchOptions, BlockPlan } from './options.js'
import {
  measureBackground,
  runFloorOnly,
  runPairedSession,
  type SessionInit,
} from './paired-session.js'
import { describePlan, isCapped } from './plan.js'
import { samplePids } from './process-cost.js'
import { attachKadRatios, computeTargets, headlines } from './report.js'
import type { BenchReport, DeploymentSetup, RssSummary, SystemResult } from './results.js'
import { ringdhtSpec } from './ringdht/ringdht-spec.js'
import { runJoin } from './ringdht/run-join.js'
import { roundTo } from './statistics.js'

const VERSIONED_PACKAGES = [
  'libp2p',
  '@libp2p/kad-dht',
  '@libp2p/tcp',
  '@libp2p/mplex',
  '@chainsafe/libp2p-noise',
]

function packageVersion(name: string): string {
  try {
    const url = new URL(`../../node_modules/${name}/package.json`, import.meta.url)
    return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version
  } catch {
    return 'unknown'
  }
}

/** The commit measured, with `+dirty` when the code has uncommitted changes. */
export function currentCommit(): string {
  const git = (args: string[]) =>
    execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  try {
    const commit = git(['rev-parse', '--short', 'HEAD'])
    // the bench's own outputs do not make the measured code dirty (a --repeat run writes them)
    const changes = git([
      'status',
      '--porcelain',
      '--untracked-files=no',
      '--',
      ':(top)',
      ':(top,exclude)apps/bench/history.jsonl',
      ':(top,exclude)apps/bench/RESULTS.md',
    ])
    return changes === '' ? commit : `${commit}+dirty`
  } catch {
    return 'unknown'
  }
}

function describeError(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err)
}

const MIB = 1024 * 1024
/** How long members are watched idle after ready, for their background CPU. */
const BACKGROUND_SAMPLE_MS = 3_000
/** Budget the join experiment needs left to start. */
const JOIN_RESERVE_MS = 60_000

function summarizeRss(bytes: number[]): RssSummary {
  const mib = bytes.map((value) => roundTo(value / MIB, 1))
  return {
    min: Math.min(...mib),
    mean: roundTo(mib.reduce((a, b) => a + b, 0) / Math.max(1, mib.length), 1),
    max: Math.max(...mib),
    perProcess: mib,
  }
}

/** The systems measured against the floor, each a member + client deployment. */
const MESH_SYSTEMS: Array<{ part: 'ringdht' | 'kad-dht'; spec: MeshSpec; anchor: boolean }> = [
  { part: 'ringdht', spec: ringdhtSpec, anchor: false },
  { part: 'kad-dht', spec: kadSpec, anchor: true },
]

export interface RunBenchInit {
  options: BenchOptions
  /** Progress lines for a person watching (stderr); silent when undefined. */
  progress?: (line: string) => void
  command?: string
}

/** Memory after the workload, by PID, and the records each member holds. */
async function describeDeployment(
  driver: BenchDriver,
  ready: { settleMs: number; view: number[]; note?: string },
  storedPuts: number,
): Promise<DeploymentSetup> {
  const processes = driver.processes()
  const samples = samplePids(processes.map((p) => p.pid))
  const rssOf = (role: 'member' | 'client') =>
    samples
      .filter((s) => processes.some((p) => p.pid === s.pid && p.role === role))
      .map((s) => s.rssBytes)
  const client = rssOf('client')[0]
  const setup: DeploymentSetup = {
    nodes: driver.nodes,
    settleMs: ready.settleMs,
    view: ready.view,
    rssMiB: { members: summarizeRss(rssOf('member')) },
  }
  if (client !== undefined) setup.rssMiB.client = roundTo(client / MIB, 1)
  if (ready.note !== undefined) setup.note = ready.note
  const { recordsPerMember } = await driver.stats()
  if (recordsPerMember !== undefined) {
    setup.recordsPerMember = recordsPerMember
    const total = recordsPerMember.reduce((a, b) => a + b, 0)
    if (storedPuts > 0) setup.storedCopiesPerKey = roundTo(total / storedPuts, 2)
  }
  return setup
}

/**
 * Runs the selected parts: the floor stays up throughout and every system's
 * blocks alternate with floor blocks; the join experiment runs last, alone.
 * Every ratio comes from this run's blocks only.
 */
export async function runBench(init: RunBenchInit): Promise<BenchReport> {
  const { options } = init
  const say = init.progress ?? (() => {})
  const started = Date.now()
  const cpus = os.cpus()
  const report: BenchReport = {
    meta: {
      startedAt: new Date(started).toISOString(),
      durationS: 0,
      command: init.command ?? 'pnpm bench',
      commit: currentCommit(),
      machine: {
        cpus: cpus.length,
        cpuModel: cpus[0]?.model ?? 'unknown',
        memoryGiB: roundTo(os.totalmem() / 2 ** 30, 1),
        platform: `${os.platform()} ${os.release()}`,
        node: process.version,
        loadAverage: [roundTo(os.loadavg()[0] ?? 0, 2), 0],
      },
      versions: Object.fromEntries(VERSIONED_PACKAGES.map((name) => [name, packageVersion(name)])),
      options: { ...options },
    },
    systems: {},
    headlines: [],
    targets: [],
  }
  const deadline = performance.now() + options.budgetMs
  const parts = new Set(options.parts)
  const systems = MESH_SYSTEMS.filter((s) => parts.has(s.part))

  if (parts.has('floor') || systems.length > 0) {
    const floor = new FloorDriver(options.cpuProfDir)
    try {
      await floor.start()
      await floor.ready()
      const session = (plan: BlockPlan): SessionInit => ({
        floor,
        plan,
        floorOpsPerBlock: options.floorOpsPerBlock,
        concurrency: options.concurrency,
        operationTimeoutMs: options.operationTimeoutMs,
        seed: options.seed,
        deadline,
        progress: say,
      })
      if (systems.length === 0) report.floor = await runFloorOnly(session(options.paired))
      for (const { part, spec, anchor } of systems) {
        const plan = anchor ? options.anchor : options.paired
        let description = describePlan(part, plan, options.concurrency)
        if (anchor && isCapped(plan, options.paired)) {
          description += ' — capped; `--long` measures it like ringdht'
        }
        say(description)
        const result: SystemResult = { available: true, plan: description, setups: [], cases: [] }
        report.systems[part] = result
        for (const nodes of options.nodes) {
          if (performance.now() > deadline) {
            result.reason = `N=${nodes} skipped: the run's time budget was spent`
            say(`${part} N=${nodes}: skipped, the time budget is spent`)
            continue
          }
          const meshInit = {
            nodes,
            valueBytes: options.valueBytes,
            settleTimeoutMs: options.settleTimeoutMs,
            ...(options.cpuProfDir === undefined ? {} : { cpuProfDir: options.cpuProfDir }),
          }
          const driver = new MeshDriver(spec, meshInit)
          try {
            await driver.start()
            const ready = await driver.ready()
            say(`${part} N=${nodes}: ready in ${ready.settleMs} ms`)
            const backgroundCores = await measureBackground(driver, BACKGROUND_SAMPLE_MS)
            const cases = await runPairedSession(driver, session(plan), backgroundCores)
            const storedPuts = cases
              .filter((c) => c.op === 'put')
              .reduce((sum, c) => sum + c.completed, 0)
            const setup = await describeDeployment(driver, ready, storedPuts)
            setup.backgroundCores = backgroundCores
            result.setups.push(setup)
            result.cases.push(...cases)
          } catch (err) {
            result.available = result.cases.length > 0
            result.reason = `N=${nodes}: ${describeError(err)}`
            say(`${part} failed at N=${nodes}: ${describeError(err)}`)
          } finally {
            await driver.stop()
          }
        }
      }
    } finally {
      await floor.stop()
    }
  }

  // the join needs about a minute; started later it would run past the budget
  if (parts.has('join') && performance.now() > deadline - JOIN_RESERVE_MS) {
    report.join = { available: false, reason: "skipped: the run's time budget was spent" }
  } else if (parts.has('join')) {
    try {
      const joinInit: Parameters<typeof runJoin>[0] = {
        ringNodes: options.joinNodes,
        keys: options.joinKeys,
        valueBytes: options.valueBytes,
        concurrency: Math.max(...options.concurrency),
        phaseTimeLimitMs: options.joinPhaseTimeLimitMs,
        operationTimeoutMs: options.operationTimeoutMs,
        settleTimeoutMs: options.settleTimeoutMs,
        progress: say,
      }
      if (options.cpuProfDir !== undefined) joinInit.cpuProfDir = options.cpuProfDir
      report.join = await runJoin(joinInit)
    } catch (err) {
      report.join = { available: false, reason: describeError(err) }
    }
  }

  attachKadRatios(report)
  report.headlines = headlines(report, options)
  report.targets = computeTargets(report, options)
  report.meta.machine.loadAverage[1] = roundTo(os.loadavg()[0] ?? 0, 2)
  report.meta.durationS = roundTo((Date.now() - started) / 1000, 1)
  return report
}
