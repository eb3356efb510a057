import { InvalidConfigurationError } from './errors.js'

/**
 * Who a key's replicas are. `members` is the current replica set; while a change is in
 * progress `next` holds the set being moved to, and every quorum must be a majority of
 * `next` AND meet every majority of `members` (joint quorums, see `quorumSizes`), in both
 * phases. `epoch` grows with
 * every step (stable → joint → stable); acceptors refuse messages from an older epoch,
 * which is what stops a proposer that missed a step from using a quorum that no longer
 * intersects the others.
 */
export interface Configuration {
  readonly epoch: number
  readonly members: readonly string[]
  readonly next?: readonly string[] | undefined
  /**
   * More replica sets a quorum must hold a majority of, besides `members` and `next`: for
   * a proposer that cannot tell which of several sets a key's last decisions were made in
   * (another member decided them while the two saw the ring differently). Any quorum
   * then meets a majority of each set that may hold them.
   */
  readonly also?: readonly (readonly string[])[] | undefined
}

export function majorityOf(size: number): number {
  return Math.floor(size / 2) + 1
}

/** Throws InvalidConfigurationError for empty or duplicated member lists. */
export function validateConfiguration(config: Configuration): Configuration {
  if (!Number.isSafeInteger(config.epoch) || config.epoch < 0) {
    throw new InvalidConfigurationError(`epoch must be a safe integer ≥ 0, got ${config.epoch}`)
  }
  for (const set of quorumSets(config)) {
    if (set.length === 0) throw new InvalidConfigurationError('a replica set may not be empty')
    if (new Set(set).size !== set.length) {
      throw new InvalidConfigurationError(`duplicate member in [${set.join(', ')}]`)
    }
  }
  return config
}

/** The replica sets a quorum must cover: one when stable, two during a change (and `also`). */
export function quorumSets(config: Configuration): readonly (readonly string[])[] {
  const sets = config.next === undefined ? [config.members] : [config.members, config.next]
  return config.also === undefined ? sets : [...sets, ...config.also]
}

/** Every acceptor a proposer talks to under `config` (members ∪ next ∪ also). */
export function allAcceptors(config: Configuration): string[] {
  return [...new Set(quorumSets(config).flat())]
}

/**
 * How many members of each set of `config` a quorum needs, in `quorumSets` order. The set
 * a change moves to (`next`, or `members` when stable) needs a majority. The set it moves
 * from and the `also` sets need only to meet every majority of themselves, ⌈n/2⌉: the
 * proposers that still use one of them alone need a majority of it in both phases, and
 * the rounds of this configuration meet one another in `next`. For odd sets that is the
 * majority anyway; for a set of two it is one member, not both (a ring of two that grew
 * to three could not decide its keys once either of the two died before the change was
 * carried over).
 */
export function quorumSizes(config: Configuration): number[] {
  return quorumSets(config).map((set, i) => {
    const moving = config.next !== undefined ? i !== 1 : i !== 0
    return moving ? Math.ceil(set.length / 2) : majorityOf(set.length)
  })
}

/** True when `ids` holds a quorum (`quorumSizes`) of every replica set of `config`. */
export function isQuorum(config: Configuration, ids: ReadonlySet<string>): boolean {
  const sizes = quorumSizes(config)
  return quorumSets(config).every((set, i) => countIn(set, ids) >= (sizes[i] as number))
}

/** True when `refused` leaves some replica set of `config` without a reachable quorum. */
export function isQuorumImpossible(config: Configuration, refused: ReadonlySet<string>): boolean {
  const sizes = quorumSizes(config)
  return quorumSets(config).some(
    (set, i) => set.length - countIn(set, refused) < (sizes[i] as number),
  )
}

/** The joint configuration that moves `from` to the replica set `to`. */
export function beginChange(from: Configuration, to: readonly string[]): Configuration {
  if (from.next !== undefined) {
    throw new InvalidConfigurationError('a change is already in progress; finish it first')
  }
  return validateConfiguration({ epoch: from.epoch + 1, members: from.members, next: [...to] })
}

/** The stable configuration that ends the change `joint` began. */
export function finishChange(joint: Configuration): Configuration {
  if (joint.next === undefined) throw new InvalidConfigurationError('no change in progress')
  return { epoch: joint.epoch + 1, members: joint.next }
}

/** The same sets in the same order, at the same epoch (a kept promise is for one of them). */
export function sameConfiguration(a: Configuration, b: Configuration): boolean {
  const sets = (config: Configuration) => quorumSets(config).map((set) => set.join('\u0000'))
  const [x, y] = [sets(a), sets(b)]
  return (
    a.epoch === b.epoch &&
    (a.next === undefined) === (b.next === undefined) &&
    x.length === y.length &&
    x.every((set, i) => set === y[i])
  )
}

function countIn(set: readonly string[], ids: ReadonlySet<string>): number {
  let count = 0
  for (const id of set) if (ids.has(id)) count++
  return count
}
