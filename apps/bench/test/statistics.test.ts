import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  bootstrapMedianInterval,
  checkAgreement,
  median,
  pairedRatios,
  quantileSorted,
  seededRandom,
  summarizeRatios,
} from '../src/statistics.js'

describe('median and quantiles', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    assert.equal(median([3, 1, 2]), 2)
    assert.equal(median([4, 1, 3, 2]), 2.5)
    assert.ok(Number.isNaN(median([])))
  })

  it('interpolates quantiles between ranks', () => {
    assert.equal(quantileSorted([1, 2, 3, 4, 5], 0.5), 3)
    assert.equal(quantileSorted([0, 10], 0.25), 2.5)
    assert.equal(quantileSorted([7], 0.975), 7)
  })
})

describe('seeded bootstrap', () => {
  it('gives the same stream for the same seed and another for another seed', () => {
    const a = seededRandom(42)
    const b = seededRandom(42)
    const c = seededRandom(43)
    const first = [a(), a(), a()]
    assert.deepEqual(first, [b(), b(), b()])
    assert.notDeepEqual(first, [c(), c(), c()])
    for (const value of first) assert.ok(value >= 0 && value < 1)
  })

  it('is reproducible and brackets the median', () => {
    const values = [1.9, 2.1, 2.0, 2.3, 1.8, 2.2, 2.05, 1.95, 2.4, 2.0]
    const once = bootstrapMedianInterval(values, { seed: 7 })
    assert.deepEqual(bootstrapMedianInterval(values, { seed: 7 }), once)
    assert.ok(once[0] <= median(values) && median(values) <= once[1], `${once}`)
    assert.ok(once[0] >= Math.min(...values) && once[1] <= Math.max(...values))
  })

  it('collapses to the value for constant or single samples', () => {
    assert.deepEqual(bootstrapMedianInterval([2, 2, 2, 2]), [2, 2])
    assert.deepEqual(bootstrapMedianInterval([5]), [5, 5])
  })
})

describe('ratios', () => {
  it('divides block by block and leaves out blocks with no denominator', () => {
    const ratios = pairedRatios([2, 4, 6], [1, 0, 3])
    assert.equal(ratios[0], 2)
    assert.ok(Number.isNaN(ratios[1]))
    assert.equal(ratios[2], 2)
    const spread = summarizeRatios(ratios)
    assert.equal(spread.blocks, 2)
    assert.equal(spread.median, 2)
    assert.deepEqual([spread.min, spread.max], [2, 2])
  })

  it('reports median, range and interval of the block ratios', () => {
    const spread = summarizeRatios([1, 2, 3, 4, 100], { seed: 3 })
    assert.equal(spread.median, 3)
    assert.deepEqual([spread.min, spread.max], [1, 100])
    // one wild block moves the range but hardly the median's interval
    assert.ok(spread.ci95[1] <= 100 && spread.ci95[0] >= 1)
  })
})

describe('agreement of repeated runs', () => {
  it('agrees when every value is within the tolerance of the median', () => {
    const ok = checkAgreement([2.0, 2.2, 1.9], 0.15)
    assert.equal(ok.agree, true)
    assert.equal(ok.median, 2)
    assert.equal(ok.worstDeviation, 0.1)
    assert.equal(checkAgreement([2.0, 2.5, 1.9], 0.15).agree, false)
    assert.equal(checkAgreement([], 0.15).agree, false)
  })
})
