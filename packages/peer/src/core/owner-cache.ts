import { inHalfOpenInterval, type RingId } from '@ringdht/ring'
import type { RingNode } from './ring-node.js'

/** A range of the ring and the member that owned it when an answer said so: (after, owner]. */
export interface CachedOwner {
  readonly owner: RingNode
  /** The owner's predecessor then: the range starts just after it. Equal to owner.id: the whole ring. */
  readonly after: RingId
}

/** Entries kept by default: a few hundred members' ranges, a few tens of KiB. */
export const DEFAULT_OWNER_CACHE_ENTRIES = 1024

/**
 * Where the ranges of the ring were owned, learned from the answers this member relayed
 * or received: a bounded cache (least recently used out first) that lets a request go
 * straight to its owner instead of hopping along fingers. Only a hint: the member it
 * names still checks that it owns the position and hands the request on when not, and an
 * entry that turns out stale is replaced or dropped.
 *
 * Entries never overlap: learning a range drops every entry it overlaps (their owners'
 * ranges have changed since), so the one entry that can hold a position is the first
 * whose owner lies at or after it clockwise, found by binary search.
 */
export class OwnerCache {
  readonly #maxEntries: number
  /** By owner peer id; a Map iterates in insertion order, so the least recently used is first. */
  readonly #byOwner = new Map<string, CachedOwner>()
  /** The same entries, sorted by owner position. */
  #sorted: CachedOwner[] = []

  constructor(maxEntries = DEFAULT_OWNER_CACHE_ENTRIES) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError('an owner cache holds at least one entry')
    }
    this.#maxEntries = maxEntries
  }

  get size(): number {
    return this.#byOwner.size
  }

  /** The member that owned `position` when last heard of; undefined when no entry covers it. */
  ownerOf(position: RingId): RingNode | undefined {
    const entry = this.#sorted[this.#firstAtOrAfter(position)] ?? this.#sorted[0]
    if (entry === undefined || !inHalfOpenInterval(position, entry.after, entry.owner.id)) {
      return undefined
    }
    this.#touch(entry)
    return entry.owner
  }

  /** `owner` owns (after, owner.id]: keep that, dropping whatever entries it contradicts. */
  learn(owner: RingNode, after: RingId): void {
    const known = this.#byOwner.get(owner.key)
    if (known !== undefined && known.after === after && known.owner === owner) {
      this.#touch(known)
      return
    }
    const entry: CachedOwner = { owner, after }
    const overlapping = this.#sorted.filter((other) => overlaps(entry, other))
    for (const other of overlapping) this.forget(other.owner.key)
    this.#byOwner.set(owner.key, entry)
    this.#sorted.splice(this.#firstAtOrAfter(owner.id), 0, entry)
    if (this.#byOwner.size > this.#maxEntries) {
      const oldest = this.#byOwner.keys().next().value
      if (oldest !== undefined) this.forget(oldest)
    }
  }

  /** Drop what is known of this member (it failed, left, or did not own what it was cached for). */
  forget(peer: string): boolean {
    const entry = this.#byOwner.get(peer)
    if (entry === undefined) return false
    this.#byOwner.delete(peer)
    const at = this.#firstAtOrAfter(entry.owner.id)
    if (this.#sorted[at] === entry) this.#sorted.splice(at, 1)
    else this.#sorted = this.#sorted.filter((e) => e !== entry)
    return true
  }

  clear(): void {
    this.#byOwner.clear()
    this.#sorted = []
  }

  /** Index of the first entry whose owner position is ≥ position (length when none is). */
  #firstAtOrAfter(position: RingId): number {
    let low = 0
    let high = this.#sorted.length
    while (low < high) {
      const mid = (low + high) >>> 1
      if ((this.#sorted[mid] as CachedOwner).owner.id < position) low = mid + 1
      else high = mid
    }
    return low
  }

  #touch(entry: CachedOwner): void {
    this.#byOwner.delete(entry.owner.key)
    this.#byOwner.set(entry.owner.key, entry)
  }
}

/**
 * Two ranges (a, o] and (b, p] share a position exactly when one holds the other's end:
 * from any shared position clockwise, the first end reached lies in both.
 */
function overlaps(x: CachedOwner, y: CachedOwner): boolean {
  return (
    inHalfOpenInterval(x.owner.id, y.after, y.owner.id) ||
    inHalfOpenInterval(y.owner.id, x.after, x.owner.id)
  )
}
