import type { WorkloadResult } from './workload.js'

export type SystemName = 'kad-dht' | 'ringdht'
export type OperationName = 'put' | 'get'

/** Resident set size over the member processes of one deployment, in MiB. */
export interface RssSummary {
  min: number
  mean: number
  max: number
  perPeer: number[]
}

/** One measured (system, nodes, concurrency, operation) cell. */
export interface CaseResult extends WorkloadResult {
  system: SystemName
  nodes: number
  op: OperationName
  /** RSS of the member peers after the whole workload at this size. */
  rssMiB: RssSummary
  /** Copies of each record held across the members at the end (stored records / keys). */
  storedCopiesPerKey?: number
  ratios?: CaseRatios
}

/** ringdht figure divided by the other figure; < 1 is better for latency, > 1 for ops/s. */
export interface CaseRatios {
  vsKadDht?: { p50: number; p90: number; p99: number; opsPerSec: number }
  vsFloor?: { p50: number; p90: number; p99: number }
}

export interface DeploymentSetup {
  nodes: number
  /** Time from the last member starting until routing tables / the ring were complete. */
  settleMs: number
  /** Per member: routing-table size (kad-dht) or ring members seen (ringdht). */
  view: number[]
  /** Records in each member's store at the end. */
  recordsPerPeer: number[]
  note?: string
}

export interface SystemResult {
  available: boolean
  /** Why the system was not measured, when it was not. */
  reason?: string
  setups: DeploymentSetup[]
  cases: CaseResult[]
}

export interface FloorResult {
  openStream: WorkloadResult
  newStream: WorkloadResult
  /** New stream per request at the highest workload concurrency: the throughput ceiling. */
  newStreamConcurrent: WorkloadResult
}

export interface JoinResult {
  ringNodes: number
  keys: number
  /** Keys the joining peer became primary owner of. */
  keysMoved: number
  /** Seconds from starting the joining process until it served every key it owns. */
  secondsUntilServed: number
  /** Seconds from starting the process until it held (keyCount) every key it owns. */
  secondsUntilHeld?: number
  /** Seconds from starting the process until it reported ready (joined the ring). */
  secondsUntilJoined: number
  /** Gets of the moved keys, through a client, after the move: failures or wrong owners. */
  verifyFailures: number
  wrongOwner: number
  note?: string
}

export interface Target {
  name: string
  value: number | null
  target: string
  met: boolean
}

export interface BenchReport {
  meta: {
    startedAt: string
    durationS: number
    command: string
    machine: { cpus: number; cpuModel: string; memoryGiB: number; platform: string; node: string }
    versions: Record<string, string>
    options: Record<string, unknown>
  }
  floor?: FloorResult
  systems: Partial<Record<SystemName, SystemResult>>
  join?: JoinResult | { available: false; reason: string }
  targets: Target[]
}
