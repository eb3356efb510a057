import { MessageType, type TopicOp, type TopicResult } from '@ringdht/protocol'
import {
  ForbiddenError,
  InvalidInputError,
  KeyTooLargeError,
  TrimmedError,
  ValueTooLargeError,
} from '../errors.js'
import { type KeyInput, toBytes } from '../operations.js'

/** Longest topic name, bytes. */
export const MAX_TOPIC_BYTES = 256

/** One message of a topic as a subscriber sees it. */
export interface TopicMessage {
  /** Its sequence number: gap-free and increasing per topic, from 1. */
  readonly seq: number
  readonly message: Uint8Array
  /** When the topic's home took it in, ms since the epoch (the home's clock). */
  readonly publishedAt: number
}

export interface PublishOptions {
  signal?: AbortSignal
}

export interface SubscribeOptions {
  /**
   * The first sequence number to deliver (replay from the retained log). Default: only
   * messages published after the subscription starts. A number below what the topic
   * retains fails with TrimmedError; one beyond the next message, with InvalidInputError.
   */
  from?: number
  /** Ends the subscription (the iteration returns). */
  signal?: AbortSignal
  /** Most messages fetched at once (what the home holds for this subscriber). Default 256. */
  batch?: number
  /** How long one fetch waits at the home for a new message, ms. Default 2000. */
  waitMs?: number
}

/** One topic operation, routed to the topic's home (TOPIC_PUBLISH or TOPIC_READ). */
export type TopicCall = (
  type: typeof MessageType.TOPIC_PUBLISH | typeof MessageType.TOPIC_READ,
  op: TopicOp,
  signal: AbortSignal | undefined,
) => Promise<TopicResult>

/** Errors a subscriber cannot get past by asking again: the caller must decide. */
const FATAL = [
  InvalidInputError,
  TrimmedError,
  KeyTooLargeError,
  ValueTooLargeError,
  ForbiddenError,
]

const MAX_BACKOFF_MS = 1000

/** Checks a topic name: non-empty, at most MAX_TOPIC_BYTES. */
export function topicBytes(topic: KeyInput): Uint8Array<ArrayBuffer> {
  const bytes = toBytes(topic, 'topic') as Uint8Array<ArrayBuffer>
  if (bytes.byteLength === 0) throw new InvalidInputError('a topic name is required')
  if (bytes.byteLength > MAX_TOPIC_BYTES) {
    throw new KeyTooLargeError(
      `topic name is ${bytes.byteLength} bytes; the limit is ${MAX_TOPIC_BYTES}`,
    )
  }
  return bytes
}

/**
 * Publish/subscribe on topics, as a member (`RingPeer`) and a client (`RingClient`) share
 * it. A topic is a home log (see homes/): its home gives each message the next sequence
 * number and answers once a write quorum holds it. A subscription pulls from the home,
 * one bounded batch at a time (the home keeps no queue per subscriber, so a slow one
 * costs it nothing), waiting there for the next message when it has seen them all. When
 * the home fails or moves, the subscription asks again from the last seq it delivered,
 * so it sees every acknowledged message, in order, without gaps, at least once.
 */
export class Topics {
  readonly #call: TopicCall
  readonly #closed: AbortSignal | undefined

  /** `closed`: aborted when the member or client closes; subscriptions end then. */
  constructor(call: TopicCall, closed?: AbortSignal) {
    this.#call = call
    this.#closed = closed
  }

  /** Publish `message` on `topic`: resolves with its seq once W replicas hold it. */
  async publish(
    topic: KeyInput,
    message: KeyInput,
    options: PublishOptions = {},
  ): Promise<{ seq: number }> {
    const op = topicOp(topicBytes(topic), {
      message: toBytes(message, 'message') as Uint8Array<ArrayBuffer>,
    })
    const result = await this.#call(MessageType.TOPIC_PUBLISH, op, options.signal)
    return { seq: Number(result.seq) }
  }

  /**
   * The topic's messages in sequence order, live, from `options.from` (or from now on):
   * at least once and in order across failures of the home and of the connection.
   * Ends when `options.signal` aborts; throws TrimmedError when it fell further behind
   * than the topic retains.
   */
  async *subscribe(topic: KeyInput, options: SubscribeOptions = {}): AsyncGenerator<TopicMessage> {
    const name = topicBytes(topic)
    const signal =
      this.#closed === undefined
        ? options.signal
        : AbortSignal.any([this.#closed, ...(options.signal ? [options.signal] : [])])
    const batch = options.batch ?? 256
    const waitMs = options.waitMs ?? 2000
    if (!Number.isInteger(batch) || batch < 1) throw new InvalidInputError('batch must be ≥ 1')
    if (options.from !== undefined && (!Number.isSafeInteger(options.from) || options.from < 1)) {
      throw new InvalidInputError('from must be a sequence number ≥ 1')
    }
    let next = options.from
    let failures = 0
    const stopped = () => signal?.aborted === true
    while (!stopped()) {
      let result: TopicResult
      try {
        // without `from`, the first fetch (from 0) only asks where the topic ends
        const op = topicOp(name, {
          fromSeq: BigInt(next ?? 0),
          limit: batch,
          waitMs: next === undefined ? 0 : waitMs,
        })
        result = await this.#call(MessageType.TOPIC_READ, op, signal)
        failures = 0
      } catch (err) {
        if (stopped()) return
        if (FATAL.some((type) => err instanceof type)) throw err
        failures++
        await pause(Math.min(MAX_BACKOFF_MS, 20 * 2 ** failures), signal)
        continue
      }
      if (next === undefined) {
        next = Number(result.lastSeq) + 1
        continue
      }
      for (const entry of result.entries) {
        const seq = Number(entry.seq)
        // a repeated answer (a retry that reached a home twice) never goes backwards
        if (seq < next) continue
        if (seq !== next) break
        next = seq + 1
        yield { seq, message: entry.data, publishedAt: Number(entry.publishedAt) }
        if (stopped()) return
      }
    }
  }
}

function topicOp(topic: Uint8Array<ArrayBuffer>, fields: Partial<TopicOp>): TopicOp {
  return { topic, fromSeq: 0n, limit: 0, waitMs: 0, ...fields }
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, { once: true })
  })
}
