/**
 * The latency and throughput cases of the messaging comparison (the member kill is in
 * kill-stream.ts), run inside one system's client process against a
 * small backend (ringdht topics, Redis pub/sub, gossipsub), so every system gets the same
 * workload. Publisher and subscribers share the process, hence one monotonic clock: a
 * message carries the time its publish started, and a subscriber's delivery time minus that
 * is its publish-to-deliver latency. Every loop is bounded in count and in time.
 */
import { round, summarizeLatencies } from '../stats.js'

/** What a system's client process implements; `publish` resolves once acknowledged. */
export interface PubSubBackend {
  /**
   * Starts `subscribers` subscribers, each on every topic; resolves once each one is
   * subscribed (a warm-up message then proves it). `deliver(subscriber, topic, data)`.
   */
  subscribe(
    topics: string[],
    subscribers: number,
    deliver: (subscriber: number, topic: string, data: Uint8Array) => void,
  ): Promise<{ close: () => Promise<void> }>
  publish(topic: string, data: Uint8Array, signal: AbortSignal): Promise<void>
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()
/** Payload size: the header, padded with spaces. */
const PAYLOAD_BYTES = 100
export const PUBLISH_TIMEOUT_MS = 5_000
/** How long a throughput slot waits for its message's delivery before it moves on. */
const DELIVER_TIMEOUT_MS = 5_000

/** "<index> <publish start, ms>" padded to PAYLOAD_BYTES; index −1 is a warm-up message. */
export function payload(index: number): Uint8Array {
  return encoder.encode(`${index} ${performance.now()} `.padEnd(PAYLOAD_BYTES, '.'))
}

function parse(data: Uint8Array): { index: number; sentAt: number } | undefined {
  const [index, sentAt] = decoder.decode(data).split(' ')
  const i = Number(index)
  const t = Number(sentAt)
  return Number.isInteger(i) && Number.isFinite(t) ? { index: i, sentAt: t } : undefined
}

/** Who got what: per subscriber, the set of (topic, index) received, and latencies. */
export class Inbox {
  readonly received: Array<Set<string>>
  readonly warmed: Array<Set<string>>
  readonly latenciesMs: number[] = []
  duplicates = 0
  private waiters: Array<() => void> = []

  constructor(subscribers: number) {
    this.received = Array.from({ length: subscribers }, () => new Set<string>())
    this.warmed = Array.from({ length: subscribers }, () => new Set<string>())
  }

  readonly deliver = (subscriber: number, topic: string, data: Uint8Array): void => {
    const now = performance.now()
    const parsed = parse(data)
    if (parsed === undefined) return
    if (parsed.index < 0) {
      this.warmed[subscriber]?.add(topic)
    } else {
      const seen = this.received[subscriber]
      const id = `${topic}#${parsed.index}`
      if (seen === undefined) return
      if (seen.has(id)) this.duplicates++
      else {
        seen.add(id)
        this.latenciesMs.push(now - parsed.sentAt)
      }
    }
    const waiters = this.waiters
    this.waiters = []
    for (const wake of waiters) wake()
  }

  /** Resolves true once `done()` holds, false at the deadline; woken by each delivery. */
  async until(done: () => boolean, deadline: number): Promise<boolean> {
    while (!done()) {
      const left = deadline - performance.now()
      if (left <= 0) return false
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 50))
        this.waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
    return true
  }

  everyoneHas(topic: string, index: number): boolean {
    return this.received.every((seen) => seen.has(`${topic}#${index}`))
  }
}

/**
 * Publishes warm-up messages on every topic until every subscriber got one on each (the
 * subscriptions are live, gossipsub's mesh has formed); bounded by `timeoutMs`.
 */
export async function warmUp(
  backend: PubSubBackend,
  inbox: Inbox,
  topics: string[],
  timeoutMs: number,
): Promise<void> {
  const deadline = performance.now() + timeoutMs
  const warm = () => inbox.warmed.every((seen) => topics.every((t) => seen.has(t)))
  while (!warm()) {
    if (performance.now() > deadline) {
      const cold = inbox.warmed.filter((seen) => !topics.every((t) => seen.has(t))).length
      throw new Error(`${cold} subscribers got no warm-up message within ${timeoutMs} ms`)
    }
    for (const topic of topics) {
      await backend
        .publish(topic, payload(-1), AbortSignal.timeout(PUBLISH_TIMEOUT_MS))
        .catch(() => {})
    }
    await inbox.until(warm, Math.min(deadline, performance.now() + 250))
  }
}

