/**
 * Quorum arithmetic of a home log, pure. A log's replica set is one list of members, or
 * two while the ring changes (the set before and the set after: joint quorums, as
 * coordination/replica-sets.ts does for registers). A write counts once a write quorum of
 * EVERY set holds it; a seal holds once enough of EVERY set promised that no write quorum
 * of that set is left without one of them.
 */

/** The write quorum of a set of `size` members: `w`, or all of them in a smaller set. */
export function writeQuorumOf(size: number, w: number): number {
  return Math.max(1, Math.min(w, size))
}

/** Members of a set of `size` that must promise an epoch so every write quorum meets one. */
export function sealQuorumOf(size: number, w: number): number {
  return size - writeQuorumOf(size, w) + 1
}

/**
 * The highest sequence number a write quorum of every set holds, by how far each member
 * has acknowledged (`match`, absent: 0).
 */
export function commitPoint(
  sets: readonly (readonly string[])[],
  match: ReadonlyMap<string, number>,
  w: number,
): number {
  let point = Number.POSITIVE_INFINITY
  for (const set of sets) {
    if (set.length === 0) continue
    const acked = set.map((member) => match.get(member) ?? 0).sort((a, b) => b - a)
    point = Math.min(point, acked[writeQuorumOf(set.length, w) - 1] ?? 0)
  }
  return Number.isFinite(point) ? point : 0
}

/** True when `promised` holds a seal quorum of every set. */
export function sealed(
  sets: readonly (readonly string[])[],
  promised: ReadonlySet<string>,
  w: number,
): boolean {
  return sets.every(
    (set) => set.filter((member) => promised.has(member)).length >= sealQuorumOf(set.length, w),
  )
}
