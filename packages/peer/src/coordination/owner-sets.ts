import type { RingId } from '@ringdht/ring'
import { SortedRing } from '@ringdht/ring'
import { placeReplicas } from '../core/replica-placement.js'
import type { RingNode } from '../core/ring-node.js'

/**
 * Replica set of `position` among `nodes`: the first at or after it, clockwise, and the
 * replicas `placeReplicas` picks from the ones after that (as the owner's writes place
 * them, seen from a view of the ring that holds `nodes`).
 */
export function setAmong(
  nodes: readonly RingNode[],
  position: RingId,
  replicas: number,
): RingNode[] {
  const byId = new Map(nodes.map((node) => [node.id, node]))
  const ids = new SortedRing([...byId.keys()]).successors(position, byId.size)
  const [owner, ...after] = ids.map((id) => byId.get(id) as RingNode)
  if (owner === undefined) return []
  return [owner, ...placeReplicas(owner, after, replicas)]
}

export interface OwnerView {
  /** The key's set as this member computes it from the view `among`; then[0] is its owner. */
  then: readonly RingNode[]
  among: readonly RingNode[]
  /** Members that came or went in the ring changes not carried over yet. */
  changed: ReadonlySet<string>
  /** Every member those changes named (to place one that went). */
  known: readonly RingNode[]
  position: RingId
  replicas: number
}

/**
 * The other sets a key's owner `then[0]` may have decided it in: the owner may have seen
 * the ring without a member that came during an open change (this member, if it just
 * joined) or with one that went. A member taking the key over must meet a majority of
 * each as well. Found in the coordination fault e2e: a member that had just joined took a
 * killed owner's keys over, counted itself in the owner's set, and met neither of the two
 * members the owner had decided the last versions with. Only members changed in changes
 * not carried over yet count, so a ring at rest asks nothing more.
 *
 * Not covered: a member that went and would own the key itself (a live member suspected
 * under load, which this member's view skipped). Meeting its set too was tried: after a
 * second failure it left rounds waiting for members that had failed in a change not
 * carried over yet (a topic's registers stalled in watches.test), so it is left out.
 */
export function setsOwnerMayHaveUsed(view: OwnerView): RingNode[][] {
  const { then, among, position, replicas } = view
  const owner = then[0]?.key
  const known = new Map(view.known.map((node) => [node.key, node]))
  const sets: RingNode[][] = []
  for (const key of view.changed) {
    const node = known.get(key)
    if (key === owner || node === undefined) continue
    const present = among.some((other) => other.key === key)
    const other = present ? among.filter((n) => n.key !== key) : [...among, node]
    const set = setAmong(other, position, replicas)
    // a view too small for a whole set without the member tells nothing (and a set of
    // one or two would make every member of it needed)
    if (set.length < then.length || set[0]?.key !== owner || sameMembers(set, then)) continue
    if (sets.some((known) => sameMembers(known, set))) continue
    sets.push(set)
  }
  return sets
}

export function sameMembers(a: readonly RingNode[], b: readonly RingNode[]): boolean {
  return a.length === b.length && a.every((node) => b.some((other) => other.key === node.key))
}
