import { beginChange, type Configuration } from '@ringdht/consensus'
import { type RingId, SortedRing } from '@ringdht/ring'
import type { Neighbours } from '../core/neighbours.js'
import { placeReplicas } from '../core/replica-placement.js'
import type { RingNode } from '../core/ring-node.js'

/**
 * The acceptors of a coordination key, as its owner sees them: the owner and its r-1
 * replicas, placed like the key's record replicas (`placeReplicas`). When the ring changes, a key's replica
 * set moves, and a quorum of the new set need not meet a quorum of the old one (a new
 * member knows nothing yet). So until every key this member proposes for has been carried
 * over, rounds use joint quorums: a majority of the set before the change AND of the set
 * after it (`beginChange`), and only then the new set alone (`settle`).
 *
 * "Before the change" is the neighbourhood this member saw when it last settled: its
 * predecessor, itself and its successors. That covers a successor failing or joining,
 * this member taking over its failed predecessor's range, and a joiner (whose "before" is
 * its successor's set, see `joinedThrough`).
 */
export class ReplicaSets {
  readonly #neighbours: Neighbours
  readonly #replicas: number
  /** The ring around this member when it last settled; undefined: settled on the current one. */
  #before: RingNode[] | undefined
  /** Ring changes seen: a carry-over settles only if none came while it ran. */
  #changes = 0

  constructor(neighbours: Neighbours, replicas: number) {
    this.#neighbours = neighbours
    this.#replicas = replicas
  }

  /** Members around this member now: predecessor, self, successors. */
  #around(): RingNode[] {
    const n = this.#neighbours
    const nodes = [n.self, ...n.successors]
    if (n.predecessor !== undefined) nodes.push(n.predecessor)
    return dedupe(nodes)
  }

  /**
   * Replica set of `position` among `nodes`: the first at or after it, clockwise, and the
   * replicas `placeReplicas` picks from the ones after that.
   */
  #setAmong(nodes: readonly RingNode[], position: RingId): RingNode[] {
    const byId = new Map(nodes.map((node) => [node.id, node]))
    const ids = new SortedRing([...byId.keys()]).successors(position, byId.size)
    const [owner, ...after] = ids.map((id) => byId.get(id) as RingNode)
    if (owner === undefined) return []
    return [owner, ...placeReplicas(owner, after, this.#replicas)]
  }

  /**
   * The key's replica set now: this member (its owner) and the replicas of its range, as
   * its key/value writes place them (`placeReplicas`: on distinct hosts where possible).
   */
  current(): RingNode[] {
    const n = this.#neighbours
    return [n.self, ...placeReplicas(n.self, n.successors, this.#replicas)]
  }

  /** True while some rounds still need joint quorums. */
  get changing(): boolean {
    return this.#before !== undefined
  }

  /** The ring moved: remember the neighbourhood before it (unless a change is already open). */
  moved(before: readonly RingNode[]): void {
    this.#changes++
    this.#before ??= dedupe([...before])
  }

  /** A joiner's keys were its successor's: their sets before were the successor's. */
  joinedThrough(successor: RingNode): void {
    const n = this.#neighbours
    this.#changes++
    this.#before = dedupe([successor, ...n.successors.filter((s) => s.key !== n.self.key)])
  }

  /**
   * Every key was carried over to the sets of `change` (from `openChange`): the new sets
   * alone are enough from now on, unless the ring moved again meanwhile (then the keys
   * read early may have reached a majority of a set that is already gone).
   */
  settle(change: OpenChange): void {
    if (this.#before === change.before && this.#changes === change.changes) this.#before = undefined
  }

  /** The change still being carried over, if any (pass it back to `settle`). */
  openChange(): OpenChange | undefined {
    return this.#before === undefined ? undefined : { before: this.#before, changes: this.#changes }
  }

  /** The neighbourhood the open change started from. */
  get before(): readonly RingNode[] | undefined {
    return this.#before
  }

  /** A snapshot of the members around this member, for `moved` later. */
  snapshot(): RingNode[] {
    return this.#around()
  }

  /** The configuration a round on `position` runs under, and the nodes it names. */
  configurationFor(position: RingId): { config: Configuration; nodes: Map<string, RingNode> } {
    const now = this.current()
    const nodes = new Map(now.map((node) => [node.key, node]))
    const stable: Configuration = { epoch: 0, members: now.map((node) => node.key) }
    if (this.#before === undefined) return { config: stable, nodes }
    const then = this.#setAmong(this.#before, position)
    if (sameMembers(then, now)) return { config: stable, nodes }
    for (const node of then) nodes.set(node.key, node)
    const joint = beginChange({ epoch: 0, members: then.map((node) => node.key) }, stable.members)
    // epochs are not used here (see DurableAcceptor): every round runs at epoch 0
    return { config: { ...joint, epoch: 0 }, nodes }
  }
}

/** A ring change being carried over: the neighbourhood before it, and the changes seen. */
export interface OpenChange {
  readonly before: readonly RingNode[]
  readonly changes: number
}

function dedupe(nodes: readonly RingNode[]): RingNode[] {
  const seen = new Set<string>()
  return nodes.filter((node) => !seen.has(node.key) && seen.add(node.key))
}

function sameMembers(a: readonly RingNode[], b: readonly RingNode[]): boolean {
  return a.length === b.length && a.every((node) => b.some((other) => other.key === node.key))
}
