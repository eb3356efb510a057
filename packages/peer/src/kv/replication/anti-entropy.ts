import { type RingId, ringIdToHex } from '@ringdht/ring'
import type { Store } from '@ringdht/store'
import type { Logger } from 'pino'
import type { Neighbours } from '../../core/neighbours.js'
import type { Counters } from '../../counters.js'
import type { Emit } from '../../events.js'
import { replicaTargets } from './replica-set.js'
import type { ReplicaSync } from './replica-sync.js'
import type { StrayRecords } from './stray-records.js'

export interface AntiEntropyComponents {
  neighbours: Neighbours
  sync: ReplicaSync
  strays: StrayRecords
  store: Store
  counters: Counters
  emit: Emit
  logger: Logger
}

export interface AntiEntropyInit {
  replicas: number
  tombstoneGraceMs: number
  maxRecordsPerPass: number
}

/**
 * One anti-entropy pass: this peer, as the owner of its primary range (predecessor,
 * self], brings that range together with each of its r-1 replicas (`replicaTargets`: both
 * ways, newer version wins), so a successor that missed writes, a peer that came back, and a new
 * replica after a failure or a join all converge. Passes are bounded by a record budget
 * and cost one digest exchange per replica when nothing differs. Each pass also
 * collects tombstones older than the grace period.
 */
export class AntiEntropy {
  readonly #c: AntiEntropyComponents
  readonly #init: AntiEntropyInit

  constructor(components: AntiEntropyComponents, init: AntiEntropyInit) {
    this.#c = components
    this.#init = init
  }

  /**
   * True when the primary range was compared with every one of its replicas to the end
   * (no failure, no budget left over): this peer then holds every write a write quorum
   * acknowledged in its range, as a member that returns needs to know before it counts
   * as owner again.
   */
  async pass(signal: AbortSignal, options: { catchingUp?: boolean } = {}): Promise<boolean> {
    const { neighbours, counters } = this.#c
    counters.antiEntropyPasses++
    const collected = await this.#c.store.collectTombstones(
      Date.now() - this.#init.tombstoneGraceMs,
    )
    counters.tombstonesCollected += collected
    const predecessor = neighbours.predecessor
    if (predecessor === undefined || neighbours.alone) return false
    let complete = true
    const start = predecessor.id
    const end = neighbours.self.id
    const budget = { records: this.#init.maxRecordsPerPass }
    for (const target of replicaTargets(neighbours, this.#init.replicas)) {
      if (signal.aborted || budget.records <= 0) {
        complete = false
        break
      }
      try {
        const result = await this.#c.sync.sync(target, start, end, { signal, pull: true, budget })
        if (result.pulled + result.pushed > 0) {
          counters.rangesRepaired++
          this.#c.emit('replicas:repaired', {
            peer: target.key,
            pulled: result.pulled,
            pushed: result.pushed,
            start: ringIdToHex(start),
            end: ringIdToHex(end),
          })
        }
      } catch (err) {
        complete = false
        if (!signal.aborted) this.#c.logger.debug({ err, peer: target.key }, 'anti-entropy failed')
      }
    }
    if (options.catchingUp === true && complete) {
      await this.#pullFromOtherSuccessors(start, end, signal, budget)
    }
    if (budget.records <= 0) complete = false
    if (signal.aborted) return false
    try {
      await this.#c.strays.pass(signal)
    } catch (err) {
      if (!signal.aborted) this.#c.logger.debug({ err }, 'stray record check failed')
    }
    return complete
  }

  /**
   * Catching up, this member also pulls its primary range from the members after its
   * replicas in its successor list. After a partition heals, the writes the other side
   * acknowledged for this range are on that side's owner and replicas, which the merged
   * ring places further along (the first members of the other side after this one), not
   * on this member's replicas: their own stray pass would push them here only later.
   * Pull only (they are not replicas of this range), and best effort: one that does not
   * answer does not hold the catch-up up.
   */
  async #pullFromOtherSuccessors(
    start: RingId,
    end: RingId,
    signal: AbortSignal,
    budget: { records: number },
  ): Promise<void> {
    const { neighbours } = this.#c
    const replicas = new Set(replicaTargets(neighbours, this.#init.replicas).map((n) => n.key))
    for (const node of neighbours.successors) {
      if (node.key === neighbours.self.key || replicas.has(node.key)) continue
      if (signal.aborted || budget.records <= 0) return
      try {
        const result = await this.#c.sync.sync(node, start, end, {
          signal,
          pull: true,
          push: false,
          budget,
        })
        if (result.pulled > 0) this.#c.counters.rangesRepaired++
      } catch (err) {
        if (!signal.aborted) this.#c.logger.debug({ err, peer: node.key }, 'catch-up pull failed')
      }
    }
  }
}
