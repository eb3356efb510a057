import { MessageType } from '@ringdht/protocol'
import { type RingId, ringIdToHex } from '@ringdht/ring'
import type { Logger } from 'pino'
import type { Neighbours } from '../../core/neighbours.js'
import { onSeveralHosts, placeReplicas } from '../../core/replica-placement.js'
import type { RingNode, RingNodeCache } from '../../core/ring-node.js'
import type { MemberRequests } from '../../core/rpc/member-requests.js'
import type { Counters } from '../../counters.js'
import type { Emit } from '../../events.js'
import type { ReplicaSync } from './replica-sync.js'

export interface GracefulLeaveComponents {
  neighbours: Neighbours
  pool: MemberRequests
  nodes: Pick<RingNodeCache, 'fromInfo'>
  sync: ReplicaSync
  counters: Counters
  emit: Emit
  logger: Logger
}

export interface GracefulLeaveInit {
  replicas: number
  successorListLength: number
  requestTimeoutMs: number
  maxRecordsPerPass: number
}

/**
 * What the key/value store does before its member closes: hand each range it holds a
 * copy of to the peers that join that range's replica set when it goes. (The core then
 * tells the predecessor and successor, LEAVE, so the ring closes the gap at once.)
 *
 * With predecessors P1..Pk (P0 = this peer), the range (Pj+1, Pj] is held by Pj and the
 * replicas `placeReplicas` picks from its successors, which this peer sees as
 * Pj-1..P1, itself and its own successors. A range whose set holds this peer gets a new
 * member once it is gone (on one host: its successor number r-1-j, 0-based; for its own
 * range, the new owner's set). k is r on one host; on several, placement can reach
 * farther back, up to the successor-list length. Each hand-off is a push-only digest
 * sync, so records the receiver already has are not sent again.
 */
export class GracefulLeave {
  readonly #c: GracefulLeaveComponents
  readonly #init: GracefulLeaveInit

  constructor(components: GracefulLeaveComponents, init: GracefulLeaveInit) {
    this.#c = components
    this.#init = init
  }

  /** Hand every range off; failures are logged, since the leave goes on regardless. */
  async leave(signal: AbortSignal): Promise<void> {
    if (this.#c.neighbours.alone) return
    try {
      await this.#handOff(signal)
    } catch (err) {
      this.#c.logger.warn({ err }, 'hand-off on leave did not finish')
    }
  }

  async #handOff(signal: AbortSignal): Promise<void> {
    const m = this.#c.neighbours
    const self = m.self
    const { replicas, successorListLength } = this.#init
    const successors = m.successors.filter((s) => s.key !== self.key)
    const around = [self, ...successors, ...(m.predecessor === undefined ? [] : [m.predecessor])]
    const depth = onSeveralHosts(around) ? Math.max(replicas, successorListLength) : replicas
    const chain = await this.#predecessors(depth, signal)
    const budget = { records: Number.MAX_SAFE_INTEGER }
    const jobs: Promise<void>[] = []
    // chain[0] = self, chain[j] = j-th predecessor; range j is (chain[j+1], chain[j]]
    for (let j = 0; j + 1 < chain.length; j++) {
      const owner = chain[j] as RingNode
      // the owner's successors as this peer sees them: Pj-1..P1, self, self's successors
      const after = [...chain.slice(0, j).reverse(), ...successors].slice(0, successorListLength)
      const before = [owner, ...placeReplicas(owner, after, replicas)]
      if (!before.some((n) => n.key === self.key)) continue
      const rest = after.filter((n) => n.key !== self.key)
      const newOwner = j === 0 ? rest[0] : owner
      if (newOwner === undefined) continue
      const others = j === 0 ? rest.slice(1) : rest
      const next = [newOwner, ...placeReplicas(newOwner, others, replicas)]
      const end = owner.id
      const start = (chain[j + 1] as RingNode).id
      // every holder of the range once this member is gone, not only the one that joins
      // the set: a holder that missed a write (W of r acknowledged it) gets it here, and a
      // push that fails (the receiver left a moment ago) is covered by the others and by
      // a stand-in (the next member after them)
      const spares = rest.filter((n) => !next.some((h) => h.key === n.key))
      for (const receiver of next) {
        jobs.push(this.#pushOrStandIn(receiver, spares, start, end, budget, signal))
      }
    }
    const failed = (await Promise.allSettled(jobs)).filter((r) => r.status === 'rejected')
    if (failed.length > 0) throw (failed[0] as PromiseRejectedResult).reason
  }

  /** Push to `receiver`; when that fails, to the first of `spares` that takes it. */
  async #pushOrStandIn(
    receiver: RingNode,
    spares: readonly RingNode[],
    start: RingId,
    end: RingId,
    budget: { records: number },
    signal: AbortSignal,
  ): Promise<void> {
    for (const target of [receiver, ...spares]) {
      try {
        await this.#push(target, start, end, budget, signal)
        return
      } catch (err) {
        if (signal.aborted) throw err
        this.#c.logger.debug({ err, peer: target.key }, 'hand-off push failed; trying the next')
      }
    }
    throw new Error(`no member took the range ${ringIdToHex(start)}..${ringIdToHex(end)}`)
  }

  async #push(
    receiver: RingNode,
    start: RingId,
    end: RingId,
    budget: { records: number },
    signal: AbortSignal,
  ): Promise<void> {
    const result = await this.#c.sync.sync(receiver, start, end, { signal, pull: false, budget })
    this.#c.counters.keysHandedOff += result.pushed
    this.#c.emit('keys:handed-off', {
      to: receiver.key,
      count: result.pushed,
      start: ringIdToHex(start),
      end: ringIdToHex(end),
    })
  }

  /**
   * Self and up to `count` predecessors, walked back one get_predecessor at a time (fewer
   * when one does not answer).
   */
  async #predecessors(count: number, signal: AbortSignal): Promise<RingNode[]> {
    const m = this.#c.neighbours
    const chain: RingNode[] = [m.self]
    let current = m.predecessor
    while (current !== undefined && chain.length <= count) {
      if (chain.some((c) => c.key === current?.key)) break
      chain.push(current)
      if (chain.length > count) break
      let response: Awaited<ReturnType<MemberRequests['request']>>
      try {
        response = await this.#c.pool.request(
          current,
          { type: MessageType.GET_SUCCESSOR_LIST },
          { signal, timeoutMs: this.#init.requestTimeoutMs },
        )
      } catch (err) {
        // a predecessor that just left or failed: hand off the ranges known so far
        if (signal.aborted) throw err
        this.#c.logger.debug({ err, peer: current.key }, 'cannot walk back past a predecessor')
        break
      }
      current = response.error === 0 ? this.#c.nodes.fromInfo(response.peer) : undefined
    }
    return chain
  }
}
