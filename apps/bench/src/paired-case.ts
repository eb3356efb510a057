/** Pure: from measured block pairs to a case with median ratios and their spread. */
import type { BlockFigures, BlockPair, OperationName, PairedCase } from './results.js'
import { type BootstrapInit, median, pairedRatios, roundTo, summarizeRatios } from './statistics.js'
import type { WorkloadResult } from './workload.js'

/** A block's figures from the client's workload result and the CPU its processes used. */
export function blockFigures(
  result: WorkloadResult,
  cpu: { memberCpuS: number; clientCpuS: number; othersCpuShare: number },
): BlockFigures {
  const figures: BlockFigures = {
    p50: result.latencyMs.p50,
    p99: result.latencyMs.p99,
    opsPerSec: result.opsPerSec,
    completed: result.completed,
    failures: result.failures,
    notRun: result.notRun,
    elapsedMs: result.elapsedMs,
    memberCpuS: roundTo(cpu.memberCpuS, 2),
    clientCpuS: roundTo(cpu.clientCpuS, 2),
    othersCpuShare: roundTo(cpu.othersCpuShare, 2),
  }
  if (result.meanHops !== undefined) figures.meanHops = result.meanHops
  if (result.meanRequests !== undefined) figures.meanRequests = result.meanRequests
  if (result.meanCopies !== undefined) figures.meanCopies = result.meanCopies
  return figures
}

/** Blocks in which other processes used at most this share of the machine count as quiet. */
export const QUIET_SHARE = 0.25
/** Fewer quiet blocks than this give no quiet ratio: a median of two or three says little. */
export const MIN_QUIET_BLOCKS = 5

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0)
}

function perThousand(cpuS: number, ops: number): number {
  return ops === 0 ? 0 : roundTo((cpuS * 1000) / ops, 3)
}

function meanDefined(values: ReadonlyArray<number | undefined>): number | undefined {
  const defined = values.filter((v): v is number => v !== undefined && Number.isFinite(v))
  return defined.length === 0 ? undefined : roundTo(sum(defined) / defined.length, 2)
}

export interface CaseInit {
  system: string
  nodes: number
  concurrency: number
  op: OperationName
  floorOp: 'open-stream' | 'new-stream'
  opsPerBlock: number
  floorOpsPerBlock: number
  blocksPlanned: number
  pairs: BlockPair[]
  bootstrap?: BootstrapInit
  /** The members' idle CPU rate in cores, to report their CPU net of background work. */
  backgroundCores?: number
}

/**
 * Ratios use only pairs where both blocks completed operations: a block that
 * completed none has no latency to divide.
 */
export function buildPairedCase(init: CaseInit): PairedCase {
  const usable = init.pairs.filter((p) => p.system.completed > 0 && p.floor.completed > 0)
  const sys = usable.map((p) => p.system)
  const floor = usable.map((p) => p.floor)
  const all = init.pairs.map((p) => p.system)
  const completed = sum(all.map((b) => b.completed))
  const floorCompleted = sum(init.pairs.map((p) => p.floor.completed))
  const ratio = (pick: (b: BlockFigures) => number) =>
    summarizeRatios(pairedRatios(sys.map(pick), floor.map(pick)), init.bootstrap)
  const ownCpuPerOp = (completedOps: number, cpuS: number) =>
    completedOps === 0 ? Number.NaN : cpuS / completedOps
  const systemCpu = ownCpuPerOp(completed, sum(all.map((b) => b.memberCpuS + b.clientCpuS)))
  const floorCpu = ownCpuPerOp(
    floorCompleted,
    sum(init.pairs.map((p) => p.floor.memberCpuS + p.floor.clientCpuS)),
  )
  const quiet = usable.filter((p) => p.system.othersCpuShare <= QUIET_SHARE)
  const result: PairedCase = {
    system: init.system,
    nodes: init.nodes,
    concurrency: init.concurrency,
    op: init.op,
    floorOp: init.floorOp,
    opsPerBlock: init.opsPerBlock,
    floorOpsPerBlock: init.floorOpsPerBlock,
    blocksPlanned: init.blocksPlanned,
    p50Ms: {
      system: roundTo(median(sys.map((b) => b.p50))),
      floor: roundTo(median(floor.map((b) => b.p50))),
    },
    p99Ms: {
      system: roundTo(median(sys.map((b) => b.p99))),
      floor: roundTo(median(floor.map((b) => b.p99))),
    },
    opsPerSec: {
      system: roundTo(median(sys.map((b) => b.opsPerSec)), 1),
      floor: roundTo(median(floor.map((b) => b.opsPerSec)), 1),
    },
    completed,
    failures: sum(all.map((b) => b.failures)),
    notRun: sum(all.map((b) => b.notRun)),
    blocksMeasured: init.pairs.length,
    cappedBlocks: all.filter((b) => b.notRun > 0).length,
    othersCpuShare: roundTo(median(all.map((b) => b.othersCpuShare)), 2),
    ratios: {
      p50: ratio((b) => b.p50),
      p99: ratio((b) => b.p99),
      opsPerSec: ratio((b) => b.opsPerSec),
      // CPU ticks are 10 ms: a block that used none has no cost to divide (left out)
      cpuPerOp: ratio((b) =>
        b.completed === 0 ? Number.NaN : (b.memberCpuS + b.clientCpuS) / b.completed,
      ),
    },
    cpuSPer1kOps: {
      members: perThousand(sum(all.map((b) => b.memberCpuS)), completed),
      client: perThousand(sum(all.map((b) => b.clientCpuS)), completed),
      floorServer: perThousand(sum(init.pairs.map((p) => p.floor.memberCpuS)), floorCompleted),
      floorClient: perThousand(sum(init.pairs.map((p) => p.floor.clientCpuS)), floorCompleted),
    },
    cpuPerOpVsFloor: Number.isFinite(systemCpu / floorCpu) ? roundTo(systemCpu / floorCpu, 2) : 0,
    quietBlocks: quiet.length,
    blockPairs: init.pairs,
  }
  if (quiet.length >= MIN_QUIET_BLOCKS) {
    result.quietP50 = summarizeRatios(
      pairedRatios(
        quiet.map((p) => p.system.p50),
        quiet.map((p) => p.floor.p50),
      ),
      init.bootstrap,
    )
  }
  const hops = meanDefined(all.map((b) => b.meanHops))
  const requests = meanDefined(all.map((b) => b.meanRequests))
  const copies = meanDefined(all.map((b) => b.meanCopies))
  if (init.backgroundCores !== undefined && completed > 0) {
    const backgroundS = (init.backgroundCores * sum(all.map((b) => b.elapsedMs))) / 1000
    const net = sum(all.map((b) => b.memberCpuS)) - backgroundS
    result.cpuSPer1kOps.membersNet = roundTo((Math.max(0, net) * 1000) / completed, 3)
  }
  if (hops !== undefined) result.meanHops = hops
  if (requests !== undefined) result.meanRequests = requests
  if (copies !== undefined) result.meanCopies = copies
  return result
}
