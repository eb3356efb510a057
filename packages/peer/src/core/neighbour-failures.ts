import { RecentlyFailed } from './recently-failed.js'
import type { RingNode } from './ring-node.js'

export interface NeighbourFailuresInit {
  /** Failed requests in a row after which a neighbour is dropped. */
  failureThreshold: number
  /** How long a dropped neighbour stays suspect unless it answers meanwhile, in ms. */
  rememberFailedMs: number
}

/**
 * The failure detector's bookkeeping for membership: failed requests in a row per
 * neighbour (a neighbour is dropped only after `failureThreshold` of them, never because a
 * connection closed), and the members dropped as failed, which are not adopted again from
 * a neighbour's list until they answer (see RecentlyFailed).
 */
export class NeighbourFailures {
  readonly #init: NeighbourFailuresInit
  readonly #inARow = new Map<string, number>()
  readonly #recentlyFailed: RecentlyFailed

  constructor(init: NeighbourFailuresInit) {
    this.#init = init
    this.#recentlyFailed = new RecentlyFailed({ rememberMs: init.rememberFailedMs })
  }

  /** One more failed request; true when `node` has now failed often enough to be dropped. */
  failed(node: RingNode): boolean {
    const failures = (this.#inARow.get(node.key) ?? 0) + 1
    if (failures < this.#init.failureThreshold) {
      this.#inARow.set(node.key, failures)
      return false
    }
    this.#inARow.delete(node.key)
    return true
  }

  /** A request to `node` succeeded: its run of failures ends. */
  succeeded(node: RingNode): void {
    if (this.#inARow.size > 0) this.#inARow.delete(node.key)
  }

  /** `node` answered us or asked us something: it is alive, suspect or not. */
  heardFrom(node: RingNode): void {
    this.succeeded(node)
    this.#recentlyFailed.contacted(node)
  }

  /** `node` was dropped; when it failed (rather than left), it stays suspect for a while. */
  dropped(node: RingNode, reason: 'failed' | 'left'): void {
    this.#inARow.delete(node.key)
    if (reason === 'failed') this.#recentlyFailed.failed(node)
  }

  /**
   * `node`, unless it was dropped as failed recently: then undefined, and `ping` (at most
   * one at a time per member) asks whether it is back.
   */
  unlessSuspect(
    node: RingNode | undefined,
    ping: (node: RingNode) => Promise<boolean>,
  ): RingNode | undefined {
    if (node === undefined || !this.#recentlyFailed.isSuspect(node)) return node
    this.#recentlyFailed.probe(node, ping)
    return undefined
  }
}
