import { hash } from 'node:crypto'
import { sortPositions } from '@ringdht/ring'
import type { Prng } from './prng.js'

/** Key positions as 32-bit halves: a million keys without a million bigints. */
export interface KeyPositions {
  readonly high: Uint32Array
  readonly low: Uint32Array
}

/**
 * `count` keys of 16 random bytes each, at their ring hash: the first 8 bytes of
 * SHA-256, exactly as ringIdOf places them (one-shot hash, no Hash object per key).
 */
export function randomKeys(prng: Prng, count: number): KeyPositions {
  const high = new Uint32Array(count)
  const low = new Uint32Array(count)
  for (let k = 0; k < count; k++) {
    const digest = hash('sha256', prng.bytes(16), 'buffer')
    high[k] = digest.readUInt32BE(0)
    low[k] = digest.readUInt32BE(4)
  }
  return { high, low }
}

/** The same keys in ring order, for counting the keys in a range by binary search. */
export function sortedKeys(keys: KeyPositions): KeyPositions {
  const high = keys.high.slice()
  const low = keys.low.slice()
  sortPositions(high, low, new Int32Array(high.length))
  return { high, low }
}
