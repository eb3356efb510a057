import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { MemoryTable } from '@ringdht/store'
import { TrimmedError } from '../../src/errors.js'
import { logKey } from '../../src/homes/log-keys.js'
import { commitPoint, sealed, sealQuorumOf } from '../../src/homes/quorums.js'
import { type Entry, ReplicaLogs } from '../../src/homes/replica-log.js'

const key = logKey({ space: 'topic', name: new TextEncoder().encode('t') })
const entries = (from: number, count: number, epoch: number, tag = 'm'): Entry[] =>
  Array.from({ length: count }, (_, i) => ({
    seq: from + i,
    epoch,
    publishedAt: 1,
    data: new TextEncoder().encode(`${tag}${from + i}`),
  }))
const texts = (list: readonly Entry[]) => list.map((e) => new TextDecoder().decode(e.data))

describe('home log quorums', () => {
  it('commits what a write quorum of every set holds', () => {
    const match = new Map([
      ['a', 5],
      ['b', 3],
      ['c', 1],
      ['d', 4],
    ])
    assert.equal(commitPoint([['a', 'b', 'c']], match, 2), 3)
    // joint: the set after the change holds less
    assert.equal(
      commitPoint(
        [
          ['a', 'b', 'c'],
          ['a', 'c', 'd'],
        ],
        match,
        2,
      ),
      3,
    )
    assert.equal(
      commitPoint(
        [
          ['a', 'b', 'c'],
          ['c', 'x', 'y'],
        ],
        match,
        2,
      ),
      0,
    )
    assert.equal(commitPoint([['a']], match, 2), 5)
  })

  it('seals once every write quorum of every set meets a promise', () => {
    assert.equal(sealQuorumOf(3, 2), 2)
    assert.equal(sealQuorumOf(1, 2), 1)
    assert.equal(sealed([['a', 'b', 'c']], new Set(['a', 'b']), 2), true)
    assert.equal(
      sealed(
        [
          ['a', 'b', 'c'],
          ['b', 'c', 'd'],
        ],
        new Set(['a', 'b']),
        2,
      ),
      false,
    )
    assert.equal(
      sealed(
        [
          ['a', 'b', 'c'],
          ['b', 'c', 'd'],
        ],
        new Set(['a', 'b', 'd']),
        2,
      ),
      true,
    )
  })
})

describe('a replica of a home log', () => {
  it('appends in order, refuses a gap, and refuses epochs below its promise', async () => {
    const logs = new ReplicaLogs(new MemoryTable())
    const ok = await logs.append(key, {
      epoch: 1,
      prevSeq: 0,
      prevEpoch: 0,
      entries: entries(1, 3, 1),
      commit: 0,
      retainFrom: 0,
    })
    assert.equal(ok.kind, 'ok')
    assert.equal(logs.state(key).lastSeq, 3)
    const gap = await logs.append(key, {
      epoch: 1,
      prevSeq: 5,
      prevEpoch: 1,
      entries: entries(6, 1, 1),
      commit: 0,
      retainFrom: 0,
    })
    assert.equal(gap.kind, 'mismatch')
    assert.equal(logs.state(key).lastSeq, 3)
    assert.equal((await logs.seal(key, 3)).fenced, false)
    const stale = await logs.append(key, {
      epoch: 2,
      prevSeq: 3,
      prevEpoch: 1,
      entries: entries(4, 1, 2),
      commit: 0,
      retainFrom: 0,
    })
    assert.equal(stale.kind, 'fenced')
    assert.equal(logs.state(key).lastSeq, 3)
    assert.equal((await logs.seal(key, 2)).fenced, true)
  })

  it('replaces an entry of another epoch and everything after it', async () => {
    const logs = new ReplicaLogs(new MemoryTable())
    await logs.append(key, {
      epoch: 1,
      prevSeq: 0,
      prevEpoch: 0,
      entries: entries(1, 5, 1, 'old'),
      commit: 2,
      retainFrom: 0,
    })
    const next = await logs.append(key, {
      epoch: 2,
      prevSeq: 2,
      prevEpoch: 1,
      entries: entries(3, 1, 2, 'new'),
      commit: 2,
      retainFrom: 0,
    })
    assert.equal(next.kind, 'ok')
    assert.deepEqual(texts(logs.read(key, 1, 10, Infinity)), ['old1', 'old2', 'new3'])
    assert.deepEqual(logs.state(key), {
      promised: 2,
      firstSeq: 1,
      lastSeq: 3,
      lastEpoch: 2,
      commit: 2,
    })
  })

  it('keeps committed entries and trims below retain_from, with a clear error below it', async () => {
    const logs = new ReplicaLogs(new MemoryTable())
    await logs.append(key, {
      epoch: 1,
      prevSeq: 0,
      prevEpoch: 0,
      entries: entries(1, 10, 1),
      commit: 10,
      retainFrom: 0,
    })
    await logs.append(key, {
      epoch: 1,
      prevSeq: 10,
      prevEpoch: 1,
      entries: [],
      commit: 10,
      retainFrom: 7,
    })
    assert.equal(logs.state(key).firstSeq, 7)
    assert.deepEqual(texts(logs.read(key, 7, 10, Infinity)), ['m7', 'm8', 'm9', 'm10'])
    assert.throws(
      () => logs.read(key, 3, 10, Infinity),
      (err: unknown) => err instanceof TrimmedError && err.firstRetained === 7,
    )
    // a replica far behind a home that trimmed starts over where the home's log starts
    const behind = new ReplicaLogs(new MemoryTable())
    await behind.append(key, {
      epoch: 1,
      prevSeq: 0,
      prevEpoch: 0,
      entries: entries(1, 2, 1),
      commit: 0,
      retainFrom: 0,
    })
    const restart = await behind.append(key, {
      epoch: 1,
      prevSeq: 6,
      prevEpoch: 0,
      entries: entries(7, 4, 1),
      commit: 10,
      retainFrom: 7,
    })
    assert.equal(restart.kind, 'ok')
    assert.equal(behind.state(key).firstSeq, 7)
    assert.deepEqual(texts(behind.read(key, 7, 10, Infinity)), ['m7', 'm8', 'm9', 'm10'])
  })

  it('survives a reopen of its table (what it acknowledged is on disk)', async () => {
    const table = new MemoryTable()
    await new ReplicaLogs(table).append(key, {
      epoch: 4,
      prevSeq: 0,
      prevEpoch: 0,
      entries: entries(1, 2, 4),
      commit: 1,
      retainFrom: 0,
    })
    const reopened = new ReplicaLogs(table)
    assert.deepEqual(reopened.state(key), {
      promised: 4,
      firstSeq: 1,
      lastSeq: 2,
      lastEpoch: 4,
      commit: 1,
    })
    assert.deepEqual(
      [...reopened.logKeys()].map((k) => Buffer.from(k).toString()),
      [Buffer.from(key).toString()],
    )
  })
})
