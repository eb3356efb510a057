/**
 * The one interface every measured system implements: the floor, ringdht,
 * kad-dht today; etcd, Redis, BullMQ or gossipsub later. A driver owns its OS
 * processes; the paired session (src/paired.ts) only starts, waits, runs
 * blocks, samples and stops, so a new anchor is one small file.
 */
import type { WorkloadResult } from '../workload.js'

/** Operations a block can run. Floor: `open-stream`/`new-stream`; stores: `put`/`get`. */
export type BlockOp = 'put' | 'get' | 'open-stream' | 'new-stream'

export interface BlockSpec {
  op: BlockOp
  /** Keeps keys of different cases apart, e.g. `n16c1`. */
  runTag: string
  /** Index of the block's first operation; a get block reads what the put block of the same offset wrote. */
  offset: number
  count: number
  concurrency: number
  /** Operations not started by then are counted as not run. */
  timeLimitMs: number
  operationTimeoutMs: number
}

/** A process a driver started, by the PID of the node binary itself. */
export interface DriverProcess {
  pid: number
  name: string
  /** `member`: a peer of the system (server side); `client`: the process that drives the workload. */
  role: 'member' | 'client'
}

export interface ReadyInfo {
  /** Time from the processes being up until routing state was complete. */
  settleMs: number
  /** Per member: routing-table size or fingers, whatever says "ready" for this system. */
  view: number[]
  note?: string
}

/** Figures a driver reports after its workload, besides cost (which the harness samples itself). */
export interface DriverStats {
  /** Records held by each member, for copies per key. */
  recordsPerMember?: number[]
}

export interface BenchDriver {
  /** Name in reports, e.g. `ringdht`, `kad-dht`, `floor`. */
  readonly system: string
  /** Members (size of the deployment); 1 for the floor's echo server. */
  readonly nodes: number
  /** Starts every process; throws (after stopping what it started) when one fails. */
  start(): Promise<void>
  /** Waits until routing state is complete and the workload can run at full speed. */
  ready(): Promise<ReadyInfo>
  /** Runs one block of operations in the client process. */
  runBlock(spec: BlockSpec): Promise<WorkloadResult>
  /** The live processes, for CPU and RSS sampling by PID. */
  processes(): DriverProcess[]
  stats(): Promise<DriverStats>
  /** Stops every process it started; safe to call twice or after a failed start. */
  stop(): Promise<void>
}
