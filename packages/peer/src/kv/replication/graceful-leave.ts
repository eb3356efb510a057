import { MessageType } from '@ringdht/protocol'
import { type RingId, ringIdToHex } from '@ringdht/ring'
import type { Logger } from 'pino'
import type { Neighbours } from '../../core/neighbours.js'
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
  requestTimeoutMs: number
  maxRecordsPerPass: number
}

/**
 * What the key/value store does before its member closes: hand each range it holds a
 * copy of to the peer that joins that range's replica set when it goes. (The core then
 * tells the predecessor and successor, LEAVE, so the ring closes the gap at once.)
 *
 * With predecessors P1..Pr (P0 = this peer), the range (Pj+1, Pj] is held by Pj and its
 * r-1 successors; once this peer leaves, its successor number r-1-j (0-based) becomes
 * the range's new r-th holder. Each hand-off is a push-only digest sync, so records the
 * receiver already has are not sent again.
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
    const successors = m.successors.filter((s) => s.key !== self.key)
    const chain = await this.#predecessors(this.#init.replicas, signal)
    const budget = { records: Number.MAX_SAFE_INTEGER }
    const jobs: Promise<void>[] = []
    // chain[0] = self, chain[j] = j-th predecessor; range j is (chain[j+1], chain[j]]
    for (let j = 0; j + 1 < chain.length && j < this.#init.replicas; j++) {
      const end = (chain[j] as RingNode).id
      const start = (chain[j + 1] as RingNode).id
      const receiver = successors[this.#init.replicas - 1 - j]
      if (receiver === undefined || receiver.key === self.key) continue
      jobs.push(this.#push(receiver, start, end, budget, signal))
    }
    await Promise.all(jobs)
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

  /** Self and up to `count` predecessors, walked back one get_predecessor at a time. */
  async #predecessors(count: number, signal: AbortSignal): Promise<RingNode[]> {
    const m = this.#c.neighbours
    const chain: RingNode[] = [m.self]
    let current = m.predecessor
    while (current !== undefined && chain.length <= count) {
      if (chain.some((c) => c.key === current?.key)) break
      chain.push(current)
      if (chain.length > count) break
      const response = await this.#c.pool.request(
        current,
        { type: MessageType.GET_SUCCESSOR_LIST },
        { signal, timeoutMs: this.#init.requestTimeoutMs },
      )
      current = response.error === 0 ? this.#c.nodes.fromInfo(response.peer) : undefined
    }
    return chain
  }
}
