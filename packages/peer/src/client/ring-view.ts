import { type RingId, ringIdFromHex } from '@ringdht/ring'
import type { MemberInfo } from '../core/ring-node.js'

/** A member as a client's ring view knows it. */
export interface ViewMember extends MemberInfo {
  readonly position: RingId
}

/**
 * A client's picture of the ring: members sorted by position, so the owner of a key
 * (the first member at or after its position) is a binary search away. It is only a
 * hint: a stale view sends a request to the wrong member, which routes it on as usual.
 */
export class RingView {
  readonly members: readonly ViewMember[]

  constructor(members: readonly MemberInfo[]) {
    const byPeer = new Map<string, ViewMember>()
    for (const m of members) byPeer.set(m.peerId, { ...m, position: ringIdFromHex(m.ringId) })
    this.members = [...byPeer.values()].sort((a, b) =>
      a.position < b.position ? -1 : a.position > b.position ? 1 : 0,
    )
  }

  get size(): number {
    return this.members.length
  }

  /** Index of the member that owns `position`: the first at or after it, wrapping. */
  ownerIndexOf(position: RingId): number {
    const members = this.members
    let low = 0
    let high = members.length
    while (low < high) {
      const mid = (low + high) >>> 1
      if ((members[mid] as ViewMember).position < position) low = mid + 1
      else high = mid
    }
    return low === members.length ? 0 : low
  }

  /** The owner of `position` followed by up to `count` members after it (its replicas). */
  ownerAndSuccessors(position: RingId, count: number): ViewMember[] {
    const size = this.members.length
    if (size === 0) return []
    const first = this.ownerIndexOf(position)
    const out: ViewMember[] = []
    for (let i = 0; i <= Math.min(count, size - 1); i++) {
      out.push(this.members[(first + i) % size] as ViewMember)
    }
    return out
  }
}
