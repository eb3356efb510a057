/**
 * A seeded pseudo-random generator (mulberry32): the same seed gives the same run on every
 * machine. Not for secrets. `fork` derives an independent stream, so the workload and the
 * network draw from different streams and dropping an operation while shrinking does not
 * shift every later network decision.
 */
export class Prng {
  #state: number

  constructor(seed: number) {
    this.#state = seed >>> 0
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) | 0
    let t = this.#state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** An integer in [0, bound). */
  below(bound: number): number {
    return Math.floor(this.next() * bound)
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.below(max - min + 1)
  }

  chance(probability: number): boolean {
    return this.next() < probability
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.below(items.length)]
    if (item === undefined) throw new RangeError('pick from an empty list')
    return item
  }

  fork(salt: number): Prng {
    return new Prng(Math.imul((this.#state ^ salt) >>> 0, 0x9e3779b1) ^ salt)
  }
}

/**
 * A generator for one named decision (a message's fate, an operation's retry pause):
 * seeded from the run's seed and the decision's name, so removing an operation while
 * shrinking leaves every other decision as it was.
 */
export function prngFor(seed: number, name: string): Prng {
  let hash = 0x811c9dc5 ^ seed
  for (let i = 0; i < name.length; i++) {
    hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193)
  }
  return new Prng(Math.imul(hash ^ (hash >>> 15), 0x2c1b3c6d) ^ seed)
}
