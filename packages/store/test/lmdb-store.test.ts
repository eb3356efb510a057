import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  createStore,
  InvalidRecordError,
  LMDB_MAX_KEY_BYTES,
  LmdbStore,
  MemoryStore,
  StoreOpenError,
} from '../src/index.js'
import { bytes, collect, contents, manyRecords, record, text } from './records.js'
import { storeContract } from './store-contract.js'

let root = ''
let opened = 0
const nextPath = () => join(root, `store-${opened++}`)

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'ringdht-store-test-'))
})
after(async () => {
  await rm(root, { recursive: true, force: true })
})

storeContract('LmdbStore', async () => LmdbStore.open({ path: nextPath(), noSync: true }))

describe('LmdbStore', () => {
  // issue 17, cause 5: an acknowledgement meant "in the page cache": apply resolved at
  // commit, and the flush came later, unawaited
  it("with durability 'sync' (the default), apply and applyBatch resolve only after their flush", async () => {
    const store = await LmdbStore.open({ path: nextPath() })
    try {
      for (const [i, write] of [
        () => store.apply(record('k-1', 'v', 1_000)),
        () => store.applyBatch(manyRecords(20)),
      ].entries()) {
        const order: string[] = []
        const applied = write().then(() => order.push('applied'))
        const flushed = store.flushed().then(() => order.push('flushed'))
        await Promise.all([applied, flushed])
        assert.deepEqual(order, ['flushed', 'applied'], `write ${i}`)
      }
    } finally {
      await store.close()
    }
  })

  it('finds its records, tombstones and counts again after a reopen', async () => {
    const path = nextPath()
    const first = await LmdbStore.open({ path })
    const records = manyRecords(3_000) // several scan chunks
    await first.applyBatch(records)
    await first.apply(record('key-7', undefined, 2_000))
    await first.apply({ ...record('key-8', 'expiring', 2_000), expiresAt: 123_456 })
    const before = await contents(first)
    const digest = await first.digest(0n, 0n)
    await first.close()

    const second = await LmdbStore.open({ path })
    try {
      assert.deepEqual(second.stats(), { records: 3_000, tombstones: 1 })
      assert.equal(text((await second.get(bytes('key-42')))?.value), 'value-42')
      assert.equal((await second.get(bytes('key-7')))?.value, undefined)
      assert.equal((await second.get(bytes('key-8')))?.expiresAt, 123_456)
      assert.equal(text((await second.get(bytes('key-8')))?.value), 'expiring')
      assert.deepEqual(await contents(second), before)
      assert.deepEqual(await second.digest(0n, 0n), digest)
    } finally {
      await second.close()
    }
  })

  it('returns records that stay valid after later reads and scans', async () => {
    const store = await LmdbStore.open({ path: nextPath(), noSync: true })
    await store.applyBatch(manyRecords(2_100))
    const first = store.getSync(bytes('key-1'))
    const scanned = await collect(store.range(0n, 0n))
    store.getSync(bytes('key-2'))
    assert.equal(text(first?.value), 'value-1')
    assert.equal(scanned.length, 2_100)
    const distinct = new Set(scanned.map((r) => `${text(r.key)}=${text(r.value)}`))
    assert.equal(distinct.size, 2_100, 'scanned records do not share buffers')
    for (const r of scanned) {
      assert.equal(text(r.value), `value-${(text(r.key) as string).slice(4)}`, text(r.key))
    }
    await store.close()
  })

  it('refuses keys longer than LMDB allows with InvalidRecordError', async () => {
    const store = await LmdbStore.open({ path: nextPath(), noSync: true })
    const longest = 'k'.repeat(LMDB_MAX_KEY_BYTES)
    assert.equal(await store.apply(record(longest, 'fits', 1)), 'applied')
    assert.equal(text((await store.get(bytes(longest)))?.value), 'fits')
    await assert.rejects(store.apply(record(`${longest}k`, 'too long', 1)), InvalidRecordError)
    assert.equal(await store.get(bytes(`${longest}k`)), undefined)
    await store.close()
  })

  it('reports a folder it cannot open with StoreOpenError', async () => {
    const file = join(root, 'a-file')
    await writeFile(file, 'not a folder')
    for (const path of [file, join(file, 'below-a-file')]) {
      await assert.rejects(LmdbStore.open({ path }), (error: unknown) => {
        assert.ok(error instanceof StoreOpenError, `${path}: ${String(error)}`)
        assert.equal(error.code, 'STORE_OPEN')
        assert.equal(error.path, path)
        assert.ok(error.reason === 'EEXIST' || error.reason === 'ENOTDIR', `reason ${error.reason}`)
        assert.match(error.message, /cannot open the store/)
        return true
      })
    }
    await assert.rejects(createStore({ dataDir: file }), StoreOpenError)
  })

  it('agrees byte for byte with MemoryStore on digests', async () => {
    const disk = await LmdbStore.open({ path: nextPath(), noSync: true })
    const memory = new MemoryStore()
    const records = [...manyRecords(500), record('gone', undefined, 77, 5)]
    await disk.applyBatch(records)
    await memory.applyBatch(records)
    assert.deepEqual(await disk.digest(0n, 0n), await memory.digest(0n, 0n))
    assert.deepEqual(
      await disk.digest(1n << 63n, 1n << 40n),
      await memory.digest(1n << 63n, 1n << 40n),
    )
    assert.deepEqual(await disk.digestBuckets(5n, 5n, 32), await memory.digestBuckets(5n, 5n, 32))
    assert.deepEqual(await contents(disk), await contents(memory))
    await disk.close()
    await memory.close()
  })
})

describe('createStore', () => {
  it('opens LMDB under <dataDir>/records and memory without a dataDir', async () => {
    const dataDir = join(nextPath(), 'nested', 'data')
    const disk = await createStore({ dataDir })
    assert.ok(disk instanceof LmdbStore)
    await disk.apply(record('persisted', 'yes', 1))
    await disk.close()
    const again = await LmdbStore.open({ path: join(dataDir, 'records') })
    assert.equal(text((await again.get(bytes('persisted')))?.value), 'yes')
    await again.close()

    const memory = await createStore()
    assert.ok(memory instanceof MemoryStore)
    await memory.close()
  })
})
