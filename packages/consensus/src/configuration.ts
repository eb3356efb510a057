import { InvalidConfigurationError } from './errors.js'

/**
 * Who a key's replicas are. `members` is the current replica set; while a change is in
 * progress `next` holds the set being moved to, and every quorum must be a majority of
 * `members` AND a majority of `next` (joint quorums), in both phases. `epoch` grows with
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

/** True when `ids` holds a majority of every replica set of `config`. */
export function isQuorum(config: Configuration, ids: ReadonlySet<string>): boolean {
  return quorumSets(config).every((set) => countIn(set, ids) >= majorityOf(set.length))
}

/** True when `refused` leaves some replica set of `config` without a reachable majority. */
export function isQuorumImpossible(config: Configuration, refused: ReadonlySet<string>): boolean {
  return quorumSets(config).some(
    (set) => set.length - countIn(set, refused) < majorityOf(set.length),
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
