import fc from 'fast-check'
import { RING_SIZE, type RingId } from '../src/index.js'

const MAX = RING_SIZE - 1n

/** Ring ids, biased toward both ends of the ring so wrap-around comes up often. */
export const ringIdArb: fc.Arbitrary<RingId> = fc.oneof(
  fc.bigInt({ min: 0n, max: MAX }),
  fc.bigInt({ min: 0n, max: 16n }),
  fc.bigInt({ min: MAX - 16n, max: MAX }),
)

/** Distinct node ids, at least `min` of them. */
export function nodeIdsArb(min: number, max: number): fc.Arbitrary<RingId[]> {
  return fc.uniqueArray(ringIdArb, { minLength: min, maxLength: max })
}

/** Successor by definition: the smallest id ≥ x, else the smallest id (wrap). */
export function bruteSuccessor(ids: readonly RingId[], x: RingId): RingId {
  let best: RingId | undefined
  let min: RingId | undefined
  for (const id of ids) {
    if (min === undefined || id < min) min = id
    if (id >= x && (best === undefined || id < best)) best = id
  }
  if (min === undefined) throw new Error('no ids')
  return best ?? min
}

/** Predecessor by definition: the largest id < x, else the largest id (wrap). */
export function bruteStrictPredecessor(ids: readonly RingId[], x: RingId): RingId {
  let best: RingId | undefined
  let max: RingId | undefined
  for (const id of ids) {
    if (max === undefined || id > max) max = id
    if (id < x && (best === undefined || id > best)) best = id
  }
  if (max === undefined) throw new Error('no ids')
  return best ?? max
}
