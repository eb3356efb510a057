import { MessageType } from '@ringdht/protocol'
import { inHalfOpenInterval, type RingId, ringIdToHex } from '@ringdht/ring'
import type { Store } from '@ringdht/store'
import type { Logger } from 'pino'
import type { Neighbours } from '../../core/neighbours.js'
import { placeReplicas } from '../../core/replica-placement.js'
import type { RingNode, RingNodeCache } from '../../core/ring-node.js'
import type { Router } from '../../core/router.js'
import type { MemberRequests } from '../../core/rpc/member-requests.js'
import type { Counters } from '../../counters.js'
import type { Emit } from '../../events.js'
import type { ReplicaSync } from './replica-sync.js'

export interface StrayRecordsComponents {
  neighbours: Neighbours
  router: Pick<Router, 'findSuccessor'>
  pool: MemberRequests
  nodes: Pick<RingNodeCache, 'fromInfo'>
  sync: ReplicaSync
  store: Store
  counters: Counters
  emit: Emit
  logger: Logger
}

export interface StrayRecordsInit {
  replicas: number
  requestTimeoutMs: number
  maxRecordsPerPass: number
}

/** Passes the predecessor chain must stay the same before strays are dropped. */
const STABLE_PASSES = 2

/** Owner ranges handled per pass. */
const MAX_RANGES_PER_PASS = 8

/**
 * Drops records that lie outside every range this peer replicates (left over when a
 * join shifts replica sets), so storage does not grow without bound. This peer keeps
 * (Pr, self], Pr being its r-th predecessor, whatever the hosts. Beyond Pr, a range is a
 * candidate, and its owner's successor list decides: when the owner's placement
 * (`placeReplicas`, host-aware) names this peer, the range is kept. Every pass pushes the
 * stray ranges to their owner and its r-1 replicas (a push-only sync: nothing moves when
 * they hold every record at least as new as ours). It must not wait for the ring to settle:
 * after a partition heals, the writes one side acknowledged sit on members that are no
 * longer their replicas in the merged ring, and the merged owner's reads miss them until
 * they are pushed. A stray range is only dropped when the ring looked the same on three
 * passes in a row, after the push has confirmed that the range's owner and its replicas
 * hold every record at least as new as ours, and when our copy did not change meanwhile:
 * never the last copy.
 */
export class StrayRecords {
  readonly #c: StrayRecordsComponents
  readonly #init: StrayRecordsInit
  #lastChain = ''
  #stablePasses = 0

  constructor(components: StrayRecordsComponents, init: StrayRecordsInit) {
    this.#c = components
    this.#init = init
  }

  async pass(signal: AbortSignal): Promise<void> {
    const chain = await this.#predecessors(signal)
    if (chain === undefined) return
    const key = chain.map((n) => n.key).join(',')
    this.#stablePasses = key === this.#lastChain ? this.#stablePasses + 1 : 0
    this.#lastChain = key
    // while the ring changes, strays are pushed but kept: the owner named now may not be
    // the owner once the ring settles, and our copy may be the only one it will find
    const mayDrop = this.#stablePasses >= STABLE_PASSES
    const self = this.#c.neighbours.self
    const spanStart = (chain.at(-1) as RingNode).id
    // stray: (self, Pr]
    if (spanStart === self.id || (await this.#c.store.count(self.id, spanStart)) === 0) return
    const budget = { records: this.#init.maxRecordsPerPass }
    let cursor: RingId = self.id
    for (let n = 0; n < MAX_RANGES_PER_PASS && budget.records > 0 && !signal.aborted; n++) {
      let first: RingId | undefined
      for await (const record of this.#c.store.range(cursor, spanStart, { limit: 1 })) {
        first = record.position
      }
      if (first === undefined) return
      const owner = await this.#c.router.findSuccessor(first, signal)
      const neighbours = await this.#c.pool.request(
        owner,
        { type: MessageType.GET_SUCCESSOR_LIST },
        { signal, timeoutMs: this.#init.requestTimeoutMs },
      )
      const ownerPredecessor = this.#c.nodes.fromInfo(neighbours.peer)
      if (neighbours.error !== 0 || ownerPredecessor === undefined) return
      const start = ownerPredecessor.id
      const end = owner.id
      // views disagree (the ring is changing): try again on a later pass
      const inside = (id: RingId): boolean =>
        id === self.id || inHalfOpenInterval(id, self.id, spanStart)
      if (
        !inside(start) ||
        !inHalfOpenInterval(end, self.id, spanStart) ||
        !inHalfOpenInterval(first, start, end)
      )
        return
      const ownerSuccessors = neighbours.peers
        .map((info) => this.#c.nodes.fromInfo(info))
        .filter((node) => node !== undefined)
      // the replica set as the owner places it (`placeReplicas`, the same function its
      // writer and anti-entropy use): on several hosts, it can reach past our r-th
      // predecessor, up to the owner's successor-list length
      const holders = [owner, ...placeReplicas(owner, ownerSuccessors, this.#init.replicas)]
      if (holders.some((h) => h.key === self.key)) {
        // a replica of this range after all (placed here for host diversity): keep it,
        // and go on with the ranges after it
        cursor = end
        if (end === spanStart) return
        continue
      }
      const before = await this.#c.store.digest(start, end)
      for (const holder of holders) {
        await this.#c.sync.sync(holder, start, end, { signal, pull: false, budget })
      }
      if (budget.records <= 0) return
      const after = await this.#c.store.digest(start, end)
      if (!mayDrop || after.hash !== before.hash || after.count !== before.count) {
        // pushed, kept for a later pass; a changed copy is offered again then
        cursor = end
        if (end === spanStart) return
        continue
      }
      const dropped = await this.#c.store.removeRange(start, end)
      this.#c.counters.strayRecordsDropped += dropped
      this.#c.emit('keys:dropped', {
        count: dropped,
        start: ringIdToHex(start),
        end: ringIdToHex(end),
      })
      cursor = end
      if (end === spanStart) return
    }
  }

  /** Self and its r predecessors, or undefined when one does not answer. */
  async #predecessors(signal: AbortSignal): Promise<RingNode[] | undefined> {
    const m = this.#c.neighbours
    const chain: RingNode[] = [m.self]
    let current = m.predecessor
    while (chain.length <= this.#init.replicas) {
      if (current === undefined) return undefined
      // a ring of at most r peers: everyone replicates everything
      if (chain.some((c) => c.key === current?.key)) return undefined
      chain.push(current)
      if (chain.length > this.#init.replicas) break
      const response = await this.#c.pool.request(
        current,
        { type: MessageType.GET_SUCCESSOR_LIST },
        { signal, timeoutMs: this.#init.requestTimeoutMs },
      )
      if (response.error !== 0) return undefined
      current = this.#c.nodes.fromInfo(response.peer)
    }
    return chain
  }
}
