/**
 * The member-kill case of the messaging comparison, inside a system's client process: a
 * paced publish stream the driver breaks in the middle (kill-start, kill-progress, SIGKILL
 * from the driver, kill-finish), then the acknowledged messages some subscriber never got.
 */
import { setTimeout as delay } from 'node:timers/promises'
import { round } from '../stats.js'
import {
  Inbox,
  PUBLISH_TIMEOUT_MS,
  type PubSubBackend,
  payload,
  warmUp,
} from './pubsub-workload.js'

const RETRY_PAUSE_MS = 50

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
    try {
      await warmUp(backend, this.inbox, [args.topic], args.warmUpTimeoutMs)
    } catch (err) {
      await this.subscription.close()
      throw err
    }
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
