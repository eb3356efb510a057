/**
 * The paired design: floor blocks and system blocks alternate in one time
 * window, with the same processes kept warm, so both see the same machine.
 * Every system block sits between two floor blocks and is compared with their
 * mean, so a steady drift in machine speed cancels out to first order.
 */
import type { BenchDriver, BlockOp, BlockSpec, DriverProcess } from './drivers/driver.js'
import type { BlockPlan } from './options.js'
import { blockFigures, buildPairedCase } from './paired-case.js'
import { blockTimeLimitMs, floorOpsAt, opsPerBlockAt } from './plan.js'
import { cpuBetween, othersShare, readMachineTicks, samplePids } from './process-cost.js'
import type { BlockFigures, BlockPair, FloorCase, OperationName, PairedCase } from './results.js'
import { median, roundTo } from './statistics.js'

export interface SessionInit {
  floor: BenchDriver
  plan: BlockPlan
  floorOpsPerBlock: number
  concurrency: number[]
  operationTimeoutMs: number
  seed: number
  /** performance.now() after which no block starts (the run's budget). */
  deadline: number
  progress?: (line: string) => void
}

function pidsOf(processes: DriverProcess[], role: DriverProcess['role']): number[] {
  return processes.filter((p) => p.role === role).map((p) => p.pid)
}

/** Runs one block and the CPU its driver's processes used meanwhile (from /proc, by PID). */
export async function measureBlock(driver: BenchDriver, spec: BlockSpec): Promise<BlockFigures> {
  const processes = driver.processes()
  const members = pidsOf(processes, 'member')
  const client = pidsOf(processes, 'client')
  const machineBefore = readMachineTicks()
  const before = samplePids([...members, ...client])
  const result = await driver.runBlock(spec)
  const after = samplePids([...members, ...client])
  const machineAfter = readMachineTicks()
  const inRole = (pids: number[]) => (s: { pid: number }) => pids.includes(s.pid)
  const memberCpuS = cpuBetween(before.filter(inRole(members)), after.filter(inRole(members)))
  const clientCpuS = cpuBetween(before.filter(inRole(client)), after.filter(inRole(client)))
  return blockFigures(result, {
    memberCpuS,
    clientCpuS,
    othersCpuShare: othersShare(machineBefore, machineAfter, memberCpuS + clientCpuS),
  })
}

/** How many cores a driver's members use together while nothing is asked of them. */
export async function measureBackground(driver: BenchDriver, ms: number): Promise<number> {
  const members = pidsOf(driver.processes(), 'member')
  const before = samplePids(members)
  await new Promise((resolve) => setTimeout(resolve, ms))
  return roundTo(cpuBetween(before, samplePids(members)) / (ms / 1000), 3)
}

/** The floor around a system block: the mean of the floor blocks just before and after. */
export function bracketFloor(before: BlockFigures, after: BlockFigures): BlockFigures {
  const mean = (pick: (b: BlockFigures) => number) => roundTo((pick(before) + pick(after)) / 2, 4)
  return {
    p50: mean((b) => b.p50),
    p99: mean((b) => b.p99),
    opsPerSec: mean((b) => b.opsPerSec),
    completed: mean((b) => b.completed),
    failures: mean((b) => b.failures),
    notRun: mean((b) => b.notRun),
    memberCpuS: mean((b) => b.memberCpuS),
    clientCpuS: mean((b) => b.clientCpuS),
    othersCpuShare: mean((b) => b.othersCpuShare),
    elapsedMs: mean((b) => b.elapsedMs),
  }
}

export function floorOpAt(concurrency: number): 'open-stream' | 'new-stream' {
  return concurrency <= 1 ? 'open-stream' : 'new-stream'
}

/**
 * Put and get of `system` at every concurrency, each in `plan.blocks` blocks,
 * every block paired with a floor block at the same concurrency.
 */
