import { type RingId, SortedRing } from '@ringdht/ring'
import type { Admission } from './admission.js'
import type { Neighbours } from './neighbours.js'
import { onSeveralHosts } from './replica-placement.js'
import type { RingNode } from './ring-node.js'

/**
 * What the trust checks ask: is a caller a ring member (or a client), and does a member
 * take part in the replica set of a position. Capabilities read this through their
 * context; the core answers it.
 */
export interface Members {
  /** True when `peer` (a peer id string) is a ring member, as the ring itself confirms. */
  isMember(peer: string, signal?: AbortSignal): Promise<boolean>
  /**
   * True when both `peer` and this member are among the members at or after `position`
   * that may hold its copies (the first `replicas + slack`; more when members are on
   * several hosts, see MemberCheck): `peer` may replicate, repair or hand over that
   * position here.
   */
  mayReplicate(peer: string, position: RingId, signal?: AbortSignal): Promise<boolean>
  /**
   * True when `peer` is a member among those that may hold `position`'s copies, whether
   * or not this member still is one: a member that held a position's state before the
   * ring moved answers for it until the new holders carried it over.
   */
  mayHold(peer: string, position: RingId, signal?: AbortSignal): Promise<boolean>
  /**
   * True when `peer` may propose for `position` (a member among its holders, as for
   * `mayHold`) and this member is one of the first `successorListLength + 1` members at
   * the position: a member of a key's set from before a ring change that never saw the
   * key's state (each round asks a quorum only) but is still in a proposer's joint
   * quorum must answer it, and no set is ever farther than that from its position.
   */
  mayAccept(peer: string, position: RingId, signal?: AbortSignal): Promise<boolean>
}

export interface MemberCheckComponents {
  self: RingNode
  neighbours: Neighbours
  admission: Admission
  /** The owner of a ring position, looked up through the ring. */
  findSuccessor(id: RingId, signal?: AbortSignal): Promise<RingNode>
  /** The ring id of a peer id string, or undefined when it is not a valid peer id. */
  ringIdOf(peer: string): RingId | undefined
}

export interface MemberCheckInit {
  replicas: number
  /**
   * The successor list's length: host-aware placement picks a key's replicas from its
   * owner's successor list, so no replica lies farther than this after the owner.
   */
  successorListLength: number
  /**
   * Extra members counted into a replica set, so that the checks do not refuse honest
   * traffic while the ring changes (a leaving member hands its ranges to the member that
   * is about to join their replica sets; a new member is not yet known everywhere).
   */
  slack: number
  /** How long a confirmed member stays confirmed, in ms. */
  confirmTtlMs: number
  /** How long a failed confirmation is remembered before the ring is asked again, in ms. */
  refuteTtlMs: number
  /** Peers remembered either way; the oldest are forgotten first. */
  maxEntries: number
}

/** Slack 1 (see `slack`), confirmations kept 60 s, refutations 2 s, 4096 peers remembered. */
export const MEMBER_CHECK_DEFAULTS = Object.freeze({
  slack: 1,
  confirmTtlMs: 60_000,
  refuteTtlMs: 2_000,
  maxEntries: 4096,
})

interface Verdict {
  member: boolean
  id: RingId
  until: number
}

/**
 * Tells members from clients by the peer id Noise authenticated, never by what a message
 * says. A peer is a member when it sits in this member's routing state (successors,
 * predecessor, fingers), or when a lookup of its own ring position through the ring
 * ends at it: a member holds its place in the ring, a client holds none. Answers are
 * cached for a while, so the lookup costs once per peer, not per request. Admission
 * (allowlist, id puzzle) is checked first.
 */
export class MemberCheck implements Members {
  readonly #c: MemberCheckComponents
  readonly #init: MemberCheckInit
  readonly #verdicts = new Map<string, Verdict>()
  readonly #pending = new Map<string, Promise<boolean>>()

  constructor(components: MemberCheckComponents, init: MemberCheckInit) {
    this.#c = components
    this.#init = init
  }

