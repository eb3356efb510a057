import type { TopicOp, TopicResult } from '@ringdht/protocol'
import type { Logger } from 'pino'
import type { Counters } from '../counters.js'
import { pullLog } from './log-pull.js'
import { RelayWindow, type RelayWindowLimits } from './relay-window.js'
import { SubscriberCount } from './subscriber-count.js'

export interface TopicRelaysComponents {
  /** One read at the topic's home, as this member makes it (the op says no_redirect). */
  readHome: (op: TopicOp, signal: AbortSignal | undefined) => Promise<TopicResult>
  logger: Logger
  counters: Pick<Counters, 'topicRelayReads' | 'topicRelayProxied'>
  /** Aborted when the member stops: every relay ends. */
  lifetime: AbortSignal
}

/** Validated by the caller (TopicsCapability builds it from the peer's config). */
export interface TopicRelaysInit {
  /** What each relayed topic keeps of its newest messages. */
  window: RelayWindowLimits
  /** Topics relayed here at once; a read of one more is passed to the home. */
  maxTopics: number
  /** A relay nobody read for this long stops pulling and is dropped, ms. */
  idleMs: number
  /** The relay's own pull from the home: entries per fetch and long-poll wait. */
  upstreamBatch: number
  upstreamWaitMs: number
  /** Longest a subscriber's read waits here for the next message, ms. */
  maxWaitMs: number
  /** Most entries and bytes one answer carries. */
  pageEntries: number
  pageBytes: number
}

/** Subscribers are counted over this long: a live one reads at least once per long-poll. */
export const SUBSCRIBER_WINDOW_MS = 10_000
/** Most subscribers of one topic a member tracks by peer id. */
export const MAX_TRACKED_SUBSCRIBERS = 4096

/** One relayed topic: its window, fed by one pull from the home. */
class Relay {
  readonly window: RelayWindow
  readonly readers = new SubscriberCount(SUBSCRIBER_WINDOW_MS, MAX_TRACKED_SUBSCRIBERS)
  readonly stop = new AbortController()
  /** What the home said last: its first retained and its last acknowledged seq. */
  homeFirst = 0
  homeLast = 0
  lastReadAt = Date.now()
  done: Promise<void> = Promise.resolve()

  constructor(from: number, limits: RelayWindowLimits) {
    this.window = new RelayWindow(from, limits)
  }
}

/**
 * The relays of one member: for each topic its subscribers read through this member
 * (`via_relay`: its own subscriptions, and those of clients that dialled it), ONE pull
 * from the topic's home feeds a bounded window of the newest committed messages, and every
 * subscriber's read is answered from that window. The home thus serves one reader per
 * relay instead of one per subscriber (Scribe's multicast tree, one level deep).
 *
 * Guarantees are the home's own: the window holds only what the home served (committed
 * entries), gap-free and in order (pullLog); a read below the window, below what the home
 * still retains, or beyond what the relay has pulled is passed to the home (no_redirect),
 * so TrimmedError and "from in the future" come from the home as before. Memory is
 * bounded (window per topic, `maxTopics`), and a slow subscriber costs nothing here: it
 * asks for pages, and once it falls below the window it reads the home's log.
 */
export class TopicRelays {
  readonly #c: TopicRelaysComponents
  readonly #init: TopicRelaysInit
  readonly #relays = new Map<string, Relay>()

  constructor(components: TopicRelaysComponents, init: TopicRelaysInit) {
    this.#c = components
    this.#init = init
  }

  /** Topics relayed here now. */
  get size(): number {
    return this.#relays.size
  }

  /** Subscribers this member's relay of `topic` serves (0: it relays no such topic). */
  subscribers(topic: Uint8Array): number {
    return this.#relays.get(topicKey(topic))?.readers.total ?? 0
  }

