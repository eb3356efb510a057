import type { RingNode } from './ring-node.js'

export interface RecentlyFailedInit {
  /** How long a failed member stays suspect unless it answers meanwhile. */
  rememberMs: number
  /** Monotonic milliseconds; tests may drive it. */
  now?: () => number
}

/**
 * Members this one dropped as failed, for a while. Stabilize learns successors from a
 * neighbour's list, and that neighbour may not have noticed the failure yet: without this
 * memory the dead member is adopted again, dropped again, and so on (10 times in 20 s was
 * observed), and re-replication waits for the flapping to stop. A suspect is adopted
 * again only after it answered a request of ours (or sent us one), which a probe checks.
 */
export class RecentlyFailed {
  readonly #init: RecentlyFailedInit
  readonly #now: () => number
  readonly #failedAt = new Map<string, number>()
  readonly #probing = new Set<string>()

  constructor(init: RecentlyFailedInit) {
    this.#init = init
    this.#now = init.now ?? (() => performance.now())
  }

  failed(node: RingNode): void {
    this.#failedAt.set(node.key, this.#now())
  }

  /** The member answered or asked something: it is alive. */
  contacted(node: RingNode): void {
    if (this.#failedAt.size > 0) this.#failedAt.delete(node.key)
  }

  /** True while `node` failed recently and has not been heard from since. */
  isSuspect(node: RingNode): boolean {
    const at = this.#failedAt.get(node.key)
    if (at === undefined) return false
    if (this.#now() - at < this.#init.rememberMs) return true
    this.#failedAt.delete(node.key)
    return false
  }

  /**
   * Ask a suspect named by a neighbour whether it is back (at most one probe per member
   * at a time); `ping` resolves true when it answered. Never throws.
   */
  probe(node: RingNode, ping: (node: RingNode) => Promise<boolean>): void {
    if (this.#probing.has(node.key)) return
    this.#probing.add(node.key)
    void ping(node)
      .then(
        (alive) => {
          if (alive) this.contacted(node)
        },
        () => {},
      )
      .finally(() => this.#probing.delete(node.key))
  }
}
