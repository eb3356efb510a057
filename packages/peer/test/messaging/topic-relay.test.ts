import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import type { LogEntry, TopicOp, TopicResult } from '@ringdht/protocol'
import pino from 'pino'
import { Counters } from '../../src/counters.js'
import { InvalidInputError, TrimmedError } from '../../src/errors.js'
import { TopicRelays, type TopicRelaysInit } from '../../src/messaging/topic-relay.js'

/** A topic's home as a relay sees it: committed entries first..last, long-poll reads. */
class FakeHome {
  first = 1
  entries: LogEntry[] = []
  reads: TopicOp[] = []
  #waiters = new Set<() => void>()

  get last(): number {
    return this.first + this.entries.length - 1
  }

  publish(count: number): void {
    for (let i = 0; i < count; i++) {
      const seq = this.last + 1
      this.entries.push({ seq: BigInt(seq), epoch: 1n, publishedAt: 0n, data: new Uint8Array(4) })
    }
    for (const wake of [...this.#waiters]) wake()
  }

  trimTo(first: number): void {
    this.entries = this.entries.slice(first - this.first)
    this.first = first
  }

  readonly read = async (op: TopicOp, signal: AbortSignal | undefined): Promise<TopicResult> => {
    this.reads.push(op)
    const from = Number(op.fromSeq)
    const answer = (entries: LogEntry[]): TopicResult => ({
      seq: 0n,
      entries,
      lastSeq: BigInt(this.last),
      firstSeq: BigInt(this.first),
      useRelay: false,
    })
    if (from === 0) return answer([])
    if (from > this.last + 1) throw new InvalidInputError(`${from} is in the future`)
    if (from < this.first) throw new TrimmedError(`${from} is trimmed`, this.first)
    if (from === this.last + 1 && op.waitMs > 0) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer)
          this.#waiters.delete(done)
          resolve()
        }
        const timer = setTimeout(done, Math.min(op.waitMs, 200))
        this.#waiters.add(done)
        signal?.addEventListener('abort', done, { once: true })
      })
    }
    const start = from - this.first
    return answer(this.entries.slice(start, start + (op.limit || 100)))
  }
}

const op = (fromSeq: number, fields: Partial<TopicOp> = {}): TopicOp => ({
  topic: new TextEncoder().encode('t'),
  fromSeq: BigInt(fromSeq),
  limit: 100,
  waitMs: 200,
  viaRelay: true,
  noRedirect: false,
  relayedSubscribers: 0,
  subscription: 1n,
  ...fields,
})
const seqs = (r: TopicResult) => r.entries.map((e) => Number(e.seq))

const INIT: TopicRelaysInit = {
  window: { maxEntries: 10, maxBytes: 1_000_000 },
  maxTopics: 2,
  idleMs: 30_000,
  upstreamBatch: 100,
  upstreamWaitMs: 200,
  maxWaitMs: 200,
  pageEntries: 100,
  pageBytes: 1_000_000,
}

describe('TopicRelays (a fake home)', () => {
  const lifetime = new AbortController()
  const made: TopicRelays[] = []
  after(async () => {
    lifetime.abort()
    await Promise.all(made.map((r) => r.stop()))
  })
  const relaysOver = (home: FakeHome, init: Partial<TopicRelaysInit> = {}) => {
    const counters = new Counters()
    const relays = new TopicRelays(
      {
        readHome: home.read,
        logger: pino({ level: 'silent' }),
        counters,
        lifetime: lifetime.signal,
      },
      { ...INIT, ...init },
    )
    made.push(relays)
    return { relays, counters }
  }

  it('serves many subscribers from one pull, in order, only what the home served', async () => {
    const home = new FakeHome()
    home.publish(5)
    const { relays, counters } = relaysOver(home)
    // 20 subscribers read from 6 (live) while the home gets 3 more messages
    const subscribers = Array.from({ length: 20 }, (_, i) =>
      relays.read(op(6, { subscription: BigInt(i + 1) }), 'client', undefined),
    )
    setTimeout(() => home.publish(3), 20)
    for (const answer of await Promise.all(subscribers)) {
      assert.ok(seqs(answer).length > 0 && seqs(answer)[0] === 6, `got ${seqs(answer)}`)
    }
    // an answer carries the whole batch the relay got from the home
    const answer = await relays.read(op(6), 'client', undefined)
    assert.deepEqual(seqs(answer), [6, 7, 8])
    assert.equal(answer.lastSeq, 8n)
    assert.equal(relays.subscribers(op(1).topic), 20)
    const upstream = home.reads.filter((r) => r.noRedirect && r.relayedSubscribers >= 0)
    assert.equal(upstream.length, home.reads.length, 'every read at the home says no_redirect')
    assert.ok(home.reads.length <= 6, `the home got ${home.reads.length} reads for 21`)
    assert.equal(counters.topicRelayProxied, 0)
  })

  it('passes to the home a read below its window, beyond what it pulled, or trimmed', async () => {
    const home = new FakeHome()
    home.publish(30)
    const { relays, counters } = relaysOver(home)
    // the relay starts where its window would keep the log's end (21), not at 1
    const first = await relays.read(op(25, { waitMs: 0 }), 'a', undefined)
    assert.ok(counters.topicRelayProxied <= 1)
    await relays.read(op(31, { waitMs: 100 }), 'a', undefined) // waits at the end
    assert.deepEqual(seqs(await relays.read(op(25), 'a', undefined)), [25, 26, 27, 28, 29, 30])
    assert.ok(first.entries.length === 0 || seqs(first)[0] === 25)
    const proxiedBefore = counters.topicRelayProxied
    const low = await relays.read(op(3), 'b', undefined)
    assert.deepEqual(seqs(low).slice(0, 2), [3, 4])
    assert.equal(counters.topicRelayProxied, proxiedBefore + 1)
    const pulls = home.reads.filter(
      (r) => r.fromSeq > 0n && r.fromSeq < 21n && r.relayedSubscribers > 0,
    )
    assert.deepEqual(pulls, [], 'the relay never pulled what its window would drop')
    await assert.rejects(relays.read(op(500, { waitMs: 50 }), 'c', undefined), InvalidInputError)
    home.trimTo(28)
    await relays.read(op(31, { waitMs: 300 }), 'a', undefined) // an upstream answer: firstSeq 28
    await assert.rejects(relays.read(op(25), 'a', undefined), TrimmedError)
  })

  it('relays at most maxTopics topics; more go to the home', async () => {
    const home = new FakeHome()
    home.publish(3)
    const { relays, counters } = relaysOver(home, { maxTopics: 1 })
    await relays.read(op(1), 'a', undefined)
    assert.equal(relays.size, 1)
    const other = await relays.read(op(1, { topic: new TextEncoder().encode('u') }), 'a', undefined)
    assert.deepEqual(seqs(other), [1, 2, 3])
    assert.equal(relays.size, 1)
    assert.equal(counters.topicRelayProxied, 1)
  })

  it('ends a relay whose pull cannot go on; the next read starts afresh', async () => {
    const home = new FakeHome()
    home.publish(3)
    const { relays } = relaysOver(home)
    // a reader far in the future starts a relay whose pull the home refuses
    await assert.rejects(relays.read(op(99, { waitMs: 50 }), 'a', undefined), InvalidInputError)
    const deadline = Date.now() + 5_000
    while (relays.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
    assert.equal(relays.size, 0)
    assert.deepEqual(seqs(await relays.read(op(2), 'a', undefined)), [2, 3])
  })
})
