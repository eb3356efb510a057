import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type GroupedLog, groupCommit } from '../../src/tasks/group-commit.js'

/** A log that numbers entries as handed over and commits when told. */
function fakeLog() {
  const appends: Uint8Array[][] = []
  const pending: Array<{ resolve(): void; reject(err: Error): void }> = []
  let next = 1
  const log: GroupedLog = {
    append(entries) {
      appends.push([...entries])
      const seq = next
      next += entries.length
      return new Promise((resolve, reject) => {
        pending.push({ resolve: () => resolve({ seq, last: next - 1 }), reject })
      })
    },
  }
  return { log, appends, pending }
}

const bytes = (n: number, fill = 0) => new Uint8Array(n).fill(fill)

describe('groupCommit', () => {
  it('hands the entries of one tick to the log as one append, in call order, each resolving with its seq', async () => {
    const { log, appends, pending } = fakeLog()
    const append = groupCommit(log, { entries: 100, bytes: 1 << 20 })
    const seqs = [append(bytes(1, 1)), append(bytes(1, 2)), append(bytes(1, 3))]
    await new Promise((resolve) => setImmediate(resolve))
    assert.equal(appends.length, 1)
    assert.deepEqual(
      appends[0]?.map((e) => e[0]),
      [1, 2, 3],
    )
    for (const p of pending) p.resolve()
    assert.deepEqual(await Promise.all(seqs), [1, 2, 3])
    // a later tick is a later append
    const later = append(bytes(1, 4))
    await new Promise((resolve) => setImmediate(resolve))
    assert.equal(appends.length, 2)
    pending[1]?.resolve()
    assert.equal(await later, 4)
  })

  it('splits a tick at the entry and byte limits, keeping the order', async () => {
    const { log, appends, pending } = fakeLog()
    const append = groupCommit(log, { entries: 2, bytes: 10 })
    const seqs = [bytes(4), bytes(4), bytes(4), bytes(20), bytes(1)].map((e) => append(e))
    await new Promise((resolve) => setImmediate(resolve))
    assert.deepEqual(
      appends.map((group) => group.map((e) => e.byteLength)),
      [[4, 4], [4], [20], [1]],
    )
    for (const p of pending) p.resolve()
    assert.deepEqual(await Promise.all(seqs), [1, 2, 3, 4, 5])
  })

  it('rejects every entry of a group whose append failed', async () => {
    const { log, pending } = fakeLog()
    const append = groupCommit(log, { entries: 10, bytes: 100 })
    const both = [append(bytes(1)), append(bytes(1))]
    await new Promise((resolve) => setImmediate(resolve))
    pending[0]?.reject(new Error('fenced'))
    for (const result of await Promise.allSettled(both)) {
      assert.equal(result.status, 'rejected')
    }
  })
})
