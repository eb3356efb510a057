import type { RatioSpread } from './statistics.js'

export type OperationName = 'put' | 'get'

/** Resident set size over the member processes of one deployment, in MiB. */
export interface RssSummary {
  min: number
  mean: number
  max: number
  perProcess: number[]
}

/** One block's figures, with the CPU its processes used during it. */
export interface BlockFigures {
  p50: number
  p99: number
  opsPerSec: number
  completed: number
  failures: number
  notRun: number
  meanHops?: number
  meanRequests?: number
  meanCopies?: number
  /** CPU seconds of the member processes (the echo server, for the floor) during the block. */
  memberCpuS: number
  /** CPU seconds of the client process during the block. */
  clientCpuS: number
  /** Wall time of the block. */
  elapsedMs: number
  /**
   * Share of the machine's CPU capacity used by other processes (other people's
   * tests, idle members) during the block, from /proc/stat: how shared the cores were.
   */
  othersCpuShare: number
}

/** A system block and the floor around it: the mean of the floor blocks just before and after. */
export interface BlockPair {
  floor: BlockFigures
  system: BlockFigures
}

/** One (system, N, concurrency, operation) case, measured in blocks paired with the floor. */
export interface PairedCase {
  system: string
  nodes: number
  concurrency: number
  op: OperationName
  /** The floor it is paired with: open-stream at c = 1, new-stream at higher concurrency. */
  floorOp: 'open-stream' | 'new-stream'
  opsPerBlock: number
  floorOpsPerBlock: number
  blocksPlanned: number
  /** Medians of the blocks' figures. */
  p50Ms: { system: number; floor: number }
  p99Ms: { system: number; floor: number }
  opsPerSec: { system: number; floor: number }
  completed: number
  failures: number
  notRun: number
  /** Blocks measured; fewer than planned when the run's time budget ran out. */
  blocksMeasured: number
  /** Blocks that hit their time cap before all their operations started. */
  cappedBlocks: number
  /** Median share of the machine other processes used during the system blocks. */
  othersCpuShare: number
  /** Blocks in which other processes used at most 25 % of the machine. */
  quietBlocks: number
  /**
   * p50 ÷ floor over the quiet blocks only (when there are at least 5): the ratio
   * depends on how busy the shared cores are, see RESULTS.md.
   */
  quietP50?: RatioSpread
  /**
   * CPU-seconds per operation (members + client) ÷ the floor's (server + client), from
   * the totals of the blocks: what an operation costs in work, which moves less with load.
   */
  cpuPerOpVsFloor: number
  meanHops?: number
  meanRequests?: number
  meanCopies?: number
  /** system ÷ floor, per block, summarised: median, min–max, bootstrap 95 % interval. */
  ratios: { p50: RatioSpread; p99: RatioSpread; opsPerSec: RatioSpread; cpuPerOp: RatioSpread }
  /**
   * CPU seconds per 1,000 successful operations, of the system and of the floor in the
   * same blocks. `membersNet` leaves out the members' background work (their CPU rate
   * while idle, measured after ready, times the blocks' wall time).
   */
  cpuSPer1kOps: {
    members: number
    membersNet?: number
    client: number
    floorServer: number
    floorClient: number
  }
  /**
   * ringdht ÷ kad-dht, taken through the floor: (ringdht ÷ floor) ÷ (kad-dht ÷ floor),
   * medians, each paired with the floor in its own time window.
   */
  vsKadDht?: { p50: number; opsPerSec: number }
  blockPairs: BlockPair[]
}

export interface DeploymentSetup {
  nodes: number
  /** Time from the last member starting until routing tables / the ring were complete. */
  settleMs: number
  /** Per member: routing-table size (kad-dht) or fingers (ringdht). */
  view: number[]
  /** Records in each member's store at the end. */
  recordsPerMember?: number[]
  /** Records held across members ÷ successful puts. */
  storedCopiesPerKey?: number
  /** Cores the members use together while idle (timers, maintenance), measured after ready. */
  backgroundCores?: number
  /** RSS after the workload, by PID of each member's node process, and of the client. */
  rssMiB: { members: RssSummary; client?: number }
  note?: string
}

export interface SystemResult {
  available: boolean
  /** Why the system was not (fully) measured. */
  reason?: string
  /** How it was sampled: blocks, operations, caps. */
  plan: string
  setups: DeploymentSetup[]
  cases: PairedCase[]
}

/** The floor on its own (`--only floor`): medians over its blocks. */
export interface FloorCase {
  op: 'open-stream' | 'new-stream'
  concurrency: number
  blocks: number
  opsPerBlock: number
  p50Ms: number
  p99Ms: number
  opsPerSec: number
  completed: number
  failures: number
  notRun: number
  cpuSPer1kOps: { server: number; client: number }
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

/** A ratio the history keeps and `--repeat` compares. */
export interface Headline {
  name: string
  spread: RatioSpread
  /** How busy the shared cores were with other work meanwhile (median share). */
  othersCpuShare: number
  /** CPU per operation ÷ the floor's, same case. */
  cpuPerOpVsFloor: number
  /** Measured in paired blocks (false: taken through the floor across two windows). */
  paired: boolean
  /** An anchor's ratio (kad-dht): kept and shown, but not part of the `--repeat` verdict. */
  anchor: boolean
  /** `latency`: p50 ÷ floor p50; `cost`: CPU per operation ÷ the floor's, per block. */
  kind: 'latency' | 'cost'
}

export interface Target {
  name: string
  value: number | null
  target: string
  met: boolean
  /** The spread of a paired ratio target. */
  spread?: RatioSpread
}

export interface MachineInfo {
  cpus: number
  cpuModel: string
  memoryGiB: number
  platform: string
  node: string
  /** 1-minute load average at the start and the end: how busy the shared cores were. */
  loadAverage: [number, number]
}

export interface BenchReport {
  meta: {
    startedAt: string
    durationS: number
    command: string
    commit: string
    machine: MachineInfo
    versions: Record<string, string>
    options: Record<string, unknown>
  }
  floor?: FloorCase[]
  systems: Record<string, SystemResult>
  join?: JoinResult | { available: false; reason: string }
  headlines: Headline[]
  targets: Target[]
}
