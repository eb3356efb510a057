/** Pure: from measured block pairs to a case with median ratios and their spread. */
import type { BlockFigures, BlockPair, OperationName, PairedCase } from './results.js'
import { type BootstrapInit, median, pairedRatios, roundTo, summarizeRatios } from './statistics.js'
import type { WorkloadResult } from './workload.js'

/** A block's figures from the client's workload result and the CPU its processes used. */
export function blockFigures(
  result: WorkloadResult,
  cpu: { memberCpuS: number; clientCpuS: number },
): BlockFigures {
  const figures: BlockFigures = {
    p50: result.latencyMs.p50,
    p99: result.latencyMs.p99,
    opsPerSec: result.opsPerSec,
    completed: result.completed,
    failures: result.failures,
    notRun: result.notRun,
    memberCpuS: roundTo(cpu.memberCpuS, 2),
    clientCpuS: roundTo(cpu.clientCpuS, 2),
  }
  if (result.meanHops !== undefined) figures.meanHops = result.meanHops
  if (result.meanRequests !== undefined) figures.meanRequests = result.meanRequests
  if (result.meanCopies !== undefined) figures.meanCopies = result.meanCopies
  return figures
}

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
    cappedBlocks: all.filter((b) => b.notRun > 0).length,
    ratios: {
      p50: ratio((b) => b.p50),
      p99: ratio((b) => b.p99),
      opsPerSec: ratio((b) => b.opsPerSec),
    },
    cpuSPer1kOps: {
      members: perThousand(sum(all.map((b) => b.memberCpuS)), completed),
      client: perThousand(sum(all.map((b) => b.clientCpuS)), completed),
      floorServer: perThousand(sum(init.pairs.map((p) => p.floor.memberCpuS)), floorCompleted),
      floorClient: perThousand(sum(init.pairs.map((p) => p.floor.clientCpuS)), floorCompleted),
    },
    blockPairs: init.pairs,
  }
  const hops = meanDefined(all.map((b) => b.meanHops))
  const requests = meanDefined(all.map((b) => b.meanRequests))
  const copies = meanDefined(all.map((b) => b.meanCopies))
  if (hops !== undefined) result.meanHops = hops
  if (requests !== undefined) result.meanRequests = requests
  if (copies !== undefined) result.meanCopies = copies
  return result
}
