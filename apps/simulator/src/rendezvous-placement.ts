import { RendezvousTable, type RingId } from '@ringdht/ring'
import type { Moved } from './chord-placement.js'
import type { KeyPositions } from './keys.js'

/**
 * Node × key weights the simulator computes, at most, to rank keys exactly: about 10 s
 * on this machine's loaded cores. Rendezvous hashing ranks a key by scoring every node,
 * so N = 100,000 and K = 1,000,000 would need 10^11 weights (several minutes per core
 * at a few ns each); beyond this budget only a sample of the keys is ranked.
 */
export const DEFAULT_RENDEZVOUS_WEIGHTS = 2_000_000_000

/**
 * Rendezvous hashing, ranked exactly over every node for the first `placed` keys. The
 * keys are uniform random, so the first `placed` are a uniform sample; when
 * placed < K, move counts are scaled by K / placed (an unbiased estimate: each key
 * moves or not independently of the sampling) and the spread over joins gives the
 * standard error. Loads are over the placed keys only.
 *
 * A join or leave is counted without ranking again: the joiner enters a key's owner
 * (or replica set) exactly when it outranks the key's owner (or r-th replica); a
 * leaver moves exactly the keys it owned (or held a replica of).
 */
export class RendezvousPlacement {
  readonly table: RendezvousTable
  readonly replicas: number
  readonly placed: number
  /** Owner of each placed key, as an index into `table.nodes`. */
  readonly owner: Int32Array
  readonly ownerLoads: Int32Array
  readonly replicaLoads: Int32Array
  readonly #keys: KeyPositions
  // Weight and node of each key's owner and of its r-th replica, to compare joiners to.
  readonly #ownerWeight: Float64Array
  readonly #lastWeight: Float64Array
  readonly #lastNode: Int32Array

  constructor(nodes: readonly RingId[], keys: KeyPositions, replicas: number, maxWeights: number) {
    this.table = new RendezvousTable(nodes)
    this.replicas = replicas
    const n = this.table.size
    this.placed = Math.min(keys.high.length, Math.max(1, Math.floor(maxWeights / n)))
    this.#keys = keys
    this.owner = new Int32Array(this.placed)
    this.ownerLoads = new Int32Array(n)
    this.replicaLoads = new Int32Array(n)
    this.#ownerWeight = new Float64Array(this.placed)
    this.#lastWeight = new Float64Array(this.placed)
    this.#lastNode = new Int32Array(this.placed)
    const ranked = new Int32Array(replicas)
    const weights = new Float64Array(replicas)
    for (let k = 0; k < this.placed; k++) {
      const filled = this.table.rank(
        keys.high[k] as number,
        keys.low[k] as number,
        replicas,
        ranked,
        weights,
      )
      const owner = ranked[0] as number
      this.owner[k] = owner
      this.#ownerWeight[k] = weights[0] as number
      this.#lastWeight[k] = weights[filled - 1] as number
      this.#lastNode[k] = ranked[filled - 1] as number
      this.ownerLoads[owner] = (this.ownerLoads[owner] as number) + 1
      for (let j = 0; j < filled; j++) {
        const holder = ranked[j] as number
        this.replicaLoads[holder] = (this.replicaLoads[holder] as number) + 1
      }
    }
  }

  /** Keys moved, among the placed ones, if `joiner` (not a member) joined. */
  joinMoves(joiner: RingId): Moved {
    const alone = new RendezvousTable([joiner])
    const nodes = this.table.nodes
    const fewerThanReplicas = nodes.length < this.replicas
    let owner = 0
    let replicated = 0
    for (let k = 0; k < this.placed; k++) {
      const weight = alone.weightOf(0, this.#keys.high[k] as number, this.#keys.low[k] as number)
      const current = this.#ownerWeight[k] as number
      if (
        weight > current ||
        (weight === current && joiner > (nodes[this.owner[k] as number] as RingId))
      ) {
        owner++
      }
      const last = this.#lastWeight[k] as number
      if (
        fewerThanReplicas ||
        weight > last ||
        (weight === last && joiner > (nodes[this.#lastNode[k] as number] as RingId))
      ) {
        replicated++
      }
    }
    return { owner, replicated }
  }
}
