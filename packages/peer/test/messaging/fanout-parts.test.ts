import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { LogEntry, TopicOp, TopicResult } from '@ringdht/protocol'
import { PeerUnreachableError, TrimmedError } from '../../src/errors.js'
import { RelayWindow } from '../../src/messaging/relay-window.js'
import { SubscriberCount } from '../../src/messaging/subscriber-count.js'
import { RELAY_RETRY_MS, subscriberRoute } from '../../src/messaging/subscriber-route.js'

const entry = (seq: number, bytes = 10): LogEntry => ({
  seq: BigInt(seq),
  epoch: 1n,
  publishedAt: 0n,
  data: new Uint8Array(bytes),
})
const seqs = (entries: LogEntry[]) => entries.map((e) => Number(e.seq))

describe('RelayWindow', () => {
  it('keeps a gap-free run of the newest entries, bounded by count', () => {
    const window = new RelayWindow(5, { maxEntries: 3, maxBytes: 1_000 })
    assert.equal(window.first, 5)
    assert.equal(window.next, 5)
    for (let seq = 5; seq <= 9; seq++) window.append(entry(seq))
    assert.deepEqual([window.first, window.next, window.size], [7, 10, 3])
    assert.deepEqual(seqs(window.read(7, 10, 1_000)), [7, 8, 9])
    assert.deepEqual(seqs(window.read(8, 1, 1_000)), [8])
    // below the window, or at/after its end: nothing (the caller reads the home instead)
    assert.deepEqual(window.read(6, 10, 1_000), [])
    assert.deepEqual(window.read(10, 10, 1_000), [])
  })

  it('is bounded by bytes, keeps at least the newest entry, and pages by bytes', () => {
    const window = new RelayWindow(1, { maxEntries: 100, maxBytes: 25 })
    for (let seq = 1; seq <= 4; seq++) window.append(entry(seq, 10))
    assert.deepEqual([window.first, window.bytes], [3, 20])
    window.append(entry(5, 100))
    assert.deepEqual([window.first, window.size, window.bytes], [5, 1, 100])
    const pages = new RelayWindow(1, { maxEntries: 100, maxBytes: 1_000 })
    for (let seq = 1; seq <= 5; seq++) pages.append(entry(seq, 10))
    assert.deepEqual(seqs(pages.read(1, 10, 25)), [1, 2])
    // one entry even when it alone is over the page's bytes
    assert.deepEqual(seqs(pages.read(1, 10, 1)), [1])
  })

  it('refuses a gap or a repeat', () => {
    const window = new RelayWindow(1, { maxEntries: 10, maxBytes: 1_000 })
    window.append(entry(1))
    assert.throws(() => window.append(entry(1)), RangeError)
    assert.throws(() => window.append(entry(3)), RangeError)
  })

  it('appends a batch up to a gap, skipping repeats; skips ahead only while empty', () => {
    const window = new RelayWindow(3, { maxEntries: 10, maxBytes: 1_000 })
    window.skipTo(2) // never backwards
    assert.equal(window.next, 3)
    window.skipTo(5)
    assert.deepEqual([window.first, window.next], [5, 5])
    assert.equal(window.appendAll([entry(4), entry(5), entry(6), entry(8), entry(9)]), 2)
    assert.deepEqual(seqs(window.read(5, 10, 1_000)), [5, 6])
    window.skipTo(20) // not while it holds entries
    assert.equal(window.next, 7)
  })

  it('stays correct over many appends (compaction)', () => {
    const window = new RelayWindow(1, { maxEntries: 7, maxBytes: 1_000_000 })
    for (let seq = 1; seq <= 5_000; seq++) {
      window.append(entry(seq, 1))
      const page = window.read(window.first, 100, 1_000)
      assert.deepEqual(
        seqs(page),
        Array.from({ length: window.size }, (_, i) => window.first + i),
      )
    }
    assert.deepEqual([window.first, window.next], [4_994, 5_001])
  })

  it('wakes a reader waiting for the next entry, on close, and on abort', async () => {
    const window = new RelayWindow(1, { maxEntries: 10, maxBytes: 1_000 })
    const never = new AbortController().signal
    const waiting = window.waitFor(1, never)
    window.append(entry(1))
    await waiting
    await window.waitFor(1, never) // already there
    const aborted = new AbortController()
    const cut = window.waitFor(2, aborted.signal)
    aborted.abort()
    await cut
    const closing = window.waitFor(2, never)
    window.close()
    await closing
    assert.equal(window.closed, true)
    assert.equal(window.next, 2)
  })
})

