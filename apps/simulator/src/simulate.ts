import type { PartitionerKind, RingId } from '@ringdht/ring'
import { ringIdOf } from '@ringdht/ring'
import { ChordPlacement, type Moved } from './chord-placement.js'
import { loadFigures, moveFigures, round, summarizeHops } from './figures.js'
import { randomKeys } from './keys.js'
import { Prng } from './prng.js'
import { DEFAULT_RENDEZVOUS_WEIGHTS, RendezvousPlacement } from './rendezvous-placement.js'
import { TokenRouter } from './token-router.js'

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
  /** Replicas per key for the replicated movement figures. Default 3. */
  replicas?: number
  /**
   * Keys looked up from a random start, for the hop figures: the first this many.
   * Default min(keys, 100,000): enough for the mean to two decimals, and at 12 hops per
   * lookup on a ring of millions of tokens the hop walk would otherwise cost more than
   * placing the keys.
   */
  lookups?: number
  /** Joins measured, and as many leaves. Default 500 (at most `nodes` leaves). */
  samples?: number
  /** Seed for node names, keys, start nodes and the joins and leaves. Default 1. */
  seed?: number
  /**
   * Rendezvous only: node × key weights computed at most; beyond that only the first
   * floor(this / N) keys are ranked (a uniform sample). Default 2·10^9.
   */
  maxWeights?: number
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

export interface Target {
  target: number
  met: boolean
}

export interface SimulationReport {
  nodes: number
  keys: number
  partitioner: PartitionerKind
  virtualNodes: number
  /** Chord only; 0 for rendezvous, whose nodes know every node. */
  successorListLength: number
  /** r, for the replicated movement figures. */
  replicas: number
  seed: number
  /** Keys placed exactly; fewer than `keys` only when rendezvous ranks a sample. */
  placedKeys: number
  /** Keys looked up for the hop figures. */
  lookups: number
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
    /** Keys on the busiest node over the mean (over the placed keys). */
    maxOverMean: number
    minOverMean: number
    stddevOverMean: number
    /**
     * Chord: the busiest and idlest node's share of the ring over 1/N, the balance with
     * K → ∞ (at K/N = 10 the key counts are mostly Poisson noise). Rendezvous: absent,
     * every node's expected share is 1/N by symmetry.
     */
    ringShareMaxOverMean?: number
    ringShareMinOverMean?: number
  }
  /** Keys whose owner changes. */
  moveOnJoin: MoveFigures
  moveOnLeave: MoveFigures
  /** Keys whose set of r replicas changes (one copy moves each), still over K/N. */
  moveOnJoinReplicated: MoveFigures
  moveOnLeaveReplicated: MoveFigures
  /** Issue 16's bars: load max/mean ≤ 1.25, replicated join ≤ 1.2·r × K/N. */
  targets: { loadMaxOverMean: Target; replicatedJoinRatio: Target }
  note: string
}

export const SIMULATION_DEFAULTS = {
  partitioner: 'chord',
  virtualNodes: 1,
  successorListLength: 8,
  replicas: 3,
  samples: 500,
  lookups: 100_000,
  seed: 1,
  maxWeights: DEFAULT_RENDEZVOUS_WEIGHTS,
} as const

export const LOAD_TARGET = 1.25
export const REPLICATED_MOVE_TARGET_PER_REPLICA = 1.2

