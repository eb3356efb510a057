/**
 * The cases of the messaging comparison, run inside one system's client process against a
 * small backend (ringdht topics, Redis pub/sub, gossipsub), so every system gets the same
 * workload. Publisher and subscribers share the process, hence one monotonic clock: a
 * message carries the time its publish started, and a subscriber's delivery time minus that
 * is its publish-to-deliver latency. Every loop is bounded in count and in time.
 */
import { setTimeout as delay } from 'node:timers/promises'
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
const PUBLISH_TIMEOUT_MS = 5_000
const RETRY_PAUSE_MS = 50
/** How long a throughput slot waits for its message's delivery before it moves on. */
const DELIVER_TIMEOUT_MS = 5_000

/** "<index> <publish start, ms>" padded to PAYLOAD_BYTES; index −1 is a warm-up message. */
function payload(index: number): Uint8Array {
  return encoder.encode(`${index} ${performance.now()} `.padEnd(PAYLOAD_BYTES, '.'))
}

function parse(data: Uint8Array): { index: number; sentAt: number } | undefined {
  const [index, sentAt] = decoder.decode(data).split(' ')
  const i = Number(index)
  const t = Number(sentAt)
  return Number.isInteger(i) && Number.isFinite(t) ? { index: i, sentAt: t } : undefined
}

/** Who got what: per subscriber, the set of (topic, index) received, and latencies. */
class Inbox {
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
async function warmUp(
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

export interface KillCaseArgs {
  topic: string
  subscribers: number
  messages: number
  /** Pause after each acknowledged (or failed) publish. */
  paceMs: number
  /** Bound on the whole publish stream. */
  publishDeadlineMs: number
  /** How long a failed publish is tried again before the message is given up. */
  retryForMs: number
  warmUpTimeoutMs: number
}

export interface KillCaseResult {
  published: number
  acknowledged: number
  /** Messages given up after `retryForMs` of failed attempts. */
  givenUp: number
  /** Publish attempts that failed (each tried again). */
  failedAttempts: number
  /** Acknowledged messages at least one subscriber never received. */
  lost: number
  /** Sum over subscribers of acknowledged messages each missed. */
  lostDeliveries: number
  /** Messages given up but that subscribers received anyway. */
  unacknowledgedDelivered: number
  duplicates: number
  /** Longest time one publish took (the stall while the system failed over). */
  maxPublishMs: number
  errorSamples: string[]
}

/** A paced publish stream the driver breaks in the middle (kill-start, -progress, -finish). */
export class KillStream {
  private readonly inbox: Inbox
  private subscription: { close: () => Promise<void> } | undefined
  private stream: Promise<void> | undefined
  private readonly acked = new Set<number>()
  private readonly failedIndexes = new Set<number>()
  private published = 0
  private failedAttempts = 0
  private maxPublishMs = 0
  private readonly errors = new Map<string, number>()

  constructor(
    private readonly backend: PubSubBackend,
    private readonly args: KillCaseArgs,
  ) {
    this.inbox = new Inbox(args.subscribers)
  }

  async start(): Promise<void> {
    const { backend, args } = this
    this.subscription = await backend.subscribe([args.topic], args.subscribers, this.inbox.deliver)
    await warmUp(backend, this.inbox, [args.topic], args.warmUpTimeoutMs)
    const deadline = performance.now() + args.publishDeadlineMs
    this.stream = (async () => {
      for (let i = 0; i < args.messages && performance.now() < deadline; i++) {
        this.published++
        const began = performance.now()
        // as a publisher would: the same message again until acknowledged, within a bound
        for (;;) {
          try {
            await backend.publish(args.topic, payload(i), AbortSignal.timeout(PUBLISH_TIMEOUT_MS))
            this.acked.add(i)
            break
          } catch (err) {
            this.failedAttempts++
            const text = String(err).slice(0, 160)
            this.errors.set(text, (this.errors.get(text) ?? 0) + 1)
            if (performance.now() - began > args.retryForMs || performance.now() > deadline) {
              this.failedIndexes.add(i)
              break
            }
            await delay(RETRY_PAUSE_MS)
          }
        }
        this.maxPublishMs = Math.max(this.maxPublishMs, performance.now() - began)
        await delay(args.paceMs)
      }
    })()
  }

  progress(): { published: number; acknowledged: number } {
    return { published: this.published, acknowledged: this.acked.size }
  }

  /** Waits for the stream's end, then up to `waitMs` for every acknowledged message. */
  async finish(waitMs: number): Promise<KillCaseResult> {
    try {
      await this.stream
      const has = (seen: Set<string>, i: number) => seen.has(`${this.args.topic}#${i}`)
      const missing = () =>
        [...this.acked].filter((i) => this.inbox.received.some((seen) => !has(seen, i)))
      await this.inbox.until(() => missing().length === 0, performance.now() + waitMs)
      let lostDeliveries = 0
      for (const seen of this.inbox.received) {
        for (const i of this.acked) if (!has(seen, i)) lostDeliveries++
      }
      const unacknowledgedDelivered = [...this.failedIndexes].filter((i) =>
        this.inbox.received.some((seen) => has(seen, i)),
      ).length
      return {
        published: this.published,
        acknowledged: this.acked.size,
        givenUp: this.failedIndexes.size,
        failedAttempts: this.failedAttempts,
        lost: missing().length,
        lostDeliveries,
        unacknowledgedDelivered,
        duplicates: this.inbox.duplicates,
        maxPublishMs: round(this.maxPublishMs, 1),
        errorSamples: [...this.errors].slice(0, 5).map(([text, n]) => `${n} × ${text}`),
      }
    } finally {
      await this.subscription?.close()
    }
  }
}

/** The commands every messaging client process answers over the bench's IPC. */
export function pubSubCommands(backend: PubSubBackend) {
  let kill: KillStream | undefined
  const current = () => {
    if (kill === undefined) throw new Error('no kill case started')
    return kill
  }
  return {
    latency: (args: LatencyCaseArgs) => latencyCase(backend, args),
    throughput: (args: ThroughputCaseArgs) => throughputCase(backend, args),
    'kill-start': async (args: KillCaseArgs) => {
      kill = new KillStream(backend, args)
      await kill.start()
      return true
    },
    'kill-progress': async () => current().progress(),
    'kill-finish': async (args: { waitMs: number }) => {
      const result = await current().finish(args.waitMs)
      kill = undefined
      return result
    },
  }
}
