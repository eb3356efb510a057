import { cpuProfArgs } from './harness/cpu-prof.js'
import { type BenchChild, ProcessGroup } from './harness/process-group.js'
import type {
  CaseResult,
  DeploymentSetup,
  OperationName,
  RssSummary,
  SystemName,
} from './results.js'
import { round } from './stats.js'
import type { WorkloadResult } from './workload.js'

/** What a member process is started with (JSON in argv[2]). */
export interface MemberArgs {
  /** Multiaddr of an existing member; absent for the first one. */
  bootstrap?: string
}

/** What the workload client is asked to run. */
export interface ClientRunArgs {
  op: OperationName
  runTag: string
  count: number
  concurrency: number
  valueBytes: number
  timeLimitMs: number
  operationTimeoutMs: number
}

/** The parts of a deployment that differ between systems. */
export interface SystemDriver {
  system: SystemName
  memberScript: string
  clientScript: string
  /** Resolves when every member's routing state is complete; returns each member's view size. */
  settleMembers(
    members: BenchChild[],
    timeoutMs: number,
  ): Promise<{ view: number[]; note?: string }>
  /** Resolves when the client can route to every member. */
  settleClient(client: BenchChild, members: BenchChild[], timeoutMs: number): Promise<void>
}

export interface DeploymentInit {
  nodes: number
  concurrency: number[]
  ops: number
  valueBytes: number
  phaseTimeLimitMs: number
  operationTimeoutMs: number
  settleTimeoutMs: number
  cpuProfDir?: string
  /** Progress lines for a person watching; silent when undefined. */
  progress?: (line: string) => void
}

export interface DeploymentResult {
  setup: DeploymentSetup
  cases: CaseResult[]
}

const MIB = 1024 * 1024

function firstAddr(child: BenchChild): string {
  const addrs = child.info.multiaddrs
  if (!Array.isArray(addrs) || typeof addrs[0] !== 'string') {
    throw new Error(`${child.name} reported no multiaddr`)
  }
  return addrs[0]
}

function summarizeRss(bytes: number[]): RssSummary {
  const mib = bytes.map((value) => round(value / MIB, 1))
  return {
    min: Math.min(...mib),
    mean: round(mib.reduce((a, b) => a + b, 0) / Math.max(1, mib.length), 1),
    max: Math.max(...mib),
    perPeer: mib,
  }
}

/**
 * Starts N members (each bootstrapping from the first), waits until their
 * routing state is complete, starts a client process that dials the first
 * member, and runs puts then gets at each concurrency. Every process is
 * stopped before this returns or throws.
 */
export async function runDeployment(
  driver: SystemDriver,
  init: DeploymentInit,
): Promise<DeploymentResult> {
  const group = new ProcessGroup()
  const say = init.progress ?? (() => {})
  try {
    const members: BenchChild[] = []
    for (let i = 0; i < init.nodes; i++) {
      const bootstrap = members[0] === undefined ? {} : { bootstrap: firstAddr(members[0]) }
      const name = `${driver.system}-${i}`
      members.push(
        await group.spawn({
          name,
          script: driver.memberScript,
          args: [JSON.stringify(bootstrap satisfies MemberArgs)],
          execArgv: cpuProfArgs(init.cpuProfDir, name),
        }),
      )
    }
    const settleStarted = performance.now()
    const settled = await driver.settleMembers(members, init.settleTimeoutMs)
    const clientName = `${driver.system}-client`
    const first = members[0]
    if (first === undefined) throw new Error('no members')
    const client = await group.spawn({
      name: clientName,
      script: driver.clientScript,
      args: [JSON.stringify({ bootstrap: firstAddr(first) } satisfies MemberArgs)],
      execArgv: cpuProfArgs(init.cpuProfDir, clientName),
    })
    await driver.settleClient(client, members, init.settleTimeoutMs)
    const settleMs = round(performance.now() - settleStarted, 0)
    say(
      `${driver.system} N=${init.nodes}: ready in ${settleMs} ms (views ${settled.view.join(',')})`,
    )

    const results: Array<{ op: OperationName; result: WorkloadResult }> = []
    let storedPuts = 0
    for (const concurrency of init.concurrency) {
      const runTag = `n${init.nodes}c${concurrency}`
      for (const op of ['put', 'get'] as const) {
        const args: ClientRunArgs = {
          op,
          runTag,
          concurrency,
          count: init.ops,
          valueBytes: init.valueBytes,
          timeLimitMs: init.phaseTimeLimitMs,
          operationTimeoutMs: init.operationTimeoutMs,
        }
        const result = await client.request<WorkloadResult>('run', args, {
          timeoutMs: init.phaseTimeLimitMs + init.operationTimeoutMs + 30_000,
        })
        if (op === 'put') storedPuts += result.completed
        results.push({ op, result })
        say(
          `${driver.system} N=${init.nodes} c=${concurrency} ${op}: p50 ${result.latencyMs.p50} ms, ` +
            `${result.opsPerSec} ops/s, ${result.failures} failed`,
        )
      }
    }

    const recordsPerPeer = await Promise.all(members.map((m) => m.request<number>('records')))
    const rss = summarizeRss(await Promise.all(members.map((m) => m.request<number>('rss'))))
    const totalRecords = recordsPerPeer.reduce((a, b) => a + b, 0)
    const storedCopiesPerKey = storedPuts === 0 ? undefined : round(totalRecords / storedPuts, 2)
    const cases: CaseResult[] = results.map(({ op, result }) => {
      const entry: CaseResult = {
        system: driver.system,
        nodes: init.nodes,
        op,
        ...result,
        rssMiB: rss,
      }
      if (op === 'put' && storedCopiesPerKey !== undefined)
        entry.storedCopiesPerKey = storedCopiesPerKey
      return entry
    })
    const setup: DeploymentSetup = {
      nodes: init.nodes,
      settleMs,
      view: settled.view,
      recordsPerPeer,
    }
    if (settled.note !== undefined) setup.note = settled.note
    return { setup, cases }
  } finally {
    await group.stopAll()
  }
}