  /**
   * A subscriber's read (`caller`: its peer id, which with `op.subscription` tells one
   * subscriber from another), answered from the relay's window if it can.
   */
  async read(op: TopicOp, caller: string, signal: AbortSignal | undefined): Promise<TopicResult> {
    const from = Number(op.fromSeq)
    const key = topicKey(op.topic)
    let relay = this.#relays.get(key)
    if (relay === undefined) {
      // nothing pulled yet (the home says where the topic ends), or relaying enough topics
      if (from === 0 || this.#relays.size >= this.#init.maxTopics || this.#c.lifetime.aborted) {
        return this.#passToHome(op, signal)
      }
      relay = this.#start(key, op.topic, from)
    }
    relay.readers.saw(subscriberKey(caller, op))
    relay.lastReadAt = Date.now()
    if (from === 0) return this.#answer(relay, from, 0)
    const { window } = relay
    if (from < window.first || from < relay.homeFirst) return this.#passToHome(op, signal)
    const waitMs = Math.min(op.waitMs, this.#init.maxWaitMs)
    if (from >= window.next && waitMs > 0) {
      const waiting = [AbortSignal.timeout(waitMs), relay.stop.signal]
      await window.waitFor(
        from,
        AbortSignal.any(signal === undefined ? waiting : [...waiting, signal]),
      )
    }
    // beyond what this relay pulled (it lags, or `from` is in the future), or it ended
    if (from > window.next || (from === window.next && window.closed)) {
      return this.#passToHome(op, signal)
    }
    return this.#answer(relay, from, op.limit)
  }

  #answer(relay: Relay, from: number, limit: number): TopicResult {
    const { window } = relay
    const pageEntries = Math.min(limit || this.#init.pageEntries, this.#init.pageEntries)
    const entries = from === 0 ? [] : window.read(from, pageEntries, this.#init.pageBytes)
    this.#c.counters.topicRelayReads++
    return {
      seq: 0n,
      entries,
      lastSeq: BigInt(Math.max(relay.homeLast, window.next - 1)),
      firstSeq: BigInt(relay.homeFirst || window.first),
      useRelay: false,
    }
  }

  #passToHome(op: TopicOp, signal: AbortSignal | undefined): Promise<TopicResult> {
    this.#c.counters.topicRelayProxied++
    return this.#c.readHome(
      { ...op, viaRelay: false, noRedirect: true, relayedSubscribers: 0 },
      signal,
    )
  }

  #start(key: string, topic: Uint8Array, from: number): Relay {
    const relay = new Relay(from, this.#init.window)
    this.#relays.set(key, relay)
    relay.done = this.#pull(relay, topic, from)
      .catch((err: unknown) => {
        // a relay that cannot go on (e.g. it fell behind retention) ends; its readers read
        // the home, and the next read starts a fresh relay
        this.#c.logger.debug({ err }, 'a topic relay ended')
      })
      .finally(() => {
        relay.stop.abort()
        relay.window.close()
        if (this.#relays.get(key) === relay) this.#relays.delete(key)
      })
    return relay
  }

  /** The relay's one pull from the home, until nobody read it for `idleMs`. */
  async #pull(relay: Relay, topic: Uint8Array, first: number): Promise<void> {
    let from = first
    const { upstreamBatch, upstreamWaitMs, idleMs } = this.#init
    const signal = AbortSignal.any([relay.stop.signal, this.#c.lifetime])
    const op = (fields: Partial<TopicOp>): TopicOp => ({
      topic: topic as Uint8Array<ArrayBuffer>,
      fromSeq: 0n,
      limit: 0,
      waitMs: 0,
      viaRelay: false,
      noRedirect: true,
      relayedSubscribers: relay.readers.total,
      subscription: 0n,
      ...fields,
    })
    // a first reader far behind the log's end (a replay) would have the relay pull the whole
    // history through a window that keeps only its end: start at what the window would keep
    const ends = await this.#c.readHome(op({}), signal).catch(() => undefined)
    if (ends !== undefined) {
      relay.homeFirst = Number(ends.firstSeq)
      relay.homeLast = Number(ends.lastSeq)
      const start = Number(ends.lastSeq) + 1 - this.#init.window.maxEntries
      if (start > from) {
        relay.window.skipTo(start)
        from = start
      }
    }
    const entries = pullLog(
      async (read, s) => {
        if (Date.now() - relay.lastReadAt > idleMs) {
          relay.stop.abort()
          throw new Error('the relay is idle')
        }
        const result = await this.#c.readHome(
          op({ fromSeq: BigInt(read.fromSeq), limit: read.limit, waitMs: read.waitMs }),
          s,
        )
        relay.homeFirst = Number(result.firstSeq)
        relay.homeLast = Math.max(relay.homeLast, Number(result.lastSeq))
        // the whole answer at once (pullLog would hand it over one entry per turn); the
        // same rule as pullLog's: in order from `next`, a repeat skipped, a gap not taken
        relay.window.appendAll(result.entries)
        return result
      },
      { from, batch: upstreamBatch, waitMs: upstreamWaitMs, signal },
    )
    // pullLog keeps asking from where it delivered: the window holds what it delivered
    for await (const _ of entries) {
    }
  }

  /** Ends every relay (the member stops). */
  async stop(): Promise<void> {
    const relays = [...this.#relays.values()]
    for (const relay of relays) relay.stop.abort()
    await Promise.all(relays.map((r) => r.done))
  }
}

/** One subscriber: the authenticated caller and the subscription it names (it may run many). */
export function subscriberKey(caller: string, op: Pick<TopicOp, 'subscription'>): string {
  return `${caller}/${op.subscription}`
}

function topicKey(topic: Uint8Array): string {
  return Buffer.from(topic).toString('base64')
}
