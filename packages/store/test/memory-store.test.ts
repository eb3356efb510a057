import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { MemoryStore } from '../src/index.js'
import { collect, expectedRange, keysOf, manyRecords, record } from './records.js'
import { storeContract } from './store-contract.js'

storeContract('MemoryStore', async () => new MemoryStore())

describe('MemoryStore', () => {
  it('keeps ranges ordered through interleaved small and large bursts of new keys', async () => {
    const store = new MemoryStore()
    const all = []
    // bursts below and above the splice limit, each followed by a scan that settles them
    for (const [burst, size] of [
      [0, 3],
      [1, 40],
      [2, 1],
      [3, 200],
      [4, 16],
      [5, 17],
    ] as const) {
      const records = manyRecords(size, `burst${burst}`)
      all.push(...records)
      for (const r of records) store.applySync(r)
      assert.deepEqual(
        keysOf(await collect(store.range(0n, 0n))),
        keysOf(expectedRange(all, 0n, 0n)),
        `after burst ${burst}`,
      )
    }
    await store.close()
  })

  it('answers 100k-record range queries without re-sorting', async () => {
    const store = new MemoryStore()
    await store.applyBatch(manyRecords(100_000))
    assert.equal(await store.count(0n, 0n), 100_000) // the one full sort
    const started = performance.now()
    let scanned = 0
    for (let i = 0; i < 200; i++) {
      store.applySync(record(`extra-${i}`, 'x', 1))
      const page = await collect(
        store.range(BigInt(i) << 55n, (BigInt(i) << 55n) + (1n << 50n), { limit: 20 }),
      )
      scanned += page.length
    }
    const elapsed = performance.now() - started
    assert.ok(scanned > 0, 'the pages were not all empty')
    // about 10 ms here; a re-sort per round would take seconds
    assert.ok(elapsed < 1_000, `200 write+page rounds took ${elapsed.toFixed(0)} ms`)
    await store.close()
  })
})
