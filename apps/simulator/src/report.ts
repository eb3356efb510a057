import type { SimulationReport } from './simulate.js'

/** The report as a person reads it. */
export function formatReport(report: SimulationReport, elapsedMs: number): string {
  const { hops, load, moveOnJoin, moveOnLeave } = report
  const routing =
    report.partitioner === 'chord'
      ? `chord, ${report.virtualNodes} virtual node(s) per node, successor list ${report.successorListLength}`
      : 'rendezvous (highest random weight)'
  const bound = 0.55 * hops.log2Nodes
  const lines = [
    `ringdht simulator: ${report.nodes} nodes, ${report.keys} keys, ${routing}, seed ${report.seed}`,
    '',
    `hops       mean ${hops.mean}  p50 ${hops.p50}  p99 ${hops.p99}  max ${hops.max}` +
      `  (log2 N = ${hops.log2Nodes}; mean/log2 N = ${hops.meanOverLog2Nodes}` +
      (report.partitioner === 'chord' ? `; bar 0.55·log2 N = ${round2(bound)})` : ')'),
    `load       max/mean ${load.maxOverMean}  min/mean ${load.minOverMean}  stddev/mean ${load.stddevOverMean}`,
    `join       ${moveOnJoin.ratioToIdeal} × ideal (±${moveOnJoin.standardError}; ${moveOnJoin.meanKeysMoved} keys moved on average, ideal K/N = ${moveOnJoin.idealKeys}; ${moveOnJoin.samples} joins)`,
    `leave      ${moveOnLeave.ratioToIdeal} × ideal (±${moveOnLeave.standardError}; ${moveOnLeave.meanKeysMoved} keys moved on average, ideal K/N = ${moveOnLeave.idealKeys}; ${moveOnLeave.samples} leaves)`,
    '',
    `note: ${report.note}`,
    `took ${(elapsedMs / 1000).toFixed(1)} s`,
  ]
  return `${lines.join('\n')}\n`
}

function round2(x: number): number {
  return Math.round(x * 100) / 100
}