/** Builds the ring, places and looks up every key, and measures joins and leaves. */
export function simulate(init: SimulationInit): SimulationReport {
  const kind = init.partitioner ?? SIMULATION_DEFAULTS.partitioner
  const virtualNodes =
    kind === 'chord' ? (init.virtualNodes ?? SIMULATION_DEFAULTS.virtualNodes) : 1
  const successorListLength =
    kind === 'chord' ? (init.successorListLength ?? SIMULATION_DEFAULTS.successorListLength) : 0
  const replicas = init.replicas ?? SIMULATION_DEFAULTS.replicas
  const samples = init.samples ?? SIMULATION_DEFAULTS.samples
  const seed = init.seed ?? SIMULATION_DEFAULTS.seed
  requireCount('nodes', init.nodes, 1)
  requireCount('keys', init.keys, 1)
  requireCount('samples', samples, 1)
  requireCount('replicas', replicas, 1)
  requireCount('max weights', init.maxWeights ?? SIMULATION_DEFAULTS.maxWeights, 1)
  if (kind === 'chord') requireCount('successor list length', successorListLength, 1)
  const lookups = init.lookups ?? Math.min(init.keys, SIMULATION_DEFAULTS.lookups)
  requireCount('lookups', lookups, 1)
  const prng = new Prng(seed)

  const nodeIds = freshNodeIds(prng, init.nodes, new Set())
  const keys = randomKeys(prng, init.keys)
  const placement =
    kind === 'chord'
      ? new ChordPlacement(nodeIds, keys, virtualNodes, replicas)
      : new RendezvousPlacement(
          nodeIds,
          keys,
          replicas,
          init.maxWeights ?? SIMULATION_DEFAULTS.maxWeights,
        )
  const placedKeys = placement instanceof ChordPlacement ? init.keys : placement.placed
  const lookedUp = Math.min(lookups, placedKeys)

  const hopCounts =
    placement instanceof ChordPlacement
      ? chordHops(prng, placement, keys, lookedUp, successorListLength)
      : rendezvousHops(prng, nodeIds, placement, lookedUp)

  const joiners = freshNodeIds(prng, samples, new Set(nodeIds))
  const leavers = pickDistinct(prng, nodeIds, Math.min(samples, nodeIds.length))
  // Sampled keys stand for all K: moves are scaled up to K.
  const scale = init.keys / placedKeys
  const joins: Moved[] = joiners.map((joiner) => placement.joinMoves(joiner))
  const indexOf = new Map(placement.table.nodes.map((id, i) => [id, i]))
  const leaves: Moved[] = leavers.map((leaver) => {
    const i = indexOf.get(leaver) as number
    return {
      owner: placement.ownerLoads[i] as number,
      replicated: placement.replicaLoads[i] as number,
    }
  })
  const idealKeys = init.keys / init.nodes
  const figures = (moves: Moved[], which: keyof Moved) =>
    moveFigures(
      moves.map((m) => m[which] * scale),
      idealKeys,
    )

  const log2Nodes = Math.log2(init.nodes)
  const hopStats = summarizeHops(hopCounts)
  const load: SimulationReport['load'] = loadFigures(placement.ownerLoads, placedKeys / init.nodes)
  if (placement instanceof ChordPlacement) {
    const share = placement.ringShare()
    load.ringShareMaxOverMean = round(share.maxOverMean)
    load.ringShareMinOverMean = round(share.minOverMean)
  }
  const moveOnJoinReplicated = figures(joins, 'replicated')
  const replicatedTarget = REPLICATED_MOVE_TARGET_PER_REPLICA * replicas
  return {
    nodes: init.nodes,
    keys: init.keys,
    partitioner: kind,
    virtualNodes,
    successorListLength,
    replicas,
    seed,
    placedKeys,
    lookups: lookedUp,
    hops: {
      ...hopStats,
      log2Nodes: round(log2Nodes),
      meanOverLog2Nodes: log2Nodes > 0 ? round(hopStats.mean / log2Nodes) : 0,
    },
    load,
    moveOnJoin: figures(joins, 'owner'),
    moveOnLeave: figures(leaves, 'owner'),
    moveOnJoinReplicated,
    moveOnLeaveReplicated: figures(leaves, 'replicated'),
    targets: {
      loadMaxOverMean: { target: LOAD_TARGET, met: load.maxOverMean <= LOAD_TARGET },
      replicatedJoinRatio: {
        target: round(replicatedTarget),
        met: moveOnJoinReplicated.ratioToIdeal <= replicatedTarget,
      },
    },
    note: noteFor(
      kind,
      lookedUp,
      successorListLength,
      joins.length,
      leaves.length,
      placedKeys,
      init.keys,
    ),
  }
}

function noteFor(
  kind: PartitionerKind,
  lookups: number,
  successorListLength: number,
  joins: number,
  leaves: number,
  placedKeys: number,
  keys: number,
): string {
  const moves =
    `moves: counted exactly from the ring for each of ${joins} joins and ${leaves} leaves; ` +
    'replicated: keys whose set of r replicas changes, over K/N'
  if (kind === 'chord') {
    return (
      `hops: forwarding steps between nodes from a random start node to the owner of each of the first ${lookups} keys, ` +
      `each node forwarding to the closest preceding node among its ${RING_FINGERS} fingers ` +
      `and ${successorListLength} successors (or to its successor, which then owns the key); ` +
      moves
    )
  }
  const sampled =
    placedKeys < keys
      ? `; sampled: ${placedKeys} of ${keys} keys ranked over all nodes (N·K weights are ` +
        'beyond the budget), moves scaled to K with the standard error over joins, ' +
        'load over the sampled keys only'
      : ''
  return (
    'hops: every node knows every node, so a request goes straight to the owner: ' +
    '1 hop by construction (0 when the start node owns the key); ' +
    `virtual nodes do not apply to rendezvous hashing; ${moves}${sampled}`
  )
}

const RING_FINGERS = 64

function chordHops(
  prng: Prng,
  placement: ChordPlacement,
  keys: { high: Uint32Array; low: Uint32Array },
  lookups: number,
  successorListLength: number,
): Uint32Array {
  const router = new TokenRouter(placement.table, successorListLength)
  const hops = new Uint32Array(lookups)
  const positions = placement.table.size
  for (let k = 0; k < hops.length; k++) {
    hops[k] = router.hops(prng.below(positions), keys.high[k] as number, keys.low[k] as number)
  }
  return hops
}

function rendezvousHops(
  prng: Prng,
  nodeIds: readonly RingId[],
  placement: RendezvousPlacement,
  lookups: number,
): Uint32Array {
  const hops = new Uint32Array(lookups)
  const nodes = placement.table.nodes
  for (let k = 0; k < hops.length; k++) {
    const start = nodeIds[prng.below(nodeIds.length)]
    hops[k] = start === nodes[placement.owner[k] as number] ? 0 : 1
  }
  return hops
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
