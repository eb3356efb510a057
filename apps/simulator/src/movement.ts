import { type Partitioner, type RingId, rendezvousOutranks, rendezvousWeight } from '@ringdht/ring'

/** Keys moved by each join and by each leave, in the order they were tried. */
export interface Moves {
  join: number[]
  leave: number[]
}

/**
 * Chord: recomputes every key's owner after each join and each leave, then undoes the
 * change; the partitioner answers from its node set alone, so undoing restores it.
 */
export function chordMoves(
  partitioner: Partitioner,
  keys: readonly RingId[],
  owners: readonly RingId[],
  joiners: readonly RingId[],
  leavers: readonly RingId[],
): Moves {
  const movedKeys = (): number => {
    let moved = 0
    for (let k = 0; k < keys.length; k++) {
      if (partitioner.ownerOf(keys[k] as RingId) !== owners[k]) moved++
    }
    return moved
  }
  const join = joiners.map((node) => {
    partitioner.addNode(node)
    const moved = movedKeys()
    partitioner.removeNode(node)
    return moved
  })
  const leave = leavers.map((node) => {
    partitioner.removeNode(node)
    const moved = movedKeys()
    partitioner.addNode(node)
    return moved
  })
  return { join, leave }
}

/**
 * Rendezvous owners after a change, without scoring all N nodes again per key: the
 * owner after a join is the better of the old owner and the joiner; after a leave it is
 * the old owner, or the runner-up when the owner is the one leaving. Exact, and the
 * tests check it against the partitioner's own answers.
 */
export function rendezvousMoves(
  keys: readonly RingId[],
  owners: readonly RingId[],
  runnersUp: ReadonlyArray<RingId | undefined>,
  joiners: readonly RingId[],
  leavers: readonly RingId[],
): Moves {
  const ownerWeights = keys.map((key, k) => rendezvousWeight(owners[k] as RingId, key))
  const join = joiners.map((node) => {
    let moved = 0
    for (let k = 0; k < keys.length; k++) {
      const weight = rendezvousWeight(node, keys[k] as RingId)
      if (rendezvousOutranks(weight, node, ownerWeights[k] as number, owners[k] as RingId)) moved++
    }
    return moved
  })
  const leave = leavers.map((node) => {
    let moved = 0
    for (let k = 0; k < keys.length; k++) {
      const owner = owners[k] === node ? runnersUp[k] : owners[k]
      if (owner !== owners[k]) moved++
    }
    return moved
  })
  return { join, leave }
}
