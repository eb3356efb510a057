import type { FloorRunArgs } from '../floor/floor-client.js'
import { cpuProfArgs } from '../harness/cpu-prof.js'
import { type BenchChild, ProcessGroup, scriptPath } from '../harness/process-group.js'
import type { WorkloadResult } from '../workload.js'
import type { BenchDriver, BlockSpec, DriverProcess, ReadyInfo } from './driver.js'

/** Request and reply size; ringdht's get request is of this order. */
const FLOOR_PAYLOAD_BYTES = 64
const WARM_UP_OPS = 200

/**
 * The floor: request/response round trips between an echo server and a
 * client process over the bench stack, on a stream opened before the block
 * (`open-stream`) or on a new stream per request (`new-stream`).
 */
export class FloorDriver implements BenchDriver {
  readonly system = 'floor'
  readonly nodes = 1
  private readonly group = new ProcessGroup()
  private server: BenchChild | undefined
  private client: BenchChild | undefined

  constructor(private readonly cpuProfDir?: string) {}

  async start(): Promise<void> {
    try {
      this.server = await this.group.spawn({
        name: 'floor-echo',
        script: scriptPath(import.meta.url, '../floor/echo-server.js'),
        execArgv: cpuProfArgs(this.cpuProfDir, 'floor-echo'),
      })
      this.client = await this.group.spawn({
        name: 'floor-client',
        script: scriptPath(import.meta.url, '../floor/floor-client.js'),
        execArgv: cpuProfArgs(this.cpuProfDir, 'floor-client'),
      })
      const addr = (this.server.info.multiaddrs as string[] | undefined)?.[0]
      if (addr === undefined) throw new Error('echo server reported no address')
      await this.client.request('connect', { multiaddr: addr })
    } catch (err) {
      await this.stop()
      throw err
    }
  }

  async ready(): Promise<ReadyInfo> {
    const started = performance.now()
    // JIT and connection buffers warm before the first measured block
    for (const op of ['new-stream', 'open-stream'] as const) {
      await this.runBlock({
        op,
        runTag: 'warm-up',
        offset: 0,
        count: WARM_UP_OPS,
        concurrency: 1,
        timeLimitMs: 30_000,
        operationTimeoutMs: 10_000,
      })
    }
    return { settleMs: Math.round(performance.now() - started), view: [1] }
  }

  async runBlock(spec: BlockSpec): Promise<WorkloadResult> {
    if (this.client === undefined) throw new Error('floor not started')
    if (spec.op !== 'open-stream' && spec.op !== 'new-stream') {
      throw new Error(`the floor runs open-stream or new-stream blocks, not ${spec.op}`)
    }
    const args: FloorRunArgs = {
      mode: spec.op,
      count: spec.count,
      concurrency: spec.concurrency,
      payloadBytes: FLOOR_PAYLOAD_BYTES,
      timeLimitMs: spec.timeLimitMs,
      operationTimeoutMs: spec.operationTimeoutMs,
    }
    return this.client.request<WorkloadResult>('run', args, {
      timeoutMs: spec.timeLimitMs + spec.operationTimeoutMs + 30_000,
    })
  }

  processes(): DriverProcess[] {
    const list: DriverProcess[] = []
    if (this.server?.pid !== undefined)
      list.push({ pid: this.server.pid, name: this.server.name, role: 'member' })
    if (this.client?.pid !== undefined)
      list.push({ pid: this.client.pid, name: this.client.name, role: 'client' })
    return list
  }

  async stats(): Promise<Record<string, never>> {
    return {}
  }

  /** Sends one command to every process (e.g. to profile them); answers by process name. */
  async broadcast(
    command: string,
    args: (name: string) => unknown = () => ({}),
  ): Promise<Array<[string, unknown]>> {
    const all = [this.server, this.client].filter((c): c is BenchChild => c !== undefined)
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