export interface LatencyCaseArgs {
  topic: string
  subscribers: number
  messages: number
  timeLimitMs: number
  warmUpTimeoutMs: number
  /** How long one message may take to reach every subscriber before the next is sent. */
  deliverTimeoutMs: number
}

export interface LatencyCaseResult {
  subscribers: number
  published: number
  acknowledged: number
  /** (message, subscriber) deliveries measured. */
  samples: number
  /** Acknowledged messages some subscriber had not received within deliverTimeoutMs. */
  late: number
  p50Ms: number
  p99Ms: number
  maxMs: number
  duplicates: number
}

/** One message at a time: publish, wait until every subscriber has it, next. */
export async function latencyCase(
  backend: PubSubBackend,
  args: LatencyCaseArgs,
): Promise<LatencyCaseResult> {
  const inbox = new Inbox(args.subscribers)
  const subscription = await backend.subscribe([args.topic], args.subscribers, inbox.deliver)
  try {
    await warmUp(backend, inbox, [args.topic], args.warmUpTimeoutMs)
    const deadline = performance.now() + args.timeLimitMs
    let published = 0
    let acknowledged = 0
    let late = 0
    for (let i = 0; i < args.messages && performance.now() < deadline; i++) {
      published++
      try {
        await backend.publish(args.topic, payload(i), AbortSignal.timeout(PUBLISH_TIMEOUT_MS))
        acknowledged++
      } catch {
        continue
      }
      const reached = await inbox.until(
        () => inbox.everyoneHas(args.topic, i),
        Math.min(deadline, performance.now() + args.deliverTimeoutMs),
      )
      if (!reached) late++
    }
    const summary = summarizeLatencies(inbox.latenciesMs)
    return {
      subscribers: args.subscribers,
      published,
      acknowledged,
      samples: summary.count,
      late,
      p50Ms: round(summary.p50, 2),
      p99Ms: round(summary.p99, 2),
      maxMs: round(summary.max, 2),
      duplicates: inbox.duplicates,
    }
  } finally {
    await subscription.close()
  }
}

export interface ThroughputCaseArgs {
  topics: string[]
  messages: number
  /** Messages in flight, from publish to delivery. */
  concurrency: number
  timeLimitMs: number
  warmUpTimeoutMs: number
}

export interface ThroughputCaseResult {
  topics: number
  published: number
  acknowledged: number
  delivered: number
  /** Messages delivered ÷ seconds from the first publish to the last delivery. */
  messagesPerSec: number
  elapsedMs: number
  p50Ms: number
  p99Ms: number
}

/** One subscriber on every topic; `messages` published round-robin over the topics. */
export async function throughputCase(
  backend: PubSubBackend,
  args: ThroughputCaseArgs,
): Promise<ThroughputCaseResult> {
  const inbox = new Inbox(1)
  const subscription = await backend.subscribe(args.topics, 1, inbox.deliver)
  try {
    await warmUp(backend, inbox, args.topics, args.warmUpTimeoutMs)
    const started = performance.now()
    const deadline = started + args.timeLimitMs
    let next = 0
    let acknowledged = 0
    const acked = new Set<string>()
    const seen = inbox.received[0] as Set<string>
    const publisher = async () => {
      while (next < args.messages && performance.now() < deadline) {
        const i = next++
        const topic = args.topics[i % args.topics.length] as string
        try {
          await backend.publish(topic, payload(i), AbortSignal.timeout(PUBLISH_TIMEOUT_MS))
          acknowledged++
          acked.add(`${topic}#${i}`)
        } catch {
          // counted as published, not acknowledged
          continue
        }
        // the slot frees when the message is delivered: gossipsub's publish resolves once
        // queued, so "in flight" counts to delivery for every system alike
        const id = `${topic}#${i}`
        await inbox.until(
          () => seen.has(id),
          Math.min(deadline, performance.now() + DELIVER_TIMEOUT_MS),
        )
      }
    }
    await Promise.all(Array.from({ length: args.concurrency }, publisher))
    await inbox.until(() => [...acked].every((id) => seen.has(id)), deadline)
    const elapsedMs = performance.now() - started
    const summary = summarizeLatencies(inbox.latenciesMs)
    return {
      topics: args.topics.length,
      published: next,
      acknowledged,
      delivered: seen.size,
      messagesPerSec: round((seen.size * 1000) / elapsedMs, 1),
      elapsedMs: round(elapsedMs, 1),
      p50Ms: round(summary.p50, 2),
      p99Ms: round(summary.p99, 2),
    }
  } finally {
    await subscription.close()
  }
}
