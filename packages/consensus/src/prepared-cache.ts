import type { Ballot } from './ballot.js'
import type { Configuration } from './configuration.js'
import type { RegisterState } from './register-state.js'

/** A phase 1 already done through piggy-backed promises, for the key's next round. */
export interface Prepared {
  readonly ballot: Ballot
  readonly state: RegisterState
  readonly config: Configuration
}

/**
 * The fast path's promises, per key, bounded by count and by the bytes of the values they
 * hold; the least recently kept go first (a Map keeps insertion order, and a key kept
 * again is re-inserted last).
 */
export class PreparedCache {
  readonly #entries = new Map<string, Prepared>()
  readonly #maxEntries: number
  readonly #maxBytes: number
  #bytes = 0

  constructor(maxEntries: number, maxBytes: number) {
    this.#maxEntries = maxEntries
    this.#maxBytes = maxBytes
  }

  /** The key's promise, taken out: a promised ballot carries one proposal, never two. */
  take(key: string): Prepared | undefined {
    const entry = this.#entries.get(key)
    this.drop(key)
    return entry
  }

  keep(key: string, entry: Prepared): void {
    this.drop(key)
    const bytes = entry.state.value?.byteLength ?? 0
    if (bytes > this.#maxBytes) return // would push every other key out
    for (const oldest of this.#entries.keys()) {
      const full = this.#entries.size >= this.#maxEntries || this.#bytes + bytes > this.#maxBytes
      if (!full) break
      this.drop(oldest)
    }
    this.#entries.set(key, entry)
    this.#bytes += bytes
  }

  drop(key: string): void {
    const dropped = this.#entries.get(key)
    if (dropped === undefined) return
    this.#entries.delete(key)
    this.#bytes -= dropped.state.value?.byteLength ?? 0
  }

  clear(): void {
    this.#entries.clear()
    this.#bytes = 0
  }
}
