import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import { ringIdOf } from '@ringdht/ring'
import {
  compareValueHashes,
  InvalidRecordError,
  type Store,
  StoreClosedError,
  type StoredRecord,
  valueHash,
} from '../src/index.js'
import {
  bytes,
  collect,
  contents,
  expectedRange,
  keysOf,
  manyRecords,
  record,
  text,
} from './records.js'

const MAX = (1n << 64n) - 1n

/**
 * The behaviour every Store must have, run against each engine. `openStore` returns a
 * fresh, empty store each time it is called.
 */
export function storeContract(engine: string, openStore: () => Promise<Store>): void {
  describe(`Store contract: ${engine}`, () => {
    const opened: Store[] = []
    const fresh = async (): Promise<Store> => {
      const store = await openStore()
      opened.push(store)
      return store
    }
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close()
    })

    it('keeps the newer version and refuses stale or identical ones', async () => {
      const store = await fresh()
      assert.equal(await store.apply(record('k', 'one', 100)), 'applied')
      assert.equal(await store.apply(record('k', 'one', 100)), 'stale', 'identical copy')
      assert.equal(await store.apply(record('k', 'older', 99, 9)), 'stale', 'older timestamp')
      assert.equal(text((await store.get(bytes('k')))?.value), 'one')
      assert.equal(await store.apply(record('k', 'two', 101)), 'applied')
      assert.equal(await store.apply(record('k', 'tie-lower-writer', 101, 0)), 'stale')
      assert.equal(await store.apply(record('k', 'tie-higher-writer', 101, 2)), 'applied')
      const stored = await store.get(bytes('k'))
      assert.equal(text(stored?.value), 'tie-higher-writer')
      assert.deepEqual(stored?.version, { timestamp: 101n, writer: 2n })
      assert.equal(stored?.position, ringIdOf(bytes('k')))
      assert.equal(text(store.getSync(bytes('k'))?.value), 'tie-higher-writer')
      assert.equal(await store.get(bytes('missing')), undefined)
      assert.deepEqual(store.stats(), { records: 1, tombstones: 0 })
    })

    it('breaks a tie between equal versions by the contents, the same way in every store', async () => {
      const store = await fresh()
      // the winner of a tie is the value with the greatest SHA-256, whatever the order of arrival
      const values = ['one', 'two', 'three', 'four']
      const winner = [...values].sort((a, b) =>
        compareValueHashes(valueHash(bytes(b)), valueHash(bytes(a))),
      )[0] as string
      for (const v of values) await store.apply(record('k', v, 100))
      assert.equal(text((await store.get(bytes('k')))?.value), winner)
      assert.equal(
        await store.apply({ ...record('k', 'x', 100), value: undefined }),
        'stale',
        'a tombstone loses to a value',
      )
      const other = await fresh()
      for (const v of [...values].reverse()) await other.apply(record('k', v, 100))
      assert.equal(text((await other.get(bytes('k')))?.value), winner)
      assert.deepEqual(await other.digest(0n, 0n), await store.digest(0n, 0n))
    })

    it('gives different digests to copies that differ only in their value', async () => {
      const one = await fresh()
      const two = await fresh()
      await one.apply(record('k', 'left', 100))
      await two.apply(record('k', 'right', 100))
      assert.notEqual((await one.digest(0n, 0n)).hash, (await two.digest(0n, 0n)).hash)
    })

    it('keeps empty keys and empty values apart from tombstones', async () => {
      const store = await fresh()
      await store.apply(record('', '', 5))
      const stored = await store.get(new Uint8Array(0))
      assert.ok(stored?.value instanceof Uint8Array, 'an empty value is a value')
      assert.equal(stored.value.byteLength, 0)
    })

    it('hides values behind tombstones and never lets a stale copy undo a delete', async () => {
      const store = await fresh()
      await store.applyBatch([record('a', 'A', 10), record('b', 'B', 10)])
      assert.equal(await store.apply(record('a', undefined, 11)), 'applied')
      const deleted = await store.get(bytes('a'))
      assert.ok(deleted !== undefined, 'the tombstone is stored')
      assert.equal(deleted.value, undefined)
      assert.equal(await store.apply(record('a', 'A', 10)), 'stale', 'stale copy refused')
      assert.deepEqual(keysOf(await collect(store.range(0n, 0n, { tombstones: false }))), ['b'])
      const withTombstones = await collect(store.range(0n, 0n))
      assert.deepEqual(keysOf(withTombstones).sort(), ['a', 'b'])
      assert.deepEqual(store.stats(), { records: 2, tombstones: 1 })
      assert.equal(await store.apply(record('a', 'again', 12)), 'applied', 'a newer write revives')
      assert.deepEqual(store.stats(), { records: 2, tombstones: 0 })
    })

    it('returns ranges clockwise from start, wrapping and whole-ring', async () => {
      const store = await fresh()
      const records = manyRecords(300)
      await store.applyBatch(records)
      const sorted = [...records].sort((a, b) => (a.position < b.position ? -1 : 1))
      const at = (i: number) => (sorted[i] as StoredRecord).position
      const ranges: Array<[string, bigint, bigint]> = [
        ['plain', at(10), at(200)],
        ['plain, between records', at(10) + 1n, at(200) - 1n],
        ['wrapping', at(250), at(40)],
        ['wrapping, start at max', MAX, at(40)],
        ['ending at max', at(250), MAX],
        ['from zero', 0n, at(99)],
        ['whole ring at a record', at(77), at(77)],
        ['whole ring at 0', 0n, 0n],
        ['whole ring at max', MAX, MAX],
        ['one record', at(77) - 1n, at(77)],
        ['empty', at(77), at(78) - 1n],
      ]
      for (const [name, start, end] of ranges) {
        const expected = keysOf(expectedRange(records, start, end))
        const actual = keysOf(await collect(store.range(start, end)))
        assert.deepEqual(actual, expected, `range ${name} (${start}, ${end}]`)
        assert.equal(await store.count(start, end), expected.length, `count ${name}`)
      }
      assert.equal(keysOf(expectedRange(records, at(77), at(77))).length, 300, 'oracle sanity')
    })

    it('pages through a range with after + limit, every record exactly once', async () => {
      const store = await fresh()
      const records = manyRecords(250)
      records.push(record('gone-1', undefined, 2000), record('gone-2', undefined, 2000))
      await store.applyBatch(records)
      const sorted = [...records].sort((a, b) => (a.position < b.position ? -1 : 1))
      const start = (sorted[180] as StoredRecord).position
      const end = (sorted[120] as StoredRecord).position // wraps
      for (const tombstones of [true, false]) {
        const pages: StoredRecord[][] = []
        let after: StoredRecord | undefined
        for (let guard = 0; guard < 1000; guard++) {
          const page = await collect(store.range(start, end, { after, limit: 7, tombstones }))
          assert.ok(page.length <= 7, `page ${pages.length} over the limit`)
          if (page.length === 0) break
          pages.push(page)
          after = page[page.length - 1]
        }
        const expected = expectedRange(records, start, end).filter(
          (r) => tombstones || r.value !== undefined,
        )
        assert.ok(expected.length > 100, 'the range is not trivially small')
        assert.deepEqual(keysOf(pages.flat()), keysOf(expected), `tombstones: ${tombstones}`)
      }
      assert.deepEqual(await collect(store.range(start, end, { limit: 0 })), [])
      const outside = sorted[150] as StoredRecord // not in (start, end]
      assert.deepEqual(await collect(store.range(start, end, { after: outside })), [])
    })

    it('gives equal digests for equal contents and different ones when a version differs', async () => {
      const records = manyRecords(200)
      const one = await fresh()
      const two = await fresh()
      await one.applyBatch(records)
      for (const r of [...records].reverse()) await two.apply(r)
      const sorted = [...records].sort((a, b) => (a.position < b.position ? -1 : 1))
      const start = (sorted[150] as StoredRecord).position
      const end = (sorted[50] as StoredRecord).position
      const whole = await one.digest(0n, 0n)
      assert.equal(whole.count, 200)
      assert.match(whole.hash, /^[0-9a-f]{16}$/)
      assert.deepEqual(await two.digest(0n, 0n), whole)
      assert.deepEqual(await two.digest(start, end), await one.digest(start, end))
      assert.equal((await one.digest(start, end)).count, expectedRange(records, start, end).length)

      const changed = sorted[10] as StoredRecord // inside (start, end]: it wraps past 0
      await two.apply({ ...changed, version: { ...changed.version, writer: 2n } })
      assert.notEqual((await two.digest(start, end)).hash, (await one.digest(start, end)).hash)
      assert.notEqual((await two.digest(0n, 0n)).hash, whole.hash)
      assert.equal((await two.digest(0n, 0n)).count, 200, 'same count, different hash')
      const untouched = (sorted[100] as StoredRecord).position
      assert.deepEqual(
        await two.digest(end, untouched),
        await one.digest(end, untouched),
        'ranges without the change still agree',
      )
      assert.deepEqual(await one.digest(start, start + 1n), { count: 0, hash: '0'.repeat(16) })
    })

    it('splits digests into buckets that tile the range and match plain digests', async () => {
      const store = await fresh()
      const records = manyRecords(400)
      await store.applyBatch(records)
      const cases: Array<[bigint, bigint, number]> = [
        [0n, 0n, 16],
        [MAX - 1000n, 1n << 62n, 5],
        [123n, 123n, 1],
        [10n, 13n, 8], // narrower than the bucket count
      ]
      for (const [start, end, buckets] of cases) {
        const slices = await store.digestBuckets(start, end, buckets)
        const label = `(${start}, ${end}] / ${buckets}`
        assert.equal(slices[0]?.start, start, `${label}: starts at start`)
        assert.equal(slices.at(-1)?.end, end, `${label}: ends at end`)
        for (let i = 1; i < slices.length; i++) {
          assert.equal(slices[i]?.start, slices[i - 1]?.end, `${label}: bucket ${i} follows on`)
        }
        let total = 0
        for (const [i, slice] of slices.entries()) {
          total += slice.count
          const plain = await store.digest(slice.start, slice.end)
          assert.deepEqual(
            { count: slice.count, hash: slice.hash },
            plain,
            `${label}: bucket ${i} (${slice.start}, ${slice.end}]`,
          )
        }
        assert.equal(total, await store.count(start, end), `${label}: counts add up`)
      }
      assert.equal((await store.digestBuckets(10n, 13n, 8)).length, 3)
      await assert.rejects(store.digestBuckets(0n, 0n, 0), RangeError)
    })

    it('removes a range and nothing else', async () => {
      const store = await fresh()
      const records = manyRecords(300)
      records.push(record('dead', undefined, 5))
      await store.applyBatch(records)
      const sorted = [...records].sort((a, b) => (a.position < b.position ? -1 : 1))
      const start = (sorted[260] as StoredRecord).position
      const end = (sorted[30] as StoredRecord).position
      const doomed = new Set(keysOf(expectedRange(records, start, end)))
      assert.equal(await store.removeRange(start, end), doomed.size)
      assert.equal(await store.count(start, end), 0)
      assert.deepEqual(await collect(store.range(start, end)), [])
      for (const r of records) {
        const key = text(r.key) as string
        const found = await store.get(r.key)
        assert.equal(found !== undefined, !doomed.has(key), `key ${key}`)
      }
      const survivorsHaveTombstone = doomed.has('dead') ? 0 : 1
      assert.deepEqual(store.stats(), {
        records: records.length - doomed.size,
        tombstones: survivorsHaveTombstone,
      })
      assert.equal(await store.removeRange(0n, 0n), records.length - doomed.size)
      assert.deepEqual(store.stats(), { records: 0, tombstones: 0 })
    })

    it('collects tombstones older than the grace period and keeps the rest', async () => {
      const store = await fresh()
      const millis = (ms: number) => BigInt(ms) << 16n
      await store.applyBatch([
        record('old-tombstone', undefined, millis(1_000)),
        record('new-tombstone', undefined, millis(5_000) + 3n),
        record('old-value', 'v', millis(1_000)),
        record('edge-tombstone', undefined, millis(3_000)),
      ])
      assert.equal(await store.collectTombstones(3_000), 1)
      assert.equal(await store.get(bytes('old-tombstone')), undefined)
      for (const kept of ['new-tombstone', 'old-value', 'edge-tombstone']) {
        assert.ok((await store.get(bytes(kept))) !== undefined, `${kept} kept`)
      }
      assert.deepEqual(store.stats(), { records: 3, tombstones: 2 })
      assert.equal(await store.collectTombstones(10_000), 2)
      assert.deepEqual(await contents(store), [
        `old-value@${ringIdOf(bytes('old-value'))}=v v${millis(1_000)}/1`,
      ])
    })

    it('keeps a record’s expiry, hides it from live scans once due, and collects it after the grace', async () => {
      const store = await fresh()
      const expiring = { ...record('expiring', 'soon', 1_000n << 16n), expiresAt: 5_000 }
      await store.applyBatch([expiring, record('lasting', 'always', 1_000n << 16n)])
      const stored = await store.get(bytes('expiring'))
      assert.equal(stored?.expiresAt, 5_000)
      assert.equal(text(stored?.value), 'soon')
      assert.equal((await store.get(bytes('lasting')))?.expiresAt, undefined)
      const live = async (now: number) =>
        (await collect(store.range(0n, 0n, { tombstones: false, now }))).map((r) => text(r.key))
      assert.deepEqual((await live(4_999)).sort(), ['expiring', 'lasting'])
      assert.deepEqual(await live(5_000), ['lasting'])
      // replication still sees it: an expired copy must not let an older one come back
      assert.equal((await collect(store.range(0n, 0n))).length, 2)
      assert.equal(await store.collectTombstones(5_000), 0)
      assert.equal(await store.collectTombstones(5_001), 1)
      assert.equal(await store.get(bytes('expiring')), undefined)
      assert.deepEqual(store.stats(), { records: 1, tombstones: 0 })
    })

    it('counts an expiry in digests and settles equal versions with different expiries alike', async () => {
      const store = await fresh()
      const other = await fresh()
      const plain = record('ttl-key', 'v', 7)
      await store.apply({ ...plain, expiresAt: 9_000 })
      await other.apply(plain)
      assert.notDeepEqual(await store.digest(0n, 0n), await other.digest(0n, 0n))
      // the later expiry (none at all latest of all) wins on both sides
      assert.equal(await store.apply(plain), 'applied')
      assert.equal(await other.apply({ ...plain, expiresAt: 9_000 }), 'stale')
      assert.deepEqual(await store.digest(0n, 0n), await other.digest(0n, 0n))
      await assert.rejects(store.apply({ ...plain, expiresAt: -1 }), InvalidRecordError)
      await assert.rejects(store.apply({ ...plain, expiresAt: 1.5 }), InvalidRecordError)
    })

    it('refuses a record whose position is not its key’s, leaving the store untouched', async () => {
      const store = await fresh()
      const good = record('good', 'g', 1)
      const bad = { ...record('bad', 'b', 1), position: 42n }
      await assert.rejects(store.apply(bad), (error: unknown) => {
        assert.ok(error instanceof InvalidRecordError)
        assert.equal(error.code, 'INVALID_RECORD')
        return true
      })
      await assert.rejects(store.applyBatch([good, bad]), InvalidRecordError)
      await assert.rejects(
        store.apply({ ...good, version: { timestamp: -1n, writer: 1n } }),
        InvalidRecordError,
      )
      assert.deepEqual(store.stats(), { records: 0, tombstones: 0 })
      await assert.rejects(collect(store.range(-1n, 5n)), RangeError)
    })

    it('keeps its own copy of keys and values', async () => {
      const store = await fresh()
      const offered = record('mine', 'original', 1)
      await store.apply(offered)
      ;(offered.value as Uint8Array).fill(0x21)
      assert.equal(text((await store.get(bytes('mine')))?.value), 'original')
    })

    it('keeps the newest of concurrent applies to one key', async () => {
      const store = await fresh()
      const timestamps = [7, 3, 9, 1, 8, 2, 6, 4, 5]
      const outcomes = await Promise.all(
        timestamps.map((t) => store.apply(record('hot', `v${t}`, t))),
      )
      assert.equal(text((await store.get(bytes('hot')))?.value), 'v9')
      // applied: 7, then 9 (everything after 9 is stale)
      assert.deepEqual(outcomes, ['applied', 'stale', 'applied', ...Array(6).fill('stale')])
      const batchOutcomes = await Promise.all([
        store.applyBatch([record('x', 'x1', 1), record('x', 'x3', 3)]),
        store.applyBatch([record('x', 'x2', 2), record('y', 'y', 1)]),
      ])
      assert.deepEqual(batchOutcomes, [2, 1])
      assert.equal(text((await store.get(bytes('x')))?.value), 'x3')
    })

    it('survives writes and removals in the middle of a scan without repeating records', async () => {
      const store = await fresh()
      await store.applyBatch(manyRecords(2_500, 'early'))
      const seen = new Set<string>()
      let step = 0
      for await (const r of store.range(0n, 0n)) {
        const key = text(r.key) as string
        assert.ok(!seen.has(key), `record ${key} seen twice`)
        seen.add(key)
        step++
        if (step === 10) await store.applyBatch(manyRecords(100, 'late'))
        if (step === 1_200) await store.removeRange(r.position, (r.position + (1n << 60n)) & MAX)
      }
      assert.ok(seen.size >= 1_200, `the scan went on after the changes (${seen.size})`)
    })

    it('stops a scan when its signal aborts', async () => {
      const store = await fresh()
      await store.applyBatch(manyRecords(50))
      const controller = new AbortController()
      let seen = 0
      await assert.rejects(async () => {
        for await (const _ of store.range(0n, 0n, { signal: controller.signal })) {
          if (++seen === 5) controller.abort()
        }
      }, /abort/i)
      assert.equal(seen, 5)
    })

    it('throws StoreClosedError after close', async () => {
      const store = await openStore()
      await store.apply(record('k', 'v', 1))
      await store.close()
      await store.close() // idempotent
      assert.throws(() => store.getSync(bytes('k')), StoreClosedError)
      await assert.rejects(store.apply(record('k', 'v', 2)), StoreClosedError)
      await assert.rejects(collect(store.range(0n, 0n)), StoreClosedError)
    })

    it('ends a scan the store closed under with StoreClosedError', async () => {
      const store = await openStore()
      await store.applyBatch(manyRecords(20))
      let seen = 0
      await assert.rejects(async () => {
        for await (const _ of store.range(0n, 0n)) {
          if (++seen === 3) await store.close()
        }
      }, StoreClosedError)
      assert.equal(seen, 3)
    })
  })
}
