import { readFileSync } from 'node:fs'
import os from 'node:os'
import type { DeploymentInit } from './deployment.js'
import { runFloor } from './floor/run-floor.js'
import { runKad } from './kad/run-kad.js'
import type { BenchOptions } from './options.js'
import { attachRatios, computeTargets } from './report.js'
import type { BenchReport, SystemResult } from './results.js'
import { runJoin } from './ringdht/run-join.js'
import { runRingdht } from './ringdht/run-ringdht.js'
import { round } from './stats.js'

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

function describeError(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err)
}

export interface RunBenchInit {
  options: BenchOptions
  /** Progress lines for a person watching (stderr); silent when undefined. */
  progress?: (line: string) => void
  command?: string
}

/**
 * Runs the selected parts in order (floor, kad-dht, ringdht, join) and returns
 * one report with ratios and targets computed from this run's figures only.
 * A part that fails is recorded with its reason; the others still run.
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
      machine: {
        cpus: cpus.length,
        cpuModel: cpus[0]?.model ?? 'unknown',
        memoryGiB: round(os.totalmem() / 2 ** 30, 1),
        platform: `${os.platform()} ${os.release()}`,
        node: process.version,
      },
      versions: Object.fromEntries(VERSIONED_PACKAGES.map((name) => [name, packageVersion(name)])),
      options: { ...options },
    },
    systems: {},
    targets: [],
  }
  const deployment = (nodes: number): DeploymentInit => {
    const init: DeploymentInit = {
      nodes,
      concurrency: options.concurrency,
      ops: options.ops,
      valueBytes: options.valueBytes,
      phaseTimeLimitMs: options.phaseTimeLimitMs,
      operationTimeoutMs: options.operationTimeoutMs,
      settleTimeoutMs: options.settleTimeoutMs,
      progress: say,
    }
    if (options.cpuProfDir !== undefined) init.cpuProfDir = options.cpuProfDir
    return init
  }
  const parts = new Set(options.parts)

  if (parts.has('floor')) {
    say('floor: measuring')
    const floorInit: Parameters<typeof runFloor>[0] = {
      count: options.floorOps,
      concurrency: Math.max(...options.concurrency),
      timeLimitMs: options.phaseTimeLimitMs,
      operationTimeoutMs: options.operationTimeoutMs,
    }
    if (options.cpuProfDir !== undefined) floorInit.cpuProfDir = options.cpuProfDir
    report.floor = await runFloor(floorInit)
    say(
      `floor: open-stream p50 ${report.floor.openStream.latencyMs.p50} ms, ` +
        `new-stream p50 ${report.floor.newStream.latencyMs.p50} ms`,
    )
  }

  const runSystem = async (
    run: (
      init: DeploymentInit,
    ) => Promise<{ setup: SystemResult['setups'][number]; cases: SystemResult['cases'] }>,
  ): Promise<SystemResult> => {
    const result: SystemResult = { available: true, setups: [], cases: [] }
    for (const nodes of options.nodes) {
      try {
        const { setup, cases } = await run(deployment(nodes))
        result.setups.push(setup)
        result.cases.push(...cases)
      } catch (err) {
        result.available = result.cases.length > 0
        result.reason = `N=${nodes}: ${describeError(err)}`
        say(`failed at N=${nodes}: ${describeError(err)}`)
      }
    }
    return result
  }

  if (parts.has('kad-dht')) report.systems['kad-dht'] = await runSystem(runKad)

  if (parts.has('ringdht')) report.systems.ringdht = await runSystem(runRingdht)
  if (parts.has('join')) {
    try {
      const joinInit: Parameters<typeof runJoin>[0] = {
        ringNodes: options.joinNodes,
        keys: options.joinKeys,
        valueBytes: options.valueBytes,
        concurrency: Math.max(...options.concurrency),
        phaseTimeLimitMs: options.phaseTimeLimitMs,
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

  attachRatios(report)
  report.targets = computeTargets(report, options)
  report.meta.durationS = round((Date.now() - started) / 1000, 1)
  return report
}
