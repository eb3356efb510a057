import type { ServerResponse } from 'node:http'
import type { GatewayCoordination } from '../gateway-context.js'
import { EventHub } from '../sse.js'

/** A leader of an election as the streams send it (null: none right now). */
export interface LeaderEvent {
  leader: string | null
  term: number
}

interface Watch {
  hub: EventHub
  stop: AbortController
  latest: LeaderEvent | undefined
  /** Stop observing, end its streams and forget it. */
  retire(): void
}

export interface ElectionStreamsInit {
  /** Election streams open at once, over all elections. */
  maxStreams: number
  maxBufferedBytes: number
  heartbeatMs: number
  /** How often a watched election's leader is read, ms. */
  intervalMs: number
}

/**
 * The `leader` event streams of elections: one `observe` of an election runs while at
 * least one stream of it is open, and its changes fan out through an EventHub of its
 * own (heartbeats, slow readers cut off, Last-Event-ID resume while it runs). The number
 * of streams is bounded over all elections together.
 */
export class ElectionStreams {
  readonly #watches = new Map<string, Watch>()
  readonly #init: ElectionStreamsInit
  #open = 0
  #closed = false

  constructor(init: ElectionStreamsInit) {
    this.#init = init
  }

  get full(): boolean {
    return this.#closed || this.#open >= this.#init.maxStreams
  }

  /**
   * Turn `res` into the stream of the election `name`; false (`res` untouched) when
   * full, so the caller can answer 503.
   */
  open(
    coordination: GatewayCoordination,
    name: Uint8Array,
    res: ServerResponse,
    lastEventId: string | undefined,
  ): boolean {
    if (this.full) return false
    const watch = this.#watchOf(coordination, name)
    const opened = watch.hub.open(res, {
      lastEventId,
      initial: () =>
        watch.latest === undefined ? [] : [{ event: 'leader', data: JSON.stringify(watch.latest) }],
    })
    if (!opened && watch.hub.size === 0) watch.retire()
    return opened
  }

  /** End every stream and stop every observation (the gateway is stopping). */
  close(): void {
    this.#closed = true
    for (const watch of [...this.#watches.values()]) watch.retire()
  }

  #watchOf(coordination: GatewayCoordination, name: Uint8Array): Watch {
    const id = Buffer.from(name).toString('hex')
    const existing = this.#watches.get(id)
    if (existing !== undefined) return existing
    const hub = new EventHub({
      maxStreams: this.#init.maxStreams,
      maxBufferedBytes: this.#init.maxBufferedBytes,
      heartbeatMs: this.#init.heartbeatMs,
      history: 16,
    })
    const watch: Watch = {
      hub,
      stop: new AbortController(),
      latest: undefined,
      retire: () => {
        if (this.#watches.get(id) === watch) this.#watches.delete(id)
        watch.stop.abort()
        hub.close()
      },
    }
    this.#watches.set(id, watch)
    let streams = 0
    hub.onChange = (open) => {
      this.#open += open - streams
      streams = open
      // the last reader left: stop reading the leader until someone asks again
      if (open === 0) watch.retire()
    }
    void this.#follow(coordination, name, watch)
    return watch
  }

  async #follow(coordination: GatewayCoordination, name: Uint8Array, watch: Watch): Promise<void> {
    const { signal } = watch.stop
    try {
      for await (const change of coordination.observe(name, {
        signal,
        intervalMs: this.#init.intervalMs,
      })) {
        watch.latest = { leader: change.leader ?? null, term: change.term }
        watch.hub.publish('leader', watch.latest)
      }
    } catch (err) {
      if (signal.aborted) return
      // observe gives up only on errors it cannot wait out: say so and end the streams
      watch.hub.publish('error', { message: (err as Error)?.message ?? String(err) })
      watch.retire()
    }
  }
}
