import type { MoveFigures, SimulationReport, Target } from './simulate.js'

/** The report as a person reads it. */
export function formatReport(report: SimulationReport, elapsedMs: number): string {
  const { hops, load, targets } = report
  const routing =
    report.partitioner === 'chord'
      ? `chord, ${report.virtualNodes} virtual node(s) per node, successor list ${report.successorListLength}`
      : 'rendezvous (highest random weight)'
  const bound = 0.55 * hops.log2Nodes
  const sampled =
    report.placedKeys < report.keys
      ? `sampled    ${report.placedKeys} of ${report.keys} keys ranked over all nodes; moves scaled to K, load over the sample`
      : undefined
  const lines = [
    `ringdht simulator: ${report.nodes} nodes, ${report.keys} keys, ${routing}, r = ${report.replicas}, seed ${report.seed}`,
    '',
    ...(sampled ? [sampled] : []),
    `hops       mean ${hops.mean}  p50 ${hops.p50}  p99 ${hops.p99}  max ${hops.max}` +
      `  (log2 N = ${hops.log2Nodes}; mean/log2 N = ${hops.meanOverLog2Nodes}` +
      (report.partitioner === 'chord' ? `; bar 0.55·log2 N = ${round2(bound)})` : ')'),
    sampled
      ? `load       not measured: ${round2(report.placedKeys / report.nodes)} ranked keys per node say nothing of balance (JSON: over the sample)`
      : `load       max/mean ${load.maxOverMean} ${mark(targets.loadMaxOverMean)}  min/mean ${load.minOverMean}  stddev/mean ${load.stddevOverMean}`,
    ...(load.ringShareMaxOverMean !== undefined
      ? [
          `ring share max/mean ${load.ringShareMaxOverMean}  min/mean ${load.ringShareMinOverMean} (each node's arcs over 1/N: the load with K → ∞)`,
        ]
      : []),
    moveLine('join', report.moveOnJoin, 'joins'),
    moveLine('leave', report.moveOnLeave, 'leaves'),
    `${moveLine('join ×r', report.moveOnJoinReplicated, 'joins')} ${mark(targets.replicatedJoinRatio)}`,
    moveLine('leave ×r', report.moveOnLeaveReplicated, 'leaves'),
    '',
    `note: ${report.note}`,
    `took ${(elapsedMs / 1000).toFixed(1)} s`,
  ]
  return `${lines.join('\n')}\n`
}

/** "✅ ≤ 1.25" or "❌ > 1.25": a target, met or not. */
export function mark(target: Target): string {
  return target.met ? `✅ ≤ ${target.target}` : `❌ > ${target.target}`
}

function moveLine(label: string, move: MoveFigures, what: string): string {
  return (
    `${label.padEnd(10)} ${move.ratioToIdeal} × K/N (±${move.standardError}; ` +
    `${move.meanKeysMoved} keys moved on average, K/N = ${move.idealKeys}; ${move.samples} ${what})`
  )
}

function round2(x: number): number {
  return Math.round(x * 100) / 100
}
