import { beginChange, type Configuration } from '@ringdht/consensus'
import { inOpenInterval, type RingId } from '@ringdht/ring'
import type { Neighbours } from '../core/neighbours.js'
import { placeReplicas } from '../core/replica-placement.js'
import type { RingNode } from '../core/ring-node.js'
import { sameMembers, setAmong, setsOwnerMayHaveUsed } from './owner-sets.js'

/** Open changes kept at most (see `#add`). */
const MAX_OPEN_CHANGES = 16

/**
 * The acceptors of a coordination key, as its owner sees them: the owner and its r-1
 * replicas, placed like the key's record replicas (`placeReplicas`). When the ring changes, a key's replica
 * set moves, and a quorum of the new set need not meet a quorum of the old one (a new
 * member knows nothing yet). So until every key this member proposes for has been carried
 * over, rounds use joint quorums: a majority of the set before the change AND of the set
 * after it (`beginChange`), and only then the new set alone (`settle`).
 *
 * "Before the change" is the neighbourhood this member saw just before it: its
 * predecessor, itself and its successors. That covers a successor failing or joining,
 * this member taking over its failed predecessor's range, and a joiner (whose "before" is
 * its successor's set, see `joinedThrough`). When the ring moves again before a change was
 * carried over (members join in a burst, one fails meanwhile), the open changes are kept
 * in order: for a key this member took over from a failed predecessor, that member's set,
 * not the one from this member's own join, is where its last decisions are.
 */

export class ReplicaSets {
  readonly #neighbours: Neighbours
  readonly #replicas: number
  /**
   * The neighbourhoods of the changes not carried over yet, oldest first (empty: settled
   * on the current one). Each change the ring makes before the last was carried over adds
   * one: a key may hold its latest value only in the sets of any of them.
   */
  #befores: OpenBefore[] = []
  /** The neighbourhood last seen, and who its predecessor and successors were, in order. */
  #seen: { nodes: RingNode[]; shape: string } | undefined

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
   * The key's replica set now: this member (its owner) and the replicas of its range, as
   * its key/value writes place them (`placeReplicas`: on distinct hosts where possible).
   */
  current(): RingNode[] {
    const n = this.#neighbours
    return [n.self, ...placeReplicas(n.self, n.successors, this.#replicas)]
  }

  /**
   * Whether `current()` is the whole replica set: r members, or a ring smaller than r
   * that this member sees all of (its successors reach around to its predecessor). Right
   * after a join the successor list holds the successor alone until stabilize fills it; a
   * set of two decided there lives on members that the next owner's set may not include.
   */
  get complete(): boolean {
    const n = this.#neighbours
    if (this.current().length >= this.#replicas) return true
    const others = n.successors.filter((node) => node.key !== n.self.key)
    if (others.length === 0) return n.predecessor === undefined || n.predecessor.key === n.self.key
    return n.predecessor !== undefined && others.some((node) => node.key === n.predecessor?.key)
  }

  /** True while some rounds still need joint quorums. */
  get changing(): boolean {
    return this.#befores.length > 0
  }

  /** Changes not carried over yet. */
  get openChanges(): number {
    return this.#befores.length
  }

  /**
   * The ring moved: remember the neighbourhood before it, with the fingers. A member whose
   * predecessor jumps back past members it never heard of (its old predecessor failed
   * while the one before had just been dropped for a pause) takes over keys of theirs; the
   * fingers, which reach around the ring, name those members, so the sets a key had
   * before are the ones its real owner used, not sets among this member's neighbours.
   */
  #moved(before: readonly RingNode[]): void {
    const fingers = this.#neighbours.fingers.filter((node) => node !== undefined)
    const nodes = dedupe([...before, ...fingers])
    const beforeKeys = new Set(before.map((node) => node.key))
    const nowKeys = new Set(this.#around().map((node) => node.key))
    const changed = new Set(
      [...beforeKeys, ...nowKeys].filter((key) => beforeKeys.has(key) !== nowKeys.has(key)),
    )
    this.#add({ nodes: () => nodes, changed })
  }

  /** A joiner's keys were its successor's: their sets before were the successor's. */
  joinedThrough(successor: RingNode): void {
    this.#addWithout(successor, false)
  }

  /**
   * A member back from a pause: its successor may have taken its keys over, with the set
   * the successor saw without this member. Unlike a joiner's, its successor list is
   * complete, and in a small ring that set wraps around to the predecessor.
   */
  resumedThrough(successor: RingNode): void {
    this.#addWithout(successor, true)
  }

  /**
   * The ring as `successor` saw it without this member: it, our successors, maybe our
   * predecessor. Right after a join the successor list holds the successor alone, and a
   * set taken then (the successor alone) made its quorum that one member: when it died
   * before the keys were carried over, no round on them could be decided again
   * (`pnpm test:topics-failover` stalled so, the topic's epoch register waiting for its
   * killed home). So the set is read when it is used, and kept from the first time this
   * member sees whole replica sets; members between this one and the successor joined
   * after it and never held these keys.
   */
  #addWithout(successor: RingNode, withPredecessor: boolean): void {
    const n = this.#neighbours
    let kept: RingNode[] | undefined
    const nodes = (): RingNode[] => {
      if (kept !== undefined) return kept
      const others = [successor, ...n.successors]
      if (withPredecessor && n.predecessor !== undefined) others.push(n.predecessor)
      const seen = dedupe(
        others.filter(
          (node) =>
            node.key !== n.self.key &&
            (node.key === successor.key || !inOpenInterval(node.id, n.self.id, successor.id)),
        ),
      )
      // kept once it names a whole set for the successor's keys: r members besides this
      // one, or a ring it sees all of (the list reaches the predecessor). `complete` is
      // not enough: it counts this member, so a list of two made sets of two, whose
      // majority is both (a stall for as long as one of them was paused).
      const whole =
        seen.length >= this.#replicas ||
        (n.predecessor !== undefined && seen.some((node) => node.key === n.predecessor?.key))
      if (this.complete && whole) kept = seen
      return seen
    }
    this.#add({
      nodes,
      sameAs: `${withPredecessor ? 'resumed' : 'joined'} ${successor.key}`,
      changed: new Set([n.self.key]),
    })
  }

