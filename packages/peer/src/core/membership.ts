import { MessageType, type Request, type Response } from '@ringdht/protocol'
import { inOpenInterval, mergeSuccessorList, RING_BITS, type RingId } from '@ringdht/ring'
import type { Logger } from 'pino'
import type { Counters } from '../counters.js'
import type { Emit, PeerEventMap } from '../events.js'
import { fixFingerTable } from './fix-fingers.js'
import { LostSuccessors } from './lost-successors.js'
import { NeighbourFailures } from './neighbour-failures.js'
import { NeighbourView } from './neighbour-view.js'
import type { LivenessReports } from './neighbours.js'
import { memberInfoOf, peerInfoOf, type RingNode, type RingNodeCache } from './ring-node.js'
import type { MemberRequests } from './rpc/member-requests.js'

export interface MembershipComponents {
  self: RingNode
  pool: MemberRequests
  nodes: RingNodeCache
  counters: Pick<Counters, 'failuresDetected' | 'leavesReceived'>
  logger: Logger
  emit: Emit
  /**
   * The successor or the predecessor changed, so the ranges this member owns or
   * replicates moved: the owner of the membership tells the capabilities.
   */
  onNeighboursChanged(): void
  /** Whether a peer may be a member at all (allowlist, id puzzle); others are never adopted. */
  admits(peer: string): boolean
  /** A neighbour failed or left: it is no longer confirmed as a member. */
  onForgotten(peer: string): void
  /** `peer` answered a ping of ours or notified us: it is alive (circuit breakers). */
  onHeardFrom?(peer: string): void
}

/**
 * How long a successor dropped as failed is asked, now and then, whether it lives on in
 * another ring (a partition): longer than partitions usually last, bounded so a member
 * that died for good is not asked for ever.
 */
const LOST_SUCCESSOR_MEMORY_MS = 10 * 60_000

export interface MembershipInit {
  successorListLength: number
  failureThreshold: number
  pingTimeoutMs: number
  /** How long a member dropped as failed is not adopted from a neighbour's list without contact. */
  rememberFailedMs: number
}

/**
 * This peer's view of the ring (successor list, predecessor, finger table) and the
 * Chord maintenance that keeps it fresh. Neighbours are dropped only after failing
 * `failureThreshold` requests in a row, never because a connection closed.
 */
export class Membership extends NeighbourView implements LivenessReports {
  readonly #c: MembershipComponents
  readonly #init: MembershipInit
  readonly #failures: NeighbourFailures
  /** Successors dropped as failed: where the merge probe looks first (see LostSuccessors). */
  readonly lostSuccessors: LostSuccessors

  constructor(components: MembershipComponents, init: MembershipInit) {
    super(components.self)
    this.#c = components
    this.#init = init
    this.#failures = new NeighbourFailures(init)
    this.lostSuccessors = new LostSuccessors({
      max: init.successorListLength,
      rememberMs: LOST_SUCCESSOR_MEMORY_MS,
    })
  }

  /**
   * Start alone but cut off (see Neighbours.cutOff): this member remembers others from its
   * last run and must not take itself for a ring of one until one of them answers.
   */
  startCutOff(): void {
    if (this.alone) this.isCutOff = true
  }

  /** Adopt a successor found by the join lookup. */
  setSuccessor(node: RingNode): void {
    this.#setSuccessors(mergeSuccessorList(this.self.id, [node], this.#init.successorListLength))
  }

  handleNotify(request: Request): Partial<Response> {
    const candidate = this.#admitted(request.sender)
    if (candidate === undefined || candidate.key === this.self.key) return {}
    this.#heardFrom(candidate)
    this.considerPredecessor(candidate)
    // a lone peer learns of the ring from the first peer that notifies it
    if (this.alone) this.setSuccessor(candidate)
    return {}
  }

