/**
 * `pnpm bench -- coordination`: ringdht's coordination against etcd 3.4 in one run. Starts a
 * 3-member etcd cluster and a ringdht ring on 127.0.0.1, one client process for each, and
 * runs every case on both, back to back (the order alternating from case to case, so drift
 * in the shared cores' load does not favour one): CAS on a hot key and on 1,000 keys, lock
 * cycles uncontended and contended, then the time to a new leader after a SIGKILL.
 */
import os from 'node:os'
import { setTimeout as delay } from 'node:timers/promises'
import { currentCommit } from '../bench.js'
import type { MemberArgs } from '../drivers/mesh-driver.js'
import { cpuProfArgs } from '../harness/cpu-prof.js'
import { type BenchChild, ProcessGroup, scriptPath } from '../harness/process-group.js'
import { cpuBetween, othersShare, readMachineTicks, samplePids } from '../process-cost.js'
import { ringdhtSpec } from '../ringdht/ringdht-spec.js'
import { round } from '../stats.js'
import type { CasRunArgs, CoordinationRunResult, LockRunArgs } from './coordination-commands.js'
import {
  type CoordinationCase,
  type CoordinationReport,
  type CoordinationSystem,
  coordinationTargets,
  type FailoverFigures,
  type MeasuredBlock,
  median,
  pairCase,
} from './coordination-report.js'
import { EtcdCluster, findEtcd } from './etcd-cluster.js'
import { etcdFailover, ringdhtFailover } from './failover.js'

export interface CoordinationOptions {
  /** ringdht daemons. Default 8 (see defaultCoordinationOptions). */
  ringNodes: number
  concurrency: number[]
  /** Key counts of the CAS cases: 1 is one hot key. */
  keySets: number[]
  /** Operations per case and system at c = 1, higher, on the contended lock (all rounds). */
  ops: { single: number; concurrent: number; contendedLock: number }
  /** Rounds of [etcd block, ringdht block] each case is split into. */
  rounds: number
  /** Wall-time cap of one case on one system, all rounds together. */
  caseTimeLimitMs: number
  operationTimeoutMs: number
  /** ringdht lock lease; etcd session leases are this rounded up to seconds (≥ 2 s). */
  lockTtlMs: number
  /** ringdht election lease: how long a dead leader keeps the lead. */
  electionTtlMs: number
  /** How often the ringdht observer reads the leader, ms. */
  observeIntervalMs: number
  failoverTrials: number
  settleTimeoutMs: number
  cpuProfDir?: string
}

/**
 * 8 daemons rather than the main bench's 16: a register operation runs at its key's owner
 * and replicas whatever the ring's size (N only adds a routing hop to a `direct` client),
 * and 8 more daemons would take ~1 of the 2 shared cores' worth of background work.
 */
export function defaultCoordinationOptions(quick = false): CoordinationOptions {
  const base: CoordinationOptions = {
    ringNodes: 8,
    concurrency: [1, 32],
    keySets: [1, 1000],
    ops: { single: 1000, concurrent: 8000, contendedLock: 800 },
    rounds: 4,
    caseTimeLimitMs: 20_000,
    operationTimeoutMs: 10_000,
    lockTtlMs: 5_000,
    electionTtlMs: 1_000,
    observeIntervalMs: 25,
    failoverTrials: 3,
    settleTimeoutMs: 60_000,
  }
  if (!quick) return base
  return {
    ...base,
    ringNodes: 4,
    ops: { single: 20, concurrent: 64, contendedLock: 20 },
    rounds: 1,
    failoverTrials: 1,
    settleTimeoutMs: 30_000,
  }
}

export class EtcdMissingError extends Error {
  override name = 'EtcdMissingError'
}

interface Systems {
  group: ProcessGroup
  etcd: EtcdCluster
  etcdClient: BenchChild
  members: BenchChild[]
  ringClient: BenchChild
}

const clientScript = scriptPath(import.meta.url, './ringdht-coordination-client.js')
const etcdClientScript = scriptPath(import.meta.url, './etcd-coordination-client.js')

function firstAddr(child: BenchChild): string {
  const addr = (child.info.multiaddrs as string[] | undefined)?.[0]
  if (addr === undefined) throw new Error(`${child.name} reported no multiaddr`)
  return addr
}

async function spawnRingClient(systems: Pick<Systems, 'group' | 'members'>, name: string) {
  const first = systems.members[0]
  if (first === undefined) throw new Error('no ringdht members')
  return systems.group.spawn({
    name,
    script: clientScript,
    args: [JSON.stringify({ bootstrap: firstAddr(first) } satisfies MemberArgs)],
  })
}

