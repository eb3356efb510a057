/**
 * The driver of a system made of N member processes and one client process
 * that dials the first member: ringdht and kad-dht. What differs between them
 * (their scripts and what "ready" means) is a {@link MeshSpec}.
 */
import { cpuProfArgs } from '../harness/cpu-prof.js'
import { type BenchChild, ProcessGroup } from '../harness/process-group.js'
import type { OperationName } from '../results.js'
import type { WorkloadResult } from '../workload.js'
import type { BenchDriver, BlockSpec, DriverProcess, DriverStats, ReadyInfo } from './driver.js'

/** What a member or client process is started with (JSON in argv[2]). */
export interface MemberArgs {
  /** Multiaddr of an existing member; absent for the first one. */
  bootstrap?: string
}

/** What the workload client is asked to run: operations `offset` .. `offset + count - 1`. */
export interface ClientRunArgs {
  op: OperationName
  runTag: string
  offset: number
  count: number
  concurrency: number
  valueBytes: number
  timeLimitMs: number
  operationTimeoutMs: number
}

/** The parts of a member + client deployment that differ between systems. */
export interface MeshSpec {
  system: string
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

export interface MeshInit {
  nodes: number
  valueBytes: number
  settleTimeoutMs: number
  cpuProfDir?: string
}

export function firstAddr(child: BenchChild): string {
  const addrs = child.info.multiaddrs
  if (!Array.isArray(addrs) || typeof addrs[0] !== 'string') {
    throw new Error(`${child.name} reported no multiaddr`)
  }
  return addrs[0]
}

export class MeshDriver implements BenchDriver {
  readonly system: string
  readonly nodes: number
  private readonly group = new ProcessGroup()
  private readonly members: BenchChild[] = []
  private client: BenchChild | undefined

  constructor(
    private readonly spec: MeshSpec,
    private readonly init: MeshInit,
  ) {
    this.system = spec.system
    this.nodes = init.nodes
  }

  /** Starts N members, each bootstrapping from the first; the client comes in `ready`. */
  async start(): Promise<void> {
    try {
      for (let i = 0; i < this.init.nodes; i++) {
        const first = this.members[0]
        const args: MemberArgs = first === undefined ? {} : { bootstrap: firstAddr(first) }
        const name = `${this.system}-${i}`
        this.members.push(
          await this.group.spawn({
            name,
            script: this.spec.memberScript,
            args: [JSON.stringify(args)],
            execArgv: cpuProfArgs(this.init.cpuProfDir, name),
          }),
        )
      }
    } catch (err) {
      await this.stop()
      throw err
    }
  }

  /** Members settle first, then the client is started and must see all of them. */
  async ready(): Promise<ReadyInfo> {
    const started = performance.now()
    const settled = await this.spec.settleMembers(this.members, this.init.settleTimeoutMs)
    const first = this.members[0]
    if (first === undefined) throw new Error('no members')
    const name = `${this.system}-client`
    this.client = await this.group.spawn({
      name,
      script: this.spec.clientScript,
      args: [JSON.stringify({ bootstrap: firstAddr(first) } satisfies MemberArgs)],
      execArgv: cpuProfArgs(this.init.cpuProfDir, name),
    })
    await this.spec.settleClient(this.client, this.members, this.init.settleTimeoutMs)
    const info: ReadyInfo = {
      settleMs: Math.round(performance.now() - started),
      view: settled.view,
    }
    if (settled.note !== undefined) info.note = settled.note
    return info
  }

  async runBlock(spec: BlockSpec): Promise<WorkloadResult> {
    if (this.client === undefined) throw new Error(`${this.system} is not ready`)
    if (spec.op !== 'put' && spec.op !== 'get') {
      throw new Error(`${this.system} runs put or get blocks, not ${spec.op}`)
    }
    const args: ClientRunArgs = {
      op: spec.op,
      runTag: spec.runTag,
      offset: spec.offset,
      count: spec.count,
      concurrency: spec.concurrency,
      valueBytes: this.init.valueBytes,
      timeLimitMs: spec.timeLimitMs,
      operationTimeoutMs: spec.operationTimeoutMs,
    }
    return this.client.request<WorkloadResult>('run', args, {
      timeoutMs: spec.timeLimitMs + spec.operationTimeoutMs + 30_000,
    })
  }

  processes(): DriverProcess[] {
    const list: DriverProcess[] = this.members.flatMap((m) =>
      m.pid === undefined ? [] : [{ pid: m.pid, name: m.name, role: 'member' as const }],
    )
    if (this.client?.pid !== undefined)
      list.push({ pid: this.client.pid, name: this.client.name, role: 'client' })
    return list
  }

  async stats(): Promise<DriverStats> {
    const recordsPerMember = await Promise.all(
      this.members.map((m) => m.request<number>('records')),
    )
    return { recordsPerMember }
  }

  /** Sends one command to every process (e.g. to profile them); answers by process name. */
  async broadcast(
    command: string,
    args: (name: string) => unknown = () => ({}),
  ): Promise<Array<[string, unknown]>> {
    const all = [...this.members, ...(this.client === undefined ? [] : [this.client])]
    return Promise.all(
      all.map(
        async (child) =>
          [child.name, await child.request(command, args(child.name))] as [string, unknown],
      ),
    )
  }

  async stop(): Promise<void> {
    await this.group.stopAll()
  }
}
