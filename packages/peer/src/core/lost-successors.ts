import type { RingNode } from './ring-node.js'

export interface LostSuccessorsInit {
  /** At most this many are kept (the successor list's length); the oldest go first. */
  max: number
  /** How long one is kept unless it answers meanwhile, in ms. */
  rememberMs: number
  /** Monotonic milliseconds; tests may drive it. */
  now?: () => number
}

/**
 * Successors this member dropped because they stopped answering, kept for a while as the
 * first places to look for the other side of a partition. When a partition splits the
 * ring into two arcs, only the member at the end of each arc can learn, by asking a member
 * of the other arc for its own successor, that the rings should merge, and its lost
 * successors are exactly those members. Asking them often, rather than a random member
 * heard of now and then, finds the heal within a stabilize period: until then each ring
 * answers for the other's keys without the writes the other side acknowledged.
 */
export class LostSuccessors {
  readonly #init: LostSuccessorsInit
  readonly #now: () => number
  /** In the order they were lost (a Map keeps insertion order). */
  readonly #lost = new Map<string, { node: RingNode; at: number }>()
  #turn = 0

  constructor(init: LostSuccessorsInit) {
    this.#init = init
    this.#now = init.now ?? (() => performance.now())
  }

  lost(node: RingNode): void {
    this.#lost.delete(node.key)
    this.#lost.set(node.key, { node, at: this.#now() })
    while (this.#lost.size > this.#init.max) {
      const oldest = this.#lost.keys().next().value
      if (oldest === undefined) break
      this.#lost.delete(oldest)
    }
  }

  /** `key` answered, or is a neighbour again: nothing to look for behind it. */
  found(key: string): void {
    this.#lost.delete(key)
  }

  /** The next lost successor to ask, in turn; undefined when none is left. */
  next(): RingNode | undefined {
    const now = this.#now()
    for (const [key, entry] of this.#lost) {
      if (now - entry.at >= this.#init.rememberMs) this.#lost.delete(key)
    }
    const entries = [...this.#lost.values()]
    if (entries.length === 0) return undefined
    return (entries[this.#turn++ % entries.length] as { node: RingNode }).node
  }
}
