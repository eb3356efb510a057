import { createPartitioner, type PartitionerKind, type RingId, ringIdOf } from '@ringdht/ring'
import { chordMoves, rendezvousMoves } from './movement.js'
import { ChordNetwork } from './network.js'
import { Prng } from './prng.js'

export interface SimulationInit {
  /** Number of nodes on the ring. */
  nodes: number
  /** Number of keys placed and looked up. */
  keys: number
  /** Default 'chord'. */
  partitioner?: PartitionerKind
  /** Ring positions per node, chord only. Default 1. */
  virtualNodes?: number
  /** Successor list length each chord node routes with, besides its fingers. Default 8. */
  successorListLength?: number
  /** Joins measured, and as many leaves. Default 500 (at most `nodes` leaves). */
  samples?: number
  /** Seed for node names, keys, start nodes and the joins and leaves. Default 1. */
  seed?: number
}

export interface MoveFigures {
  /** Mean keys moved per join (or leave) divided by the ideal K/N. */
  ratioToIdeal: number
  /** Standard error of that mean, same unit. */
  standardError: number
  samples: number
  /** K/N. */
  idealKeys: number
  meanKeysMoved: number
}

export interface SimulationReport {
  nodes: number
  keys: number
  partitioner: PartitionerKind
  virtualNodes: number
  /** Chord only; 0 for rendezvous, whose nodes know every node. */
  successorListLength: number
  seed: number
  hops: {
    mean: number
    p50: number
    p99: number
    max: number
    log2Nodes: number
    /** mean / log2 N; Chord's own figure is about 0.5. */
    meanOverLog2Nodes: number
  }
  load: {
    /** Keys on the busiest node over the mean K/N. */
    maxOverMean: number
    minOverMean: number
    stddevOverMean: number
  }
  moveOnJoin: MoveFigures
  moveOnLeave: MoveFigures
  note: string
}

export const SIMULATION_DEFAULTS = {
  partitioner: 'chord',
  virtualNodes: 1,
  successorListLength: 8,
  samples: 500,
  seed: 1,
} as const

/** Builds the ring, places and looks up every key, and measures joins and leaves. */
export function simulate(init: SimulationInit): SimulationReport {
  const kind = init.partitioner ?? SIMULATION_DEFAULTS.partitioner
  const virtualNodes = init.virtualNodes ?? SIMULATION_DEFAULTS.virtualNodes
  const successorListLength =
    kind === 'chord' ? (init.successorListLength ?? SIMULATION_DEFAULTS.successorListLength) : 0
  const seed = init.seed ?? SIMULATION_DEFAULTS.seed
  requireCount('nodes', init.nodes, 1)
  requireCount('keys', init.keys, 1)
  requireCount('samples', init.samples ?? SIMULATION_DEFAULTS.samples, 1)
  if (kind === 'chord') requireCount('successor list length', successorListLength, 1)
  const prng = new Prng(seed)

  const nodeIds = freshNodeIds(prng, init.nodes, new Set())
  const keys: RingId[] = []
  for (let k = 0; k < init.keys; k++) keys.push(ringIdOf(prng.bytes(16)))

  const partitioner = createPartitioner({
    kind,
    ...(kind === 'chord' ? { virtualNodes } : {}),
    nodes: nodeIds,
  })
  // Owner and runner-up of every key; the runner-up takes over when the owner leaves.
  const owners: RingId[] = []
  const runnersUp: Array<RingId | undefined> = []
  for (const key of keys) {
    const [owner, runnerUp] = partitioner.replicasOf(key, 2) as [RingId, RingId | undefined]
    owners.push(owner)
    runnersUp.push(runnerUp)
  }

  const hopCounts =
    kind === 'chord'
      ? chordHops(prng, nodeIds, keys, owners, virtualNodes, successorListLength)
      : rendezvousHops(prng, nodeIds, owners)

  const samples = init.samples ?? SIMULATION_DEFAULTS.samples
  const joiners = freshNodeIds(prng, samples, new Set(nodeIds))
  const leavers = pickDistinct(prng, nodeIds, Math.min(samples, nodeIds.length))
  const idealKeys = init.keys / init.nodes
  const moves =
    kind === 'chord'
      ? chordMoves(partitioner, keys, owners, joiners, leavers)
      : rendezvousMoves(keys, owners, runnersUp, joiners, leavers)

  const log2Nodes = Math.log2(init.nodes)
  const hopStats = summarizeHops(hopCounts)
  return {
    nodes: init.nodes,
    keys: init.keys,
    partitioner: kind,
    virtualNodes: kind === 'chord' ? virtualNodes : 1,
    successorListLength,
    seed,
    hops: {
      ...hopStats,
      log2Nodes: round(log2Nodes),
      meanOverLog2Nodes: log2Nodes > 0 ? round(hopStats.mean / log2Nodes) : 0,
    },
    load: loadFigures(nodeIds, owners, idealKeys),
    moveOnJoin: moveFigures(moves.join, idealKeys),
    moveOnLeave: moveFigures(moves.leave, idealKeys),
    note:
      kind === 'chord'
        ? `hops: forwarding steps between nodes from a random start node to the key's owner, ` +
          `each node forwarding to the closest preceding node among its ${RING_FINGERS} fingers ` +
          `and ${successorListLength} successors (or to its successor, which then owns the key); ` +
          `moves: owners recomputed for all keys after each of ${moves.join.length} joins and ` +
          `${moves.leave.length} leaves`
        : 'hops: every node knows every node, so a request goes straight to the owner: ' +
          '1 hop by construction (0 when the start node owns the key); ' +
          'virtual nodes do not apply to rendezvous hashing; ' +
          `moves: measured over ${moves.join.length} joins and ${moves.leave.length} leaves`,
  }
}