describe('SubscriberCount', () => {
  it('counts callers that read within the window, a relay as its subscribers', () => {
    let now = 0
    const count = new SubscriberCount(1_000, 100, () => now)
    count.saw('a')
    count.saw('b')
    count.saw('a')
    count.saw('relay', 40)
    assert.equal(count.total, 42)
    assert.equal(count.callers, 3)
    now = 900
    count.saw('b')
    now = 1_500
    // a and the relay read last at 0: gone; b read at 900
    assert.equal(count.total, 1)
    count.saw('relay', 0) // a relay with no subscribers still counts as one reader
    assert.equal(count.total, 2)
  })

  it('tracks at most maxTracked callers', () => {
    let now = 0
    const count = new SubscriberCount(1_000, 3, () => now)
    for (const caller of ['a', 'b', 'c', 'd', 'e']) count.saw(caller)
    assert.equal(count.total, 3)
    now = 2_000
    count.saw('f')
    assert.equal(count.total, 1)
  })
})

describe('subscriberRoute', () => {
  const op = (fields: Partial<TopicOp>): TopicOp => ({
    topic: new Uint8Array([1]),
    fromSeq: 0n,
    limit: 0,
    waitMs: 0,
    viaRelay: false,
    noRedirect: false,
    relayedSubscribers: 0,
    subscription: 7n,
    ...fields,
  })
  const result = (fields: Partial<TopicResult> = {}): TopicResult => ({
    seq: 0n,
    entries: [],
    lastSeq: 0n,
    firstSeq: 1n,
    useRelay: false,
    ...fields,
  })
  const read = { fromSeq: 1, limit: 10, waitMs: 100 }

  it('reads the home until told to use a relay, then the relay; back to the home when it fails', async () => {
    let now = 0
    const asked: TopicOp[] = []
    const answers: Array<TopicResult | Error> = [
      result({ useRelay: true }),
      result(),
      new PeerUnreachableError('the relay is gone'),
      result({ useRelay: true }), // ignored: the subscription reads the home for a while
      result({ useRelay: true }),
      result(),
    ]
    const route = subscriberRoute(
      async (o) => {
        asked.push(o)
        const answer = answers.shift() as TopicResult | Error
        if (answer instanceof Error) throw answer
        return answer
      },
      op,
      () => now,
    )
    await route(read, undefined)
    await route(read, undefined)
    await assert.rejects(route(read, undefined), PeerUnreachableError)
    await route(read, undefined)
    now = RELAY_RETRY_MS + 1
    await route(read, undefined)
    await route(read, undefined)
    assert.deepEqual(
      asked.map((o) => [o.viaRelay, o.noRedirect]),
      [
        [false, false],
        [true, false],
        [true, false],
        [false, true],
        [false, false],
        [true, false],
      ],
    )
    assert.ok(asked.every((o) => o.fromSeq === 1n && o.limit === 10 && o.waitMs === 100))
  })

  it('keeps the relay when it passes on the home’s own answer (TrimmedError)', async () => {
    const asked: TopicOp[] = []
    let first = true
    const route = subscriberRoute(async (o) => {
      asked.push(o)
      if (first) {
        first = false
        return result({ useRelay: true })
      }
      throw new TrimmedError('gone', 5)
    }, op)
    await route(read, undefined)
    await assert.rejects(route(read, undefined), TrimmedError)
    await assert.rejects(route(read, undefined), TrimmedError)
    assert.deepEqual(
      asked.map((o) => o.viaRelay),
      [false, true, true],
    )
  })
})