  #add(before: OpenBefore): void {
    // a change the ring makes and unmakes (a neighbour flapping) is already covered
    if (
      this.#befores.some((known) =>
        before.sameAs === undefined
          ? known.sameAs === undefined && sameMembers(known.nodes(), before.nodes())
          : known.sameAs === before.sameAs,
      )
    ) {
      return
    }
    this.#befores.push(before)
    // bounded: past this many open changes, the oldest is the one least likely to hold a
    // key's only copy (every pass since carried what it could reach to later sets)
    if (this.#befores.length > MAX_OPEN_CHANGES) this.#befores.shift()
  }

  /**
   * Every key was carried over under `change` (from `openChange`): the sets of the changes
   * it covered are no longer needed. Changes that came during the pass stay: what the
   * pass carried over reached a majority of the sets they began from, and their own keys
   * may not have moved yet.
   */
  settle(change: OpenChange): void {
    this.#befores = this.#befores.filter((before) => !change.befores.includes(before))
  }

  /** The changes being carried over, if any (pass it back to `settle`). */
  openChange(): OpenChange | undefined {
    return this.#befores.length === 0 ? undefined : { befores: [...this.#befores] }
  }

  /** This member joined: the neighbourhood it sees now is where ring changes start from. */
  watchFromNow(): void {
    this.#seen = this.#look()
  }

  /**
   * The neighbourhood changed: opens a change (`#moved`) from the one seen last, unless
   * nothing changed or none was seen yet. True when a change was opened.
   *
   * The same members in other roles count as a move. In a ring of r + 2 a failed
   * predecessor is dropped from that role while it still ends the successor list: the
   * members around look the same, but this member now owns the failed member's keys,
   * whose last decisions are in that member's set. (Missed once, so such keys were
   * decided with this member's own set, where only it had seen them: a register read
   * absent after its owner crashed.)
   */
  neighboursChanged(): boolean {
    const before = this.#seen
    const now = this.#look()
    this.#seen = now
    if (before === undefined || before.shape === now.shape) return false
    this.#moved(before.nodes)
    return true
  }

  #look(): { nodes: RingNode[]; shape: string } {
    const n = this.#neighbours
    const shape = `${n.predecessor?.key ?? ''} ${n.successors.map((node) => node.key).join(' ')}`
    return { nodes: this.#around(), shape }
  }

  /**
   * The configuration a round on `position` runs under, and the nodes it names. Of the
   * open changes, the one that counts for a key is the latest in which another member
   * owned it (this member took the key over then: the key's last decisions are in that
   * member's set, which it reached through its own joint quorums); when this member owned
   * it in all of them, the oldest (its own rounds since then met that set).
   */
  configurationFor(position: RingId): {
    config: Configuration
    nodes: Map<string, RingNode>
    heirs: string[]
  } {
    const now = this.current()
    const nodes = new Map(now.map((node) => [node.key, node]))
    const stable: Configuration = { epoch: 0, members: now.map((node) => node.key) }
    const heirs = this.#heirs()
    const self = this.#neighbours.self.key
    let then: RingNode[] | undefined
    let thenAmong: RingNode[] = []
    for (const before of this.#befores) {
      const among = before.nodes()
      const set = setAmong(among, position, this.#replicas)
      if (then === undefined || (set.length > 0 && set[0]?.key !== self)) {
        then = set
        thenAmong = among
      }
    }
    if (then === undefined || then.length === 0 || sameMembers(then, now)) {
      return { config: stable, nodes, heirs }
    }
    const also =
      then[0]?.key === self
        ? []
        : setsOwnerMayHaveUsed({
            then,
            among: thenAmong,
            changed: new Set(this.#befores.flatMap((before) => [...before.changed])),
            known: [...this.#befores.flatMap((before) => before.nodes()), this.#neighbours.self],
            position,
            replicas: this.#replicas,
          })
    for (const node of [...then, ...also.flat()]) nodes.set(node.key, node)
    const joint = beginChange({ epoch: 0, members: then.map((node) => node.key) }, stable.members)
    const alsoKeys = also.map((set) => set.map((node) => node.key))
    // epochs are not used here (see DurableAcceptor): every round runs at epoch 0
    return {
      config: { ...joint, epoch: 0, ...(alsoKeys.length > 0 ? { also: alsoKeys } : {}) },
      nodes,
      heirs,
    }
  }

  /**
   * The member that takes this member's keys over when it fails: its successor. Thrifty
   * rounds put it in their quorums whenever it answers, so what this member decided is in
   * the heir's own acceptor, which the heir asks first when it takes over. Its view of
   * this member's replica set can differ from this member's (one of them saw a member
   * pause or come back first), and a majority of the set it believes in need not meet
   * the quorum this member used; its own acceptor is in both.
   */
  #heirs(): string[] {
    const successor = this.#neighbours.successors[0]
    return successor === undefined || successor.key === this.#neighbours.self.key
      ? []
      : [successor.key]
  }
}

/** The neighbourhood a ring change began from (read when used: see `#addWithout`). */
interface OpenBefore {
  nodes(): RingNode[]
  /**
   * Members that came or went in this change (this member itself, for a join or a return):
   * another member may have seen the ring with or without them when it last decided keys.
   */
  changed: ReadonlySet<string>
  /** Changes with the same name are one change (a join or a return through one successor). */
  sameAs?: string
}

/** A ring change being carried over: the neighbourhood before it, and the changes seen. */
export interface OpenChange {
  readonly befores: readonly OpenBefore[]
}

/** Every member of the neighbourhoods an open change began from (once each). */
export function membersBefore(change: OpenChange | undefined): RingNode[] {
  return change === undefined ? [] : dedupe(change.befores.flatMap((before) => before.nodes()))
}

function dedupe(nodes: readonly RingNode[]): RingNode[] {
  const seen = new Set<string>()
  return nodes.filter((node) => !seen.has(node.key) && seen.add(node.key))
}
