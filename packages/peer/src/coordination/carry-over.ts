import { MessageType } from '@ringdht/protocol'
import { type RingId, ringIdOf } from '@ringdht/ring'
import type { CapabilityContext, JoinedEvent } from '../core/capability.js'
import type { RingNode } from '../core/ring-node.js'
import { errorFromWire } from '../errors.js'
import type { DurableAcceptor } from './durable-acceptor.js'
import { keyString, PAXOS_KIND } from './paxos-wire.js'
import { membersBefore, type ReplicaSets } from './replica-sets.js'

/** Keys asked for per page when listing another acceptor's keys. */
export const KEYS_PAGE = 512

export interface CarryOverComponents {
  context: CapabilityContext
  sets: ReplicaSets
  acceptor: DurableAcceptor
  /** Run a linearizable read of `key` as its proposer (a round under the current sets). */
  read(key: Uint8Array): Promise<unknown>
}

/**
 * Moves coordination keys to their new replica sets after the ring changed. While a change
 * is open, rounds use joint quorums (see ReplicaSets); this finds every key of this
 * member's range that its own acceptor or an acceptor of the set before the change knows,
 * reads each one under the joint quorums (a decided read writes the key's latest value
 * to a majority of the new set as well), and then settles on the new sets. A failure
 * (an acceptor unreachable, a quorum missing) leaves the change open and tries again.
 */
export class KeyCarryOver {
  readonly #c: CarryOverComponents
  #timer: NodeJS.Timeout | undefined
  #running: Promise<void> | undefined

  constructor(components: CarryOverComponents) {
    this.#c = components
  }

  joined(event: JoinedEvent): void {
    this.#c.sets.watchFromNow()
    if (event.takenOverFrom !== undefined) {
      this.#c.sets.joinedThrough(event.successor)
      this.schedule()
    }
  }

  /** The neighbourhood changed: replica sets may have moved. */
  rangesChanged(): void {
    if (this.#c.sets.neighboursChanged()) this.schedule()
  }

  /**
   * This member was paused. Its successor may have taken its range over meanwhile and
   * settled the keys on its own sets, which a majority of ours need not meet (a paused
   * member's neighbours look unchanged to it). So its rounds use joint quorums with the
   * successor's sets, as a joiner's do, until the keys are carried back.
   */
  resumed(): void {
    const { sets, context } = this.#c
    const successor = context.neighbours.successors[0]
    if (successor === undefined || successor.key === context.self.key) return
    sets.resumedThrough(successor)
    this.schedule()
  }

  /** Carry over soon: changes come in bursts (a failure is seen by several members). */
  schedule(): void {
    const ctx = this.#c.context
    this.#report()
    if (this.#timer !== undefined || ctx.lifetime.aborted) return
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      if (this.#running !== undefined) {
        this.schedule()
        return
      }
      this.#running = this.#pass().finally(() => {
        this.#running = undefined
      })
    }, ctx.config.timers.stabilizeMs * 2)
    this.#timer.unref()
  }

  /** Resolves when no pass is running or scheduled (tests). */
  async idle(): Promise<void> {
    while (this.#running !== undefined || this.#timer !== undefined) {
      await (this.#running ?? new Promise((resolve) => setTimeout(resolve, 10)))
    }
  }

  async stop(): Promise<void> {
    clearTimeout(this.#timer)
    this.#timer = undefined
    await this.#running
  }

  async #pass(): Promise<void> {
    const { sets, context } = this.#c
    const change = sets.openChange()
    if (change === undefined) return
    const before = membersBefore(change)
    const n = context.neighbours
    const start = n.predecessor?.id ?? n.self.id
    let failed = 0
    const keys = new Map<string, Uint8Array>()
    for (const key of this.#c.acceptor.keysIn(start, n.self.id)) keys.set(keyString(key), key)
    for (const node of before) {
      if (node.key === n.self.key) continue
      try {
        for (const key of await this.#listKeys(node, start, n.self.id)) {
          keys.set(keyString(key), key)
        }
      } catch (err) {
        // a member of the old set that is gone: a majority of that set still holds every
        // decided value, and the others answer
        context.logger.debug({ err, member: node.key }, 'listing coordination keys failed')
      }
    }
    for (const key of keys.values()) {
      if (context.lifetime.aborted) return
      const owns = n.owns(ringIdOf(key))
      if (owns === false) continue
      if (owns === undefined) {
        // no predecessor known yet: whether the key is ours is unknown, so the change
        // cannot be settled (settling would leave a key decided only in the old set)
        failed++
        continue
      }
      try {
        await this.#c.read(key)
      } catch (err) {
        failed++
        context.logger.debug({ err }, 'carrying a coordination key over failed')
      }
    }
    if (failed === 0) sets.settle(change)
    this.#report()
    // failures, or a ring change during the pass, leave the change open: go again
    if (failed > 0 || sets.changing) this.schedule()
  }

  #report(): void {
    this.#c.context.counters.coordinationChangesOpen = this.#c.sets.openChanges
  }

  /** The keys `node`'s acceptor holds in (start, end], page by page. */
  async #listKeys(node: RingNode, start: RingId, end: RingId): Promise<Uint8Array[]> {
    const ctx = this.#c.context
    const keys: Uint8Array[] = []
    let after: Uint8Array<ArrayBuffer> | undefined
    for (;;) {
      const response = await ctx.pool.request(
        node,
        {
          type: MessageType.PAXOS,
          rangeStart: start,
          rangeEnd: end,
          limit: KEYS_PAGE,
          ...(after === undefined ? {} : { afterKey: after }),
          paxos: { kind: PAXOS_KIND.keys, round: 0, epoch: 0n, code: '', phase: 0 },
        },
        { signal: ctx.lifetime, timeoutMs: ctx.config.timers.requestTimeoutMs },
      )
      if (response.error !== 0) throw errorFromWire(response.error, response.message)
      for (const record of response.records) keys.push(record.key)
      const last = response.records.at(-1)
      if (response.done || last === undefined) return keys
      after = last.key
    }
  }
}