  async isMember(peer: string, signal?: AbortSignal): Promise<boolean> {
    if (peer === this.#c.self.key) return true
    if (!this.#c.admission.admits(peer)) return false
    if (this.#neighbour(peer) !== undefined) return true
    const known = this.#verdicts.get(peer)
    if (known !== undefined && known.until > Date.now()) return known.member
    let pending = this.#pending.get(peer)
    if (pending === undefined) {
      pending = this.#confirm(peer, signal).finally(() => this.#pending.delete(peer))
      this.#pending.set(peer, pending)
    }
    return pending
  }

  async mayReplicate(peer: string, position: RingId, signal?: AbortSignal): Promise<boolean> {
    const holders = await this.#holdersWith(peer, position, signal)
    return holders?.includes(this.#c.self.id) === true
  }

  async mayHold(peer: string, position: RingId, signal?: AbortSignal): Promise<boolean> {
    return (await this.#holdersWith(peer, position, signal)) !== undefined
  }

  async mayAccept(peer: string, position: RingId, signal?: AbortSignal): Promise<boolean> {
    const holders = await this.#holdersWith(peer, position, signal)
    if (holders === undefined) return false
    if (holders.includes(this.#c.self.id)) return true
    const peerId = this.#c.ringIdOf(peer) as RingId
    const near = this.#knownRing(peerId).successors(position, this.#init.successorListLength + 1)
    return near.includes(this.#c.self.id)
  }

  /** The members that may hold `position`'s copies, if `peer` is a member among them. */
  async #holdersWith(
    peer: string,
    position: RingId,
    signal: AbortSignal | undefined,
  ): Promise<RingId[] | undefined> {
    if (!(await this.isMember(peer, signal))) return undefined
    const peerId = this.#c.ringIdOf(peer)
    if (peerId === undefined) return undefined
    const holders = this.#knownRing(peerId).successors(position, this.#window() + this.#init.slack)
    return holders.includes(peerId) ? holders : undefined
  }

  /**
   * How many members at or after a position may hold its copies. On one host, the owner
   * and its first r-1 successors, as before. On several hosts, placement (`placeReplicas`)
   * may skip members that share a host and take farther ones, but only from the owner's
   * successor list: the owner and its `successorListLength` successors bound every
   * replica (and every stand-in of the sloppy quorum). That bound is safe to trust: it is
   * the neighbourhood every member already relies on for routing and stand-ins, and a
   * member farther than that from a position is still refused. It is only taken when the
   * members around this one are on more than one host: placement takes a member past the
   * owner's first r-1 successors only for its host, and then its predecessor is on
   * another host (had the predecessor been on the same one, it would have been taken
   * first, or that host was taken already); the members the fill takes are the nearest.
   * Widening never refuses what the narrower window accepted.
   */
  #window(): number {
    const n = this.#c.neighbours
    const around = [n.self, ...n.successors]
    if (n.predecessor !== undefined) around.push(n.predecessor)
    if (!onSeveralHosts(around)) return this.#init.replicas
    return Math.max(this.#init.replicas, this.#init.successorListLength + 1)
  }

  /** A member that failed or left is no longer one. */
  forget(peer: string): void {
    this.#verdicts.delete(peer)
  }

  async #confirm(peer: string, signal: AbortSignal | undefined): Promise<boolean> {
    const id = this.#c.ringIdOf(peer)
    if (id === undefined) return false
    let member = false
    try {
      member = (await this.#c.findSuccessor(id, signal)).key === peer
    } catch {
      member = false // the ring could not say: ask again after refuteTtlMs
    }
    this.#remember(peer, { member, id, until: Date.now() + this.#ttl(member) })
    return member
  }

  #ttl(member: boolean): number {
    return member ? this.#init.confirmTtlMs : this.#init.refuteTtlMs
  }

  #remember(peer: string, verdict: Verdict): void {
    this.#verdicts.delete(peer)
    this.#verdicts.set(peer, verdict)
    while (this.#verdicts.size > this.#init.maxEntries) {
      const oldest = this.#verdicts.keys().next().value as string
      this.#verdicts.delete(oldest)
    }
  }

  #neighbour(peer: string): RingNode | undefined {
    const n = this.#c.neighbours
    if (n.predecessor?.key === peer) return n.predecessor
    return n.successors.find((s) => s.key === peer) ?? n.fingers.find((f) => f?.key === peer)
  }

  /** The members this member knows of, with `extra` (the peer being checked). */
  #knownRing(extra: RingId): SortedRing {
    const n = this.#c.neighbours
    const ids: RingId[] = [this.#c.self.id, extra]
    if (n.predecessor !== undefined) ids.push(n.predecessor.id)
    for (const s of n.successors) ids.push(s.id)
    for (const f of n.fingers) if (f !== undefined) ids.push(f.id)
    const now = Date.now()
    for (const v of this.#verdicts.values()) if (v.member && v.until > now) ids.push(v.id)
    return new SortedRing(ids)
  }
}