async function startSystems(
  options: CoordinationOptions,
  etcd: EtcdCluster,
  group: ProcessGroup,
): Promise<Systems> {
  const members: BenchChild[] = []
  for (let i = 0; i < options.ringNodes; i++) {
    const first = members[0]
    const args: MemberArgs = first === undefined ? {} : { bootstrap: firstAddr(first) }
    members.push(
      await group.spawn({
        name: `ring-${i}`,
        script: ringdhtSpec.memberScript,
        args: [JSON.stringify(args)],
        execArgv: cpuProfArgs(options.cpuProfDir, `coord-ring-${i}`),
      }),
    )
  }
  await ringdhtSpec.settleMembers(members, options.settleTimeoutMs)
  const ringClient = await spawnRingClient({ group, members }, 'ringdht-coordination-client')
  await ringdhtSpec.settleClient(ringClient, members, options.settleTimeoutMs)
  const etcdClient = await group.spawn({
    name: 'etcd-coordination-client',
    script: etcdClientScript,
    args: [JSON.stringify(etcd.endpoints)],
  })
  return { group, etcd, etcdClient, members, ringClient }
}

/** Runs one block of a case on one system; CPU of its servers and of everyone else. */
async function measure(
  systems: Systems,
  system: CoordinationSystem,
  command: 'cas' | 'lock',
  args: CasRunArgs | LockRunArgs,
): Promise<MeasuredBlock> {
  const client = system === 'etcd' ? systems.etcdClient : systems.ringClient
  const ringPids = systems.members.flatMap((m) => m.pid ?? [])
  const servers = system === 'etcd' ? systems.etcd.pids : ringPids
  const clients = [systems.etcdClient.pid, systems.ringClient.pid].flatMap((pid) => pid ?? [])
  const of = (pids: readonly (number | undefined)[]) =>
    before.filter((sample) => pids.includes(sample.pid))
  const all = [process.pid, ...systems.etcd.pids, ...ringPids, ...clients]
  const ticksBefore = readMachineTicks()
  const before = samplePids(all)
  const result = await client.request<CoordinationRunResult>(command, args, {
    timeoutMs: args.timeLimitMs + args.operationTimeoutMs + 30_000,
  })
  const after = samplePids(all)
  const ticksAfter = readMachineTicks()
  return {
    result,
    serverCpuS: cpuBetween(of(servers), after),
    clientCpuS: cpuBetween(of([client.pid]), after),
    othersCpuShare: othersShare(ticksBefore, ticksAfter, cpuBetween(before, after)),
  }
}

/** How long the idle servers are watched after start-up. */
const IDLE_SAMPLE_MS = 3_000

/** CPU of each system's servers while nothing is asked of them, in cores. */
async function idleServerCores(systems: Systems): Promise<Record<CoordinationSystem, number>> {
  const etcdPids = systems.etcd.pids
  const ringPids = systems.members.flatMap((m) => m.pid ?? [])
  const before = samplePids([...etcdPids, ...ringPids])
  const started = performance.now()
  await delay(IDLE_SAMPLE_MS)
  const after = samplePids([...etcdPids, ...ringPids])
  const seconds = (performance.now() - started) / 1000
  const cores = (pids: number[]) =>
    round(
      cpuBetween(
        before.filter((s) => pids.includes(s.pid)),
        after,
      ) / seconds,
      2,
    )
  return { etcd: cores(etcdPids), ringdht: cores(ringPids) }
}

/** `rounds` rounds of one block per system, the order alternating from block to block. */
async function runRounds(
  systems: Systems,
  rounds: number,
  command: 'cas' | 'lock',
  args: (system: CoordinationSystem, round: number) => CasRunArgs | LockRunArgs,
): Promise<Array<Record<CoordinationSystem, MeasuredBlock>>> {
  const measured: Array<Record<CoordinationSystem, MeasuredBlock>> = []
  for (let index = 0; index < rounds; index++) {
    const order: CoordinationSystem[] = index % 2 === 0 ? ['etcd', 'ringdht'] : ['ringdht', 'etcd']
    const blocks: Partial<Record<CoordinationSystem, MeasuredBlock>> = {}
    for (const system of order) {
      blocks[system] = await measure(systems, system, command, args(system, index))
    }
    measured.push(blocks as Record<CoordinationSystem, MeasuredBlock>)
  }
  return measured
}

export interface RunCoordinationInit {
  options: CoordinationOptions
  command: string
  progress?: (line: string) => void
}