export async function runPairedSession(
  system: BenchDriver,
  init: SessionInit,
  backgroundCores?: number,
): Promise<PairedCase[]> {
  const say = init.progress ?? (() => {})
  const cases: PairedCase[] = []
  const blockLimit = blockTimeLimitMs(init.plan)
  for (const concurrency of init.concurrency) {
    const ops = opsPerBlockAt(init.plan, concurrency)
    const floorOps = floorOpsAt(init.floorOpsPerBlock, concurrency)
    const floorOp = floorOpAt(concurrency)
    const runTag = `n${system.nodes}c${concurrency}`
    const spec = (op: BlockOp, offset: number, count: number): BlockSpec => ({
      op,
      runTag,
      offset,
      count,
      concurrency,
      timeLimitMs: blockLimit,
      operationTimeoutMs: init.operationTimeoutMs,
    })
    // one unmeasured round first: the client's first operations learn the ring and JIT
    // the code paths, which would make block 1 an outlier of its own
    await init.floor.runBlock(spec(floorOp, 0, floorOps))
    // (the keys of block 1, which writes them again: no extra records to skew copies per key)
    if (performance.now() > init.deadline) {
      say(`${system.system} N=${system.nodes} c=${concurrency}: skipped, the time budget is spent`)
      continue
    }
    await system.runBlock(spec('put', 0, ops))
    await system.runBlock(spec('get', 0, ops))
    const pairs: Record<OperationName, BlockPair[]> = { put: [], get: [] }
    let floorBefore = await measureBlock(init.floor, spec(floorOp, 0, floorOps))
    for (let block = 0; block < init.plan.blocks; block++) {
      if (performance.now() > init.deadline) {
        say(
          `${system.system}: the run's time budget is spent; ${init.plan.blocks - block} blocks skipped`,
        )
        break
      }
      // the get block reads the keys the put block just wrote
      const put = await measureBlock(system, spec('put', block * ops, ops))
      const get = await measureBlock(system, spec('get', block * ops, ops))
      const floorAfter = await measureBlock(init.floor, spec(floorOp, 0, floorOps))
      const floor = bracketFloor(floorBefore, floorAfter)
      floorBefore = floorAfter
      pairs.put.push({ floor, system: put })
      pairs.get.push({ floor, system: get })
      say(
        `${system.system} N=${system.nodes} c=${concurrency} block ${block + 1}/${init.plan.blocks}: ` +
          `floor ${floor.p50} ms, put ${put.p50} ms, get ${get.p50} ms` +
          (put.notRun + get.notRun > 0 ? ` (capped: ${put.notRun + get.notRun} not run)` : ''),
      )
    }
    for (const op of ['put', 'get'] as const) {
      if (pairs[op].length === 0) continue
      const entry = buildPairedCase({
        system: system.system,
        nodes: system.nodes,
        concurrency,
        op,
        floorOp,
        opsPerBlock: ops,
        floorOpsPerBlock: floorOps,
        blocksPlanned: init.plan.blocks,
        pairs: pairs[op],
        bootstrap: { seed: init.seed },
        ...(backgroundCores === undefined ? {} : { backgroundCores }),
      })
      cases.push(entry)
      const r = entry.ratios.p50
      say(
        `${system.system} N=${system.nodes} c=${concurrency} ${op}: p50 ÷ floor ${r.median} ` +
          `(min–max ${r.min}–${r.max}, 95% ${r.ci95[0]}–${r.ci95[1]}), ${entry.failures} failed`,
      )
    }
  }
  return cases
}

/** The floor alone (`--only floor`): blocks at each concurrency, medians over them. */
export async function runFloorOnly(init: SessionInit): Promise<FloorCase[]> {
  const cases: FloorCase[] = []
  const ops = (c: number) => floorOpsAt(init.floorOpsPerBlock, c)
  const shapes = [
    { op: 'open-stream' as const, concurrency: 1 },
    ...init.concurrency.map((c) => ({ op: 'new-stream' as const, concurrency: c })),
  ]
  for (const shape of shapes) {
    const blocks: BlockFigures[] = []
    for (let block = 0; block < init.plan.blocks; block++) {
      blocks.push(
        await measureBlock(init.floor, {
          op: shape.op,
          runTag: 'floor',
          offset: 0,
          count: ops(shape.concurrency),
          concurrency: shape.concurrency,
          timeLimitMs: blockTimeLimitMs(init.plan),
          operationTimeoutMs: init.operationTimeoutMs,
        }),
      )
    }
    const completed = blocks.reduce((a, b) => a + b.completed, 0)
    const per1k = (cpu: number) => (completed === 0 ? 0 : roundTo((cpu * 1000) / completed, 3))
    cases.push({
      ...shape,
      blocks: blocks.length,
      opsPerBlock: ops(shape.concurrency),
      p50Ms: roundTo(median(blocks.map((b) => b.p50))),
      p99Ms: roundTo(median(blocks.map((b) => b.p99))),
      opsPerSec: roundTo(median(blocks.map((b) => b.opsPerSec)), 1),
      completed,
      failures: blocks.reduce((a, b) => a + b.failures, 0),
      notRun: blocks.reduce((a, b) => a + b.notRun, 0),
      cpuSPer1kOps: {
        server: per1k(blocks.reduce((a, b) => a + b.memberCpuS, 0)),
        client: per1k(blocks.reduce((a, b) => a + b.clientCpuS, 0)),
      },
    })
  }
  return cases
}
