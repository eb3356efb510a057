import { MessageType, type TopicOp, type TopicResult } from '@ringdht/protocol'
import { InvalidInputError, KeyTooLargeError } from '../errors.js'
import { type KeyInput, toBytes } from '../operations.js'
import { pullLog } from './log-pull.js'
import { subscriberRoute } from './subscriber-route.js'
import { retentionFromWire, retentionToWire, type TopicRetention } from './topic-retention.js'

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

/** One topic operation, routed to the topic's home (publish, read or configure). */
export type TopicCall = (
  type:
    | typeof MessageType.TOPIC_PUBLISH
    | typeof MessageType.TOPIC_READ
    | typeof MessageType.TOPIC_CONFIGURE,
  op: TopicOp,
  signal: AbortSignal | undefined,
) => Promise<TopicResult>

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
 * so it sees every acknowledged message, in order, without gaps, at least once. A topic
 * with more subscribers than its home's fan-out threshold is read through relays instead
 * (see topics-capability.ts and subscriber-route.ts), with the same guarantees.
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
   * Set how much of `topic` its home retains: at most `retainCount` messages, none older
   * than `retainMs` (0: the ring's default for that bound). Kept in a coordination
   * register, so every later home of the topic applies it; resolves with the setting.
   */
  async configure(topic: KeyInput, retention: TopicRetention, options: PublishOptions = {}) {
    const wire = retentionToWire(retention)
    const result = await this.#call(
      MessageType.TOPIC_CONFIGURE,
      topicOp(topicBytes(topic), { retention: wire }),
      options.signal,
    )
    return retentionFromWire(result.retention ?? wire)
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
    if (!Number.isInteger(batch) || batch < 1) throw new InvalidInputError('batch must be ≥ 1')
    if (options.from !== undefined && (!Number.isSafeInteger(options.from) || options.from < 1)) {
      throw new InvalidInputError('from must be a sequence number ≥ 1')
    }
    // names this subscription to the home, which counts its subscribers (fan-out threshold)
    const subscription = BigInt(Math.floor(Math.random() * 2 ** 53)) + 1n
    const route = subscriberRoute(
      (op, s) => this.#call(MessageType.TOPIC_READ, op, s),
      (fields) => topicOp(name, { ...fields, subscription }),
    )
    const entries = pullLog(route, {
      batch,
      waitMs: options.waitMs ?? 2000,
      ...(options.from === undefined ? {} : { from: options.from }),
      ...(signal === undefined ? {} : { signal }),
    })
    for await (const entry of entries) {
      yield { seq: Number(entry.seq), message: entry.data, publishedAt: Number(entry.publishedAt) }
    }
  }
}

function topicOp(topic: Uint8Array<ArrayBuffer>, fields: Partial<TopicOp>): TopicOp {
  return {
    topic,
    fromSeq: 0n,
    limit: 0,
    waitMs: 0,
    viaRelay: false,
    noRedirect: false,
    relayedSubscribers: 0,
    subscription: 0n,
    ...fields,
  }
}
