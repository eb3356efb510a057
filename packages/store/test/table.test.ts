import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { createTable, StoreClosedError, type Table } from '../src/index.js'

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
