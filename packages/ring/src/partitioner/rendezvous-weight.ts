import type { RingId } from '../ring-id.js'

/*
 * The weight of (node, key) is MurmurHash3's 32-bit mixing over the words
 * (node high, node low, key high, key low), run under two seeds; the two results make
 * one 53-bit integer, so weights are plain numbers and ties are all but impossible. The
 * inputs are already SHA-256 based positions; this hash only has to be fast and mix
 * well, since an owner lookup computes it once per node. Node words are absorbed once,
 * when the node is added, and key words once per lookup.
 *
 * Shared by the partitioner and the bulk table (rendezvous-table.ts), so both compute
 * the very same weights.
 */

const SEED_HIGH = 0
const SEED_LOW = 0x9747b28c
const LOW_32 = 0xffffffffn

/** Weight = high · 2^21 + (low >>> 11): the high half alone orders most pairs. */
export const WEIGHT_HIGH_FACTOR = 0x200000

export function mixWord(word: number): number {
  let k = Math.imul(word, 0xcc9e2d51)
  k = (k << 15) | (k >>> 17)
  return Math.imul(k, 0x1b873593)
}

export function absorb(state: number, mixedWord: number): number {
  let h = state ^ mixedWord
  h = (h << 13) | (h >>> 19)
  return (Math.imul(h, 5) + 0xe6546b64) | 0
}

export function finish(state: number): number {
  let h = state ^ 16
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** A node's two seeded hash states after absorbing its id, and a key's two mixed words. */
export interface Halves {
  high: number
  low: number
}

export function nodeStates(node: RingId): Halves {
  const high = Number(node >> 32n)
  const low = Number(node & LOW_32)
  return {
    high: absorb(absorb(SEED_HIGH, mixWord(high)), mixWord(low)),
    low: absorb(absorb(SEED_LOW, mixWord(high)), mixWord(low)),
  }
}

export function keyWords(key: RingId): Halves {
  return { high: mixWord(Number(key >> 32n)), low: mixWord(Number(key & LOW_32)) }
}

export function weightOf(node: Halves, key: Halves): number {
  const high = finish(absorb(absorb(node.high, key.high), key.low))
  const low = finish(absorb(absorb(node.low, key.high), key.low))
  return high * WEIGHT_HIGH_FACTOR + (low >>> 11)
}