  /**
   * Take `candidate` as the predecessor when none is known or it lies between the known
   * one and this member (Chord's notify rule). A joiner calls it with its successor's
   * predecessor, so that it knows its range from the start instead of serving requests
   * for it "unsure" until that predecessor's stabilize notifies it.
   */
  considerPredecessor(candidate: RingNode): void {
    if (candidate.key === this.self.key || !this.#c.admits(candidate.key)) return
    const previous = this.currentPredecessor
    if (
      previous === undefined ||
      previous.key === candidate.key ||
      inOpenInterval(candidate.id, previous.id, this.self.id)
    ) {
      const changed = previous?.key !== candidate.key
      // the same predecessor may come back with new addresses after a restart
      this.currentPredecessor = candidate
      if (changed) {
        this.#changed('predecessor:changed', {
          predecessor: memberInfoOf(candidate),
          previous: previous === undefined ? undefined : memberInfoOf(previous),
        })
      }
    }
  }

  /**
   * A neighbour leaves gracefully: drop it at once (no timeout to wait out) and close
   * the gap with what it told us: its predecessor (if it was ours) and its successor
   * list (if it was in ours).
   */
  handleLeave(request: Request): Partial<Response> {
    this.#c.counters.leavesReceived++
    const leaving = this.#c.nodes.fromInfo(request.sender)
    if (leaving === undefined || leaving.key === this.self.key) return {}
    const wasPredecessor = this.currentPredecessor?.key === leaving.key
    const wasSuccessor = this.successorList.some((s) => s.key === leaving.key)
    const offered: RingNode[] = []
    for (const info of request.successors) {
      const node = this.#admitted(info)
      if (node !== undefined && node.key !== leaving.key) offered.push(node)
    }
    const nextSuccessors = mergeSuccessorList(
      this.self.id,
      [...this.successorList.filter((s) => s.key !== leaving.key), ...offered],
      this.#init.successorListLength,
    )
    this.#forget(leaving, 'left')
    if (wasSuccessor && nextSuccessors.length > 0) this.#setSuccessors(nextSuccessors)
    const replacement = this.#admitted(request.predecessor)
    // the predecessor it named precedes us now
    if (wasPredecessor && replacement !== undefined && replacement.key !== leaving.key) {
      this.considerPredecessor(replacement)
    }
    return {}
  }

  /** get_predecessor and get_successor_list in one answer: stabilize needs both. */
  handleNeighbours(): Partial<Response> {
    return {
      ...(this.currentPredecessor === undefined
        ? {}
        : { peer: peerInfoOf(this.currentPredecessor) }),
      peers: this.successorList.map(peerInfoOf),
    }
  }

  async stabilize(signal: AbortSignal): Promise<void> {
    const successor = this.successor
    let successorsPredecessor: RingNode | undefined
    let successorsList: RingNode[] = []
    if (successor === this.self) {
      successorsPredecessor = this.currentPredecessor
    } else {
      const response = await this.#ask(successor, { type: MessageType.GET_SUCCESSOR_LIST }, signal)
      if (response === undefined) {
        this.reportFailure(successor)
        return
      }
      successorsPredecessor = this.#admitted(response.peer)
      for (const info of response.peers) {
        const node = this.#admitted(info)
        if (node !== undefined) successorsList.push(node)
      }
    }
    // a member we dropped as failed comes back only once it answers us, not because a
    // neighbour that has not noticed yet still lists it
    successorsPredecessor = this.#unlessSuspect(successorsPredecessor, signal)
    successorsList = successorsList.filter((n) => this.#unlessSuspect(n, signal) !== undefined)
    const candidates = [successor, ...successorsList]
    if (
      successorsPredecessor !== undefined &&
      successorsPredecessor.key !== this.self.key &&
      (successor === this.self ||
        inOpenInterval(successorsPredecessor.id, this.self.id, successor.id))
    ) {
      candidates.unshift(successorsPredecessor)
      successorsList = []
    }
    const merged = mergeSuccessorList(this.self.id, candidates, this.#init.successorListLength)
    if (merged.length > 0) this.#setSuccessors(merged)
    if (!this.alone) await this.notify(this.successor, signal)
  }

  async notify(node: RingNode, signal: AbortSignal): Promise<void> {
    const response = await this.#ask(
      node,
      { type: MessageType.NOTIFY, sender: peerInfoOf(this.self) },
      signal,
    )
    if (response === undefined) this.reportFailure(node)
  }

  async checkPredecessor(signal: AbortSignal): Promise<void> {
    const predecessor = this.currentPredecessor
    if (predecessor === undefined) return
    const response = await this.#ask(predecessor, { type: MessageType.PING }, signal)
    if (response === undefined) this.reportFailure(predecessor)
  }

  /** One pass over the finger table (see `fixFingerTable`). */
  async fixFingers(
    lookup: (id: RingId, signal: AbortSignal) => Promise<RingNode>,
    signal: AbortSignal,
  ): Promise<void> {
    await fixFingerTable(this.self, () => this.successor, this.fingerTable, lookup, signal)
    this.candidateCache = undefined
  }

  /** A request to `node` failed; after `failureThreshold` in a row, forget it. */
  reportFailure(node: RingNode): void {
    if (this.#failures.failed(node)) this.#forget(node, 'failed')
  }

  reportSuccess(node: RingNode): void {
    this.#failures.succeeded(node)
  }

  /** A member described on the wire, when it may be one (allowlist, id puzzle). */
  #admitted(info: Request['sender']): RingNode | undefined {
    if (info === undefined || !this.#c.admits(info.peerId)) return undefined
    return this.#c.nodes.fromInfo(info)
  }

  /** `node`, unless it failed recently: then undefined, and a ping asks whether it is back. */
  #unlessSuspect(node: RingNode | undefined, signal: AbortSignal): RingNode | undefined {
    return this.#failures.unlessSuspect(
      node,
      async (n) => (await this.#ask(n, { type: MessageType.PING }, signal)) !== undefined,
    )
  }

  #heardFrom(node: RingNode): void {
    this.#failures.heardFrom(node)
    this.#c.onHeardFrom?.(node.key)
  }

  #forget(node: RingNode, reason: 'failed' | 'left'): void {
    this.#c.onForgotten(node.key)
    this.#failures.dropped(node, reason)
    this.#c.logger.debug({ peer: node.key }, 'dropping unresponsive neighbour')
    if (this.currentPredecessor?.key === node.key) {
      this.lastDroppedPredecessor = node
      this.currentPredecessor = undefined
      this.#left({ peer: memberInfoOf(node), role: 'predecessor', reason })
      this.#changed('predecessor:changed', { predecessor: undefined, previous: memberInfoOf(node) })
    }
    for (let i = 0; i < RING_BITS; i++) {
      if (this.fingerTable[i]?.key === node.key) this.fingerTable[i] = undefined
    }
    const remaining = this.successorList.filter((s) => s.key !== node.key)
    if (remaining.length !== this.successorList.length) {
      if (reason === 'failed') this.lostSuccessors.lost(node)
      this.#left({ peer: memberInfoOf(node), role: 'successor', reason })
      if (remaining.length === 0) {
        // fall back on whatever else we know, nearest first
        const others = [...this.fingerTable, this.currentPredecessor].filter(
          (n): n is RingNode => n !== undefined && n.key !== node.key,
        )
        remaining.push(...mergeSuccessorList(this.self.id, others, 1))
      }
      // left alone by failures, not by the others leaving: the ring is still out there
      if (remaining.length === 0 && reason === 'failed') this.isCutOff = true
      this.#setSuccessors(remaining.length > 0 ? remaining : [this.self])
    }
    this.candidateCache = undefined
  }

  #setSuccessors(next: RingNode[]): void {
    const previous = this.successor
    this.successorList = next.map((node) => this.#c.nodes.get(node.key) ?? node)
    this.candidateCache = undefined
    if (!this.alone) this.isCutOff = false
    const successor = this.successor
    if (successor.key !== previous.key) {
      this.#changed('successor:changed', {
        successor: memberInfoOf(successor),
        previous: previous === this.self ? undefined : memberInfoOf(previous),
      })
    }
  }

  /** A neighbour changed: tell listeners, and the owner (the ranges moved). */
  #changed<K extends 'successor:changed' | 'predecessor:changed'>(
    name: K,
    detail: PeerEventMap[K],
  ): void {
    this.#c.emit(name, detail)
    this.#c.onNeighboursChanged()
  }

  #left(detail: PeerEventMap['peer:left']): void {
    if (detail.reason === 'failed') this.#c.counters.failuresDetected++
    this.#c.emit('peer:left', detail)
  }

  async #ask(
    node: RingNode,
    request: Partial<Request>,
    signal: AbortSignal,
  ): Promise<Response | undefined> {
    try {
      const response = await this.#c.pool.request(node, request, {
        signal,
        timeoutMs: this.#init.pingTimeoutMs,
      })
      if (response.error !== 0) return undefined
      this.#heardFrom(node)
      return response
    } catch {
      return undefined
    }
  }
}