export async function runCoordination(init: RunCoordinationInit): Promise<CoordinationReport> {
  const { options } = init
  const say = init.progress ?? (() => {})
  const binary = findEtcd()
  if (binary === undefined) {
    throw new EtcdMissingError('etcd is not installed (Debian: apt-get install etcd-server)')
  }
  const started = Date.now()
  const loadAtStart = round(os.loadavg()[0] ?? 0, 2)
  const runTag = started.toString(36)
  const group = new ProcessGroup()
  const etcd = await EtcdCluster.start({ binary })
  try {
    say(`etcd ${etcd.version}: 3 members at ${etcd.endpoints.join(', ')}, data in ${etcd.root}`)
    const systems = await startSystems(options, etcd, group)
    say(`ringdht: ${options.ringNodes} daemons settled; both clients ready`)
    const idleCores = await idleServerCores(systems)
    const cases: CoordinationCase[] = []
    const perBlock = (ops: number) => Math.max(1, Math.ceil(ops / options.rounds))
    const opsAt = (concurrency: number) =>
      perBlock(concurrency === 1 ? options.ops.single : options.ops.concurrent)
    const limits = {
      timeLimitMs: Math.ceil(options.caseTimeLimitMs / options.rounds),
      operationTimeoutMs: options.operationTimeoutMs,
    }
    const tagOf = (system: CoordinationSystem, round: number) =>
      `${runTag}-${cases.length}-${system}-${round}`
    const record = (entry: CoordinationCase, unit: string) => {
      cases.push(entry)
      say(
        `${entry.name}: ${unit} etcd ${entry.etcd.opsPerSec}, ringdht ${entry.ringdht.opsPerSec}; ringdht/etcd ${entry.ratio.opsPerSec}`,
      )
    }
    for (const keys of options.keySets) {
      for (const concurrency of options.concurrency) {
        const name = `cas ${keys === 1 ? 'hot key' : `${keys} keys`} c=${concurrency}`
        const rounds = await runRounds(systems, options.rounds, 'cas', (system, round) => ({
          runTag: tagOf(system, round),
          keys,
          count: opsAt(concurrency),
          concurrency,
          ...limits,
        }))
        record(pairCase({ name, kind: 'cas', keys, concurrency }, rounds), 'ops/s')
      }
    }
    const lockCases = [
      ...options.concurrency.map((concurrency) => ({ contended: false, concurrency })),
      { contended: true, concurrency: Math.max(...options.concurrency) },
    ]
    for (const { contended, concurrency } of lockCases) {
      const name = `lock ${contended ? 'contended' : 'uncontended'} c=${concurrency}`
      const rounds = await runRounds(systems, options.rounds, 'lock', (system, round) => ({
        runTag: tagOf(system, round),
        contended,
        count: contended ? perBlock(options.ops.contendedLock) : opsAt(concurrency),
        concurrency,
        ttlMs: options.lockTtlMs,
        ...limits,
      }))
      record(pairCase({ name, kind: 'lock', contended, concurrency }, rounds), 'cycles/s')
    }
    let failover: FailoverFigures | undefined
    if (options.failoverTrials > 0) {
      const ringdht = await ringdhtFailover({
        spawnCampaigner: (id) => spawnRingClient(systems, id),
        stop: (child) => group.stop(child),
        observer: systems.ringClient,
        election: `/coord/${runTag}/election`,
        options,
      })
      say(`ringdht failover: ${ringdht.join(', ')} ms`)
      // last: the etcd client's channel to a killed member is no use to later cases
      const etcdTimes = await etcdFailover(etcd, options.failoverTrials)
      say(`etcd failover: leader ${etcdTimes.leaderMs.join(', ')} ms`)
      failover = {
        etcd: etcdTimes,
        ringdht: { leaderMs: ringdht, ttlMs: options.electionTtlMs },
        ratio: round(median(ringdht) / Math.max(1, median(etcdTimes.leaderMs)), 2),
      }
    }
    const report: CoordinationReport = {
      meta: {
        startedAt: new Date(started).toISOString(),
        durationS: 0,
        command: init.command,
        commit: currentCommit(),
        etcdVersion: etcd.version,
        ringNodes: options.ringNodes,
        idleCores,
        cpus: os.cpus().length,
        loadAverage: [loadAtStart, round(os.loadavg()[0] ?? 0, 2)],
        options: { ...options },
      },
      cases,
      targets: coordinationTargets(cases),
    }
    if (failover !== undefined) report.failover = failover
    report.meta.durationS = round((Date.now() - started) / 1000, 1)
    return report
  } finally {
    await group.stopAll()
    await etcd.stop()
  }
}
