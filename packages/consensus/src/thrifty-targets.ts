import type { Configuration } from './configuration.js'

export interface ThriftyChoice {
  /** The proposer's own id: when it is also an acceptor, asking it costs no message. */
  self: string
  /**
   * Acceptors the caller wants in every quorum, even when they were slow or refused a
   * moment ago (a slow one costs the caller's `expand` delay): the member that takes a key
   * over when its proposer fails. A successor's view of the proposer's replica set can
   * differ from the proposer's own (one of them saw a member leave or come back first);
   * what the heir accepted itself, it finds in its own acceptor whatever set it believes.
   */
  first: readonly string[]
  /** Acceptors to ask next (phase 2: the ones that just promised, so they are up). */
  prefer: readonly string[]
  /** Acceptors to ask last (they did not answer in time, or refused, a moment ago). */
  avoid: ReadonlySet<string>
  /** The round's key: which other acceptors are asked turns with it, spreading the load. */
  key: string
  isQuorum(config: Configuration, ids: ReadonlySet<string>): boolean
}

/**
 * The acceptors a thrifty phase asks: the fewest that make a quorum, in order of
 * preference (itself, the caller's `first`, the preferred, then the others in an order
 * that turns with the key, the avoided last). A phase sent to every acceptor costs r requests where a quorum needs
 * ⌊r/2⌋+1 answers; the proposer asks the rest only when one of these refuses or is slow
 * (`Proposer.expand`). Any quorum will do for safety: Paxos needs only that the phase-1
 * quorums and the phase-2 quorums intersect, which every two majorities do.
 */
export function thriftyTargets(
  config: Configuration,
  all: readonly string[],
  choice: ThriftyChoice,
): string[] {
  const turn = all.length === 0 ? 0 : hashOf(choice.key) % all.length
  const turned = [...all.slice(turn), ...all.slice(0, turn)]
  const rank = (id: string): number => {
    if (id === choice.self) return 0
    if (choice.first.includes(id)) return 1
    if (choice.avoid.has(id)) return 4
    return choice.prefer.includes(id) ? 2 : 3
  }
  const ordered = turned
    .map((id, at) => ({ id, at, rank: rank(id) }))
    .sort((a, b) => a.rank - b.rank || a.at - b.at)
  const chosen = new Set<string>()
  for (const { id } of ordered) {
    chosen.add(id)
    if (choice.isQuorum(config, chosen)) break
  }
  return [...chosen]
}

/** FNV-1a over the key's UTF-16 code units: a cheap, stable spread. */
function hashOf(key: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash
}
