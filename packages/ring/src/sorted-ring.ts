import { EmptyRingError } from './errors.js'
import { clockwiseDistance, type RingId } from './ring-id.js'

/**
 * The positions of all known nodes, sorted: the global view that the simulator and
 * the tests compute ring order from. A live peer never has this; it has a finger table
 * and a successor list.
 */
export class SortedRing {
  readonly #ids: RingId[]

  constructor(ids: Iterable<RingId> = []) {
    this.#ids = [...new Set(ids)].sort(compareRingIds)
  }

  get size(): number {
    return this.#ids.length
  }

  ids(): readonly RingId[] {
    return this.#ids
  }

  has(id: RingId): boolean {
    const i = this.#lowerBound(id)
    return i < this.#ids.length && this.#ids[i] === id
  }

  add(id: RingId): boolean {
    const i = this.#lowerBound(id)
    if (this.#ids[i] === id) return false
    this.#ids.splice(i, 0, id)
    return true
  }

  remove(id: RingId): boolean {
    const i = this.#lowerBound(id)
    if (this.#ids[i] !== id) return false
    this.#ids.splice(i, 1)
    return true
  }

  /** The first node at or after `id`, clockwise: the owner of a key at `id`. */
  successor(id: RingId): RingId {
    return this.#at(this.#lowerBound(id))
  }

  /** The first node strictly after `id`, clockwise. */
  nextAfter(id: RingId): RingId {
    const i = this.#lowerBound(id)
    return this.#at(this.#ids[i] === id ? i + 1 : i)
  }

  /** The last node strictly before `id`, clockwise. */
  predecessor(id: RingId): RingId {
    return this.#at(this.#lowerBound(id) - 1)
  }

  /** Up to `count` distinct nodes starting at successor(id), clockwise. */
  successors(id: RingId, count: number): RingId[] {
    this.#requireNonEmpty()
    const start = this.#lowerBound(id)
    const n = Math.min(count, this.#ids.length)
    const result: RingId[] = []
    for (let k = 0; k < n; k++) result.push(this.#at(start + k))
    return result
  }

  #at(index: number): RingId {
    this.#requireNonEmpty()
    const n = this.#ids.length
    return this.#ids[((index % n) + n) % n] as RingId
  }

  #requireNonEmpty(): void {
    if (this.#ids.length === 0) throw new EmptyRingError()
  }

  #lowerBound(id: RingId): number {
    let lo = 0
    let hi = this.#ids.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if ((this.#ids[mid] as RingId) < id) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}

export function compareRingIds(a: RingId, b: RingId): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Sort by clockwise distance from `origin` (origin itself first). */
export function sortClockwiseFrom<T>(
  origin: RingId,
  items: Iterable<T>,
  idOf: (item: T) => RingId,
): T[] {
  return [...items].sort((a, b) => {
    const da = clockwiseDistance(origin, idOf(a))
    const db = clockwiseDistance(origin, idOf(b))
    return da < db ? -1 : da > db ? 1 : 0
  })
}
