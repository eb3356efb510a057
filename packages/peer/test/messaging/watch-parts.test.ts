import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { TopicResult } from '@ringdht/protocol'
import { MemoryTable } from '@ringdht/store'
import { InvalidInputError, NotReadyError, TrimmedError } from '../../src/errors.js'
import { ReplicaLogs } from '../../src/homes/replica-log.js'
import { KeyLocks } from '../../src/messaging/key-locks.js'
import { type LogRead, pullLog } from '../../src/messaging/log-pull.js'
import {
  decodeRetention,
  effectiveRetention,
  encodeRetention,
  retentionFromWire,
  retentionToWire,
} from '../../src/messaging/topic-retention.js'
import {
  compareVersions,
  decodeChange,
  encodeChange,
  keyChangeOf,
  versionOf,
} from '../../src/messaging/watch-changes.js'

const bytes = (s: string) => new TextEncoder().encode(s)
const record = (value: string | undefined, timestamp: bigint) => ({
  key: bytes('k'),
  position: 0n,
  value: value === undefined ? undefined : bytes(value),
  version: { timestamp, writer: 7n },
})

describe('watch changes', () => {
  it('round-trips puts, deletes and baselines', () => {
    const put = decodeChange(encodeChange(record('v', 5n), 1024))
    assert.deepEqual(put?.version, { timestamp: 5n, writer: 7n })
    assert.equal(put?.deleted, false)
    assert.deepEqual(put?.value, bytes('v'))
    const gone = decodeChange(encodeChange(record(undefined, 6n), 1024))
    assert.equal(gone?.deleted, true)
    const base = decodeChange(encodeChange(undefined, 1024, true))
    assert.equal(base?.baseline, true)
    assert.deepEqual(base?.version, { timestamp: 0n, writer: 0n })
  })

  it('leaves a value out, and says so, when the entry would be too large', () => {
    const big = decodeChange(encodeChange(record('x'.repeat(100), 5n), 64))
    assert.equal(big?.value, undefined)
    assert.equal(big?.valueOmitted, true)
    const entry = { seq: 3n, epoch: 1n, publishedAt: 9n, data: new Uint8Array() }
    const change = keyChangeOf(bytes('k'), entry, big as NonNullable<typeof big>)
    assert.equal(change.op, 'put')
    assert.equal(change.valueOmitted, true)
    assert.equal(change.seq, 3)
  })

  it('ignores bytes that are not a change', () => {
    assert.equal(decodeChange(Uint8Array.of(0xff, 0xff, 0xff)), undefined)
    assert.equal(decodeChange(new Uint8Array()), undefined)
  })

  it('orders versions by timestamp, then writer; a bare timestamp is after its versions', () => {
    assert.equal(compareVersions({ timestamp: 1n, writer: 9n }, { timestamp: 2n, writer: 0n }), -1)
    assert.equal(compareVersions({ timestamp: 2n, writer: 1n }, { timestamp: 2n, writer: 0n }), 1)
    assert.equal(compareVersions({ timestamp: 2n, writer: 1n }, { timestamp: 2n, writer: 1n }), 0)
    assert.equal(compareVersions({ timestamp: 2n, writer: 99n }, versionOf(2n)), -1)
  })
})

describe('topic retention settings', () => {
  it('checks, converts and falls back to the default per bound', () => {
    const wire = retentionToWire({ retainCount: 5 })
    assert.deepEqual(retentionFromWire(wire), { retainCount: 5 })
    assert.deepEqual(decodeRetention(encodeRetention(wire)), wire)
    assert.equal(decodeRetention(undefined), undefined)
    const base = { maxEntries: 100, maxAgeMs: 0 }
    assert.deepEqual(effectiveRetention(wire, base), { maxEntries: 5, maxAgeMs: 0 })
    assert.deepEqual(effectiveRetention(retentionToWire({ retainMs: 1000 }), base), {
      maxEntries: 100,
      maxAgeMs: 1000,
    })
    assert.deepEqual(effectiveRetention(undefined, base), base)
    for (const bad of [{ retainCount: -1 }, { retainCount: 1.5 }, { retainMs: -3 }]) {
      assert.throws(() => retentionToWire(bad), InvalidInputError, JSON.stringify(bad))
    }
  })
})

describe('KeyLocks', () => {
  it('runs one task per key at a time, others in parallel, and forgets idle keys', async () => {
    const locks = new KeyLocks()
    const order: string[] = []
    let release = () => {}
    const first = locks.run(bytes('a'), async () => {
      order.push('a1 start')
      await new Promise<void>((resolve) => {
        release = resolve
      })
      order.push('a1 end')
    })
    const second = locks.run(bytes('a'), async () => {
      order.push('a2')
    })
    await locks.run(bytes('b'), async () => {
      order.push('b')
    })
    assert.deepEqual(order, ['a1 start', 'b'])
    release()
    await Promise.all([first, second])
    assert.deepEqual(order, ['a1 start', 'b', 'a1 end', 'a2'])
    await assert.rejects(
      locks.run(bytes('a'), async () => {
        throw new Error('boom')
      }),
      /boom/,
    )
    assert.equal(await locks.run(bytes('a'), async () => 42), 42)
    assert.equal(locks.size, 0)
  })
})

describe('ReplicaLogs.holds (asked on every write: is the key watched?)', () => {
  it('knows the logs it holds, from memory and after a restart from its table', async () => {
    const table = new MemoryTable()
    const logs = new ReplicaLogs(table)
    const watched = bytes('watch\u0000k')
    assert.equal(logs.holds(watched), false)
    await logs.seal(watched, 1)
    assert.equal(logs.holds(watched), true)
    assert.equal(logs.holds(bytes('watch\u0000other')), false)
    assert.equal(new ReplicaLogs(table).holds(watched), true)
  })
})

describe('pullLog', () => {
  const result = (fields: Partial<TopicResult>): TopicResult => ({
    seq: 0n,
    useRelay: false,
    entries: [],
    lastSeq: 0n,
    firstSeq: 1n,
    ...fields,
  })
  const entry = (seq: number) => ({
    seq: BigInt(seq),
    epoch: 1n,
    publishedAt: 0n,
    data: bytes(`e${seq}`),
  })

  it('starts at the oldest retained entry, retries past a failover, skips repeats', async () => {
    const asked: number[] = []
    let calls = 0
    const read: LogRead = async ({ fromSeq }) => {
      asked.push(fromSeq)
      calls++
      if (fromSeq === 0) return result({ firstSeq: 4n, lastSeq: 6n })
      if (calls === 3) throw new NotReadyError('the home moved')
      // a home that answers from before what was asked: the repeat is skipped
      return result({ entries: [entry(fromSeq - 1), entry(fromSeq)], lastSeq: 9n })
    }
    const stop = new AbortController()
    const seen: number[] = []
    for await (const e of pullLog(read, {
      from: 'oldest',
      batch: 2,
      waitMs: 0,
      signal: stop.signal,
    })) {
      seen.push(Number(e.seq))
      if (seen.length === 4) stop.abort()
    }
    assert.deepEqual(seen, [4, 5, 6, 7])
    assert.deepEqual(asked.slice(0, 4), [0, 4, 5, 5])
  })

  it('gives up on errors asking again cannot fix', async () => {
    const read: LogRead = async () => {
      throw new TrimmedError('gone; the first retained is 10', 10)
    }
    await assert.rejects(pullLog(read, { from: 1, batch: 1, waitMs: 0 }).next(), TrimmedError)
  })
})
