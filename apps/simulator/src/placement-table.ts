import type { PartitionerKind } from '@ringdht/ring'
import { round } from './figures.js'
import { mark } from './report.js'
import {
  LOAD_TARGET,
  REPLICATED_MOVE_TARGET_PER_REPLICA,
  type SimulationReport,
  simulate,
} from './simulate.js'

export interface PlacementTableInit {
  nodes: number
  keys: number
  /** V values tried for chord; rendezvous is one more row. */
  virtualNodes: readonly number[]
  replicas: number
  samples: number
  /** Seeds run per row: firstSeed, firstSeed + 1, … */
  seeds: number
  firstSeed: number
}

/** One placement (and V) over every seed: worst balance, mean movement, time taken. */
export interface PlacementRow {
  partitioner: PartitionerKind
  virtualNodes: number
  /** Ring positions every member must know: N·V for chord, N for rendezvous. */
  tokens: number
  /** Worst load max/mean over the seeds, and the mean of it. */
  loadMaxOverMean: number
  loadMaxOverMeanMean: number
  loadMet: boolean
  /** Chord: worst ring share max/mean over the seeds (the load with K → ∞). */
  ringShareMaxOverMean?: number
  /** Mean over seeds of keys moved per join over K/N, owners only and with r replicas. */
  joinRatio: number
  replicatedJoinRatio: number
  replicatedJoinStandardError: number
  replicatedMet: boolean
  hopsMean: number
  /** Wall time for all seeds of this row. */
  elapsedMs: number
}

/** Runs every row; `onRow` sees each as it finishes (the CLI prints as it goes). */
export function placementTable(
  init: PlacementTableInit,
  onRow: (row: PlacementRow) => void = () => {},
): PlacementRow[] {
  const configs: Array<{ partitioner: PartitionerKind; virtualNodes: number }> = [
    ...init.virtualNodes.map((virtualNodes) => ({ partitioner: 'chord' as const, virtualNodes })),
    { partitioner: 'rendezvous', virtualNodes: 1 },
  ]
  return configs.map((config) => {
    const started = performance.now()
    const reports: SimulationReport[] = []
    for (let s = 0; s < init.seeds; s++) {
      reports.push(
        simulate({
          nodes: init.nodes,
          keys: init.keys,
          replicas: init.replicas,
          samples: init.samples,
          seed: init.firstSeed + s,
          ...config,
        }),
      )
    }
    const mean = (pick: (r: SimulationReport) => number) =>
      round(reports.reduce((a, r) => a + pick(r), 0) / reports.length)
    const worstLoad = Math.max(...reports.map((r) => r.load.maxOverMean))
    const replicatedJoinRatio = mean((r) => r.moveOnJoinReplicated.ratioToIdeal)
    const row: PlacementRow = {
      ...config,
      tokens: init.nodes * config.virtualNodes,
      loadMaxOverMean: worstLoad,
      loadMaxOverMeanMean: mean((r) => r.load.maxOverMean),
      loadMet: worstLoad <= LOAD_TARGET,
      ...(config.partitioner === 'chord'
        ? {
            ringShareMaxOverMean: Math.max(
              ...reports.map((r) => r.load.ringShareMaxOverMean ?? Number.NaN),
            ),
          }
        : {}),
      joinRatio: mean((r) => r.moveOnJoin.ratioToIdeal),
      replicatedJoinRatio,
      // Seeds are independent: the standard error of their mean.
      replicatedJoinStandardError: round(
        Math.sqrt(reports.reduce((a, r) => a + r.moveOnJoinReplicated.standardError ** 2, 0)) /
          reports.length,
      ),
      replicatedMet: replicatedJoinRatio <= REPLICATED_MOVE_TARGET_PER_REPLICA * init.replicas,
      hopsMean: mean((r) => r.hops.mean),
      elapsedMs: Math.round(performance.now() - started),
    }
    onRow(row)
    return row
  })
}

export function tableHeader(init: PlacementTableInit): string {
  const replicatedTarget = round(REPLICATED_MOVE_TARGET_PER_REPLICA * init.replicas)
  const seeds =
    init.seeds === 1
      ? `seed ${init.firstSeed}`
      : `seeds ${init.firstSeed}–${init.firstSeed + init.seeds - 1}, worst load, mean moves`
  return [
    `N = ${init.nodes}, K = ${init.keys}, r = ${init.replicas}, ${init.samples} joins, ${seeds}`,
    '',
    `| placement  | V    | tokens known | load max/mean (≤ ${LOAD_TARGET}) | ring share max/mean | join ×r ÷ K/N (≤ ${replicatedTarget}) | join ÷ K/N | hops.mean | time    |`,
    '| ---------- | ---- | ------------ | ---------------------- | ------------------- | --------------------- | ---------- | --------- | ------- |',
  ].join('\n')
}

export function formatRow(row: PlacementRow, replicas: number): string {
  const loadTarget = { target: LOAD_TARGET, met: row.loadMet }
  const moveTarget = {
    target: round(REPLICATED_MOVE_TARGET_PER_REPLICA * replicas),
    met: row.replicatedMet,
  }
  const cells = [
    row.partitioner.padEnd(10),
    (row.partitioner === 'chord' ? String(row.virtualNodes) : '–').padEnd(4),
    String(row.tokens).padEnd(12),
    `${row.loadMaxOverMean} ${mark(loadTarget).split(' ')[0]}${
      row.loadMaxOverMeanMean !== row.loadMaxOverMean ? ` (mean ${row.loadMaxOverMeanMean})` : ''
    }`.padEnd(21),
    String(row.ringShareMaxOverMean ?? '–').padEnd(19),
    `${row.replicatedJoinRatio} ±${row.replicatedJoinStandardError} ${mark(moveTarget).split(' ')[0]}`.padEnd(
      20,
    ),
    String(row.joinRatio).padEnd(10),
    String(row.hopsMean).padEnd(9),
    `${(row.elapsedMs / 1000).toFixed(1)} s`.padEnd(7),
  ]
  return `| ${cells.join(' | ')} |`
}
