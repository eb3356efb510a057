import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import { LmdbStore, MemoryStore, type Store, type StoredRecord } from '../src/index.js'
import { contents, record } from './records.js'

/** A write to one of a few keys, with versions drawn from a small space so ties happen. */
const write = fc.record({
  key: fc.constantFrom('a', 'b', 'c', 'd', 'e', ''),
  timestamp: fc.integer({ min: 0, max: 6 }),
  writer: fc.integer({ min: 0, max: 3 }),
  deleted: fc.boolean(),
})

type Write = { key: string; timestamp: number; writer: number; deleted: boolean }

/**
 * Distinct writes (a version names one write, so no two share key and version), the
 * same writes with each one twice in a random order, and whether to apply in batches.
 */
const writesAndReordering = fc
  .uniqueArray(write, {
    minLength: 1,
    maxLength: 30,
    selector: (w) => `${w.key}/${w.timestamp}/${w.writer}`,
  })
  .chain((writes) =>
    fc.tuple(
      fc.constant(writes),
      fc.shuffledSubarray([...writes, ...writes], { minLength: 2 * writes.length }),
      fc.boolean(),
    ),
  )

/** A version names one write: equal versions carry equal values. */
function toRecord(w: Write): StoredRecord {
  return record(
    w.key,
    w.deleted ? undefined : `${w.key}:${w.timestamp}:${w.writer}`,
    w.timestamp,
    w.writer,
  )
}

/** Each key's newest write, computed without any store. */
function winners(writes: readonly Write[]): Map<string, Write> {
  const best = new Map<string, Write>()
  for (const w of writes) {
    const current = best.get(w.key)
    if (
      current === undefined ||
      w.timestamp > current.timestamp ||
      (w.timestamp === current.timestamp && w.writer > current.writer)
    ) {
      best.set(w.key, w)
    }
  }
  return best
}

async function applyInPieces(store: Store, records: readonly StoredRecord[], batched: boolean) {
  if (batched) {
    const middle = Math.floor(records.length / 2)
    await store.applyBatch(records.slice(0, middle))
    await store.applyBatch(records.slice(middle))
  } else {
    await Promise.all(records.map((r) => store.apply(r)))
  }
}

describe('last-writer-wins convergence', () => {
  let root = ''
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'ringdht-converge-'))
  })
  after(async () => {
    await rm(root, { recursive: true, force: true })
  })

  it('reaches the same contents from any order of the same writes (memory)', async () => {
    await fc.assert(
      fc.asyncProperty(writesAndReordering, async ([writes, shuffled, batched]) => {
        const inOrder = new MemoryStore()
        const reordered = new MemoryStore()
        await applyInPieces(inOrder, writes.map(toRecord), false)
        await applyInPieces(reordered, shuffled.map(toRecord), batched)
        assert.deepEqual(await contents(reordered), await contents(inOrder))
        assert.deepEqual(await reordered.digest(0n, 0n), await inOrder.digest(0n, 0n))
        const best = winners(writes)
        assert.equal(inOrder.stats().records, best.size)
        for (const [key, w] of best) {
          const stored = inOrder.getSync(new TextEncoder().encode(key))
          assert.deepEqual(
            stored?.version,
            { timestamp: BigInt(w.timestamp), writer: BigInt(w.writer) },
            `key ${key}`,
          )
          assert.equal(stored?.value === undefined, w.deleted, `key ${key} tombstone`)
        }
      }),
      { numRuns: 300 },
    )
  })

  it('reaches the same contents from any order of the same writes (LMDB vs memory)', async () => {
    const disk = await LmdbStore.open({ path: join(root, 'converge'), noSync: true })
    try {
      await fc.assert(
        fc.asyncProperty(writesAndReordering, async ([writes, shuffled, batched]) => {
          await disk.removeRange(0n, 0n)
          const memory = new MemoryStore()
          await applyInPieces(memory, writes.map(toRecord), false)
          await applyInPieces(disk, shuffled.map(toRecord), batched)
          assert.deepEqual(await contents(disk), await contents(memory))
          assert.deepEqual(await disk.digest(0n, 0n), await memory.digest(0n, 0n))
          assert.deepEqual(disk.stats(), memory.stats())
        }),
        { numRuns: 60 },
      )
    } finally {
      await disk.close()
    }
  })
})
