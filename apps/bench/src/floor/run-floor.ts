import { cpuProfArgs } from '../harness/cpu-prof.js'
import { ProcessGroup, scriptPath } from '../harness/process-group.js'
import type { FloorResult } from '../results.js'
import type { WorkloadResult } from '../workload.js'
import type { FloorMode, FloorRunArgs } from './floor-client.js'

export interface FloorInit {
  count: number
  /** Concurrency of the throughput-ceiling case. */
  concurrency: number
  /** Request and reply size; ringdht's get request is of this order. */
  payloadBytes?: number
  timeLimitMs: number
  operationTimeoutMs: number
  cpuProfDir?: string
}

/**
 * The floor: request/response round trips between two processes over the
 * bench stack, on an open stream and on a new stream per request.
 */
export async function runFloor(init: FloorInit): Promise<FloorResult> {
  const group = new ProcessGroup()
  try {
    const server = await group.spawn({
      name: 'floor-echo',
      script: scriptPath(import.meta.url, './echo-server.js'),
      execArgv: cpuProfArgs(init.cpuProfDir, 'floor-echo'),
    })
    const client = await group.spawn({
      name: 'floor-client',
      script: scriptPath(import.meta.url, './floor-client.js'),
      execArgv: cpuProfArgs(init.cpuProfDir, 'floor-client'),
    })
    const addrs = server.info.multiaddrs as string[]
    const addr = addrs[0]
    if (addr === undefined) throw new Error('echo server reported no address')
    await client.request('connect', { multiaddr: addr })
    const run = (mode: FloorMode, concurrency: number, count = init.count) => {
      const args: FloorRunArgs = {
        mode,
        concurrency,
        count,
        payloadBytes: init.payloadBytes ?? 64,
        timeLimitMs: init.timeLimitMs,
        operationTimeoutMs: init.operationTimeoutMs,
      }
      return client.request<WorkloadResult>('run', args, { timeoutMs: init.timeLimitMs + 30_000 })
    }
    // a short warm-up so JIT and connection buffers are not in the first figures
    await run('new-stream', 1, Math.min(200, init.count))
    const openStream = await run('open-stream', 1)
    const newStream = await run('new-stream', 1)
    const newStreamConcurrent = await run('new-stream', init.concurrency)
    return { openStream, newStream, newStreamConcurrent }
  } finally {
    await group.stopAll()
  }
}
