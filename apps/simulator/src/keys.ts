import { sortPositions } from '@ringdht/ring'
import { hashKeysInParallel } from './parallel-hash.js'
import type { Prng } from './prng.js'

/** Key positions as 32-bit halves: a million keys without a million bigints. */
export interface KeyPositions {
  readonly high: Uint32Array
  readonly low: Uint32Array
}

/**
 * `count` keys of 16 random bytes each, at their ring hash: the first 8 bytes of
 * SHA-256, exactly as ringIdOf places them, hashed on every core.
 */
export function randomKeys(prng: Prng, count: number): KeyPositions {
  const bytes = new Uint8Array(count * 16)
  for (let k = 0; k < count; k++) bytes.set(prng.bytes(16), k * 16)
  return hashKeysInParallel(bytes)
}

/** The same keys in ring order, for counting the keys in a range by binary search. */
export function sortedKeys(keys: KeyPositions): KeyPositions {
  const high = keys.high.slice()
  const low = keys.low.slice()
  sortPositions(high, low, new Int32Array(high.length))
  return { high, low }
}
