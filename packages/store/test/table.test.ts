import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { createTable, StoreClosedError, type Table } from '../src/index.js'
import { MemoryTable } from '../src/table.js'

const bytes = (s: string) => new TextEncoder().encode(s)
const text = (b: Uint8Array) => new TextDecoder().decode(b)
const keysOf = (table: Table, after?: string) =>
  [...table.entries(after === undefined ? undefined : bytes(after))].map(([key]) => text(key))

for (const kind of ['memory', 'lmdb'] as const) {
  describe(`a ${kind} table`, () => {
    it('keeps entries in key byte order, pages after a key, and counts them', async (t) => {
      const dir = await mkdtemp(join(tmpdir(), 'ringdht-table-'))
      t.after(() => rm(dir, { recursive: true, force: true }))
      const table = await createTable({ dataDir: kind === 'lmdb' ? dir : undefined, name: 't' })
      for (const key of ['b', 'a', 'c', 'ab']) await table.put(bytes(key), bytes(`v-${key}`))
      await table.put(bytes('a'), bytes('v-a2'))
      assert.equal(table.size, 4)
      assert.equal(text(table.get(bytes('a')) as Uint8Array), 'v-a2')
      assert.equal(table.get(bytes('missing')), undefined)
      assert.deepEqual(keysOf(table), ['a', 'ab', 'b', 'c'])
      assert.deepEqual(keysOf(table, 'ab'), ['b', 'c'])
      assert.deepEqual(keysOf(table, 'aa'), ['ab', 'b', 'c'])
      await table.close()
      assert.throws(() => table.get(bytes('a')), StoreClosedError)
      if (kind === 'lmdb') {
        const reopened = await createTable({ dataDir: dir, name: 't' })
        assert.equal(reopened.size, 4)
        assert.equal(text(reopened.get(bytes('c')) as Uint8Array), 'v-c')
        await reopened.close()
      }
    })
  })
}

describe('a memory table’s key order', () => {
  it('agrees with sorting every entry, whatever the puts and deletes (property)', async () => {
    const key = fc.uint8Array({ minLength: 0, maxLength: 3, max: 3 })
    const step = fc.oneof(
      fc.record({ kind: fc.constant('put' as const), key }),
      fc.record({ kind: fc.constant('delete' as const), key }),
      fc.record({ kind: fc.constant('read' as const), key: fc.option(key, { nil: undefined }) }),
    )
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 60 }), async (steps) => {
        const table = new MemoryTable()
        const model = new Map<string, Uint8Array>()
        const hexOf = (k: Uint8Array) => Buffer.from(k).toString('hex')
        for (const [index, s] of steps.entries()) {
          if (s.kind === 'put') {
            await table.put(s.key, Uint8Array.of(index))
            model.set(hexOf(s.key), Uint8Array.from(s.key))
          } else if (s.kind === 'delete') {
            await table.delete(s.key)
            model.delete(hexOf(s.key))
          } else {
            const from = s.key === undefined ? undefined : hexOf(s.key)
            const expected = [...model.keys()].sort().filter((k) => from === undefined || k > from)
            assert.deepEqual(
              [...table.entries(s.key)].map(([k]) => hexOf(k)),
              expected,
            )
          }
        }
        assert.equal(table.size, model.size)
      }),
    )
  })

  it('does not yield an entry deleted during the iteration, and goes on after it', async () => {
    const table = new MemoryTable()
    for (const k of ['a', 'b', 'c', 'd']) await table.put(bytes(k), bytes(k))
    const seen: string[] = []
    for (const [k] of table.entries()) {
      seen.push(text(k))
      if (text(k) === 'a') await table.delete(bytes('b'))
    }
    assert.deepEqual(seen, ['a', 'c', 'd'])
  })
})