const RING_FINGERS = 64

function chordHops(
  prng: Prng,
  nodeIds: readonly RingId[],
  keys: readonly RingId[],
  owners: readonly RingId[],
  virtualNodes: number,
  successorListLength: number,
): Uint32Array {
  const network = new ChordNetwork({ nodes: nodeIds, virtualNodes, successorListLength })
  const hops = new Uint32Array(keys.length)
  const positions = network.members.length
  for (let k = 0; k < keys.length; k++) {
    const lookup = network.lookup(prng.below(positions), keys[k] as RingId)
    if (lookup.owner.node !== owners[k]) {
      throw new Error(`lookup ${k} ended at ${lookup.owner.node}, not the owner ${owners[k]}`)
    }
    hops[k] = lookup.hops
  }
  return hops
}

function rendezvousHops(
  prng: Prng,
  nodeIds: readonly RingId[],
  owners: readonly RingId[],
): Uint32Array {
  const hops = new Uint32Array(owners.length)
  for (let k = 0; k < owners.length; k++) {
    hops[k] = nodeIds[prng.below(nodeIds.length)] === owners[k] ? 0 : 1
  }
  return hops
}

function summarizeHops(hops: Uint32Array): { mean: number; p50: number; p99: number; max: number } {
  const histogram: number[] = []
  let total = 0
  for (const h of hops) {
    histogram[h] = (histogram[h] ?? 0) + 1
    total += h
  }
  const quantile = (q: number): number => {
    const rank = Math.ceil(q * hops.length)
    let seen = 0
    for (let h = 0; h < histogram.length; h++) {
      seen += histogram[h] ?? 0
      if (seen >= rank) return h
    }
    return histogram.length - 1
  }
  return {
    mean: round(total / hops.length),
    p50: quantile(0.5),
    p99: quantile(0.99),
    max: histogram.length - 1,
  }
}

function loadFigures(
  nodeIds: readonly RingId[],
  owners: readonly RingId[],
  idealKeys: number,
): SimulationReport['load'] {
  const counts = new Map<RingId, number>(nodeIds.map((id) => [id, 0]))
  for (const owner of owners) counts.set(owner, (counts.get(owner) ?? 0) + 1)
  let max = 0
  let min = Number.POSITIVE_INFINITY
  let squares = 0
  for (const count of counts.values()) {
    max = Math.max(max, count)
    min = Math.min(min, count)
    squares += (count - idealKeys) ** 2
  }
  return {
    maxOverMean: round(max / idealKeys),
    minOverMean: round(min / idealKeys),
    stddevOverMean: round(Math.sqrt(squares / counts.size) / idealKeys),
  }
}

function moveFigures(moved: readonly number[], idealKeys: number): MoveFigures {
  const ratios = moved.map((m) => m / idealKeys)
  const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length
  const variance =
    ratios.length > 1
      ? ratios.reduce((a, r) => a + (r - mean) ** 2, 0) / (ratios.length - 1)
      : Number.NaN
  return {
    ratioToIdeal: round(mean),
    standardError: Number.isNaN(variance) ? 0 : round(Math.sqrt(variance / ratios.length)),
    samples: ratios.length,
    idealKeys: round(idealKeys),
    meanKeysMoved: round(moved.reduce((a, b) => a + b, 0) / moved.length),
  }
}

/** `count` node ids not in `taken`, from random node names. */
function freshNodeIds(prng: Prng, count: number, taken: Set<RingId>): RingId[] {
  const ids: RingId[] = []
  while (ids.length < count) {
    const id = ringIdOf(`node-${prng.hex(8)}`)
    if (taken.has(id)) continue
    taken.add(id)
    ids.push(id)
  }
  return ids
}

function pickDistinct<T>(prng: Prng, items: readonly T[], count: number): T[] {
  const pool = [...items]
  for (let i = 0; i < count; i++) {
    const j = i + prng.below(pool.length - i)
    ;[pool[i], pool[j]] = [pool[j] as T, pool[i] as T]
  }
  return pool.slice(0, count)
}

function requireCount(name: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer ≥ ${min}, got ${value}`)
  }
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000
}
