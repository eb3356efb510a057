import { TypedEventEmitter } from 'main-event'

/** Who coordinates a group as this member sees it, and the coordinator's fencing term. */
export interface BullyLeader {
  /** The coordinator's peer id; undefined while an election runs or no one has a term yet. */
  readonly leader: string | undefined
  /** The coordinator's term; while there is none, the highest term seen so far (0: none). */
  readonly term: number
}

export type BullyGroupEvents = { change: CustomEvent<BullyLeader> }

/**
 * The coordinator as one member sees it, and its changes: read `current`, listen for
 * 'change', or iterate `changes()`. The election behind it publishes; closing ends it.
 */
export class LeaderFeed extends TypedEventEmitter<BullyGroupEvents> {
  protected readonly lifetime = new AbortController()
  #current: BullyLeader = { leader: undefined, term: 0 }

  /** The coordinator as this member sees it (see `BullyLeader`). */
  get current(): BullyLeader {
    return this.#current
  }

  get leader(): string | undefined {
    return this.#current.leader
  }

  get term(): number {
    return this.#current.term
  }

  get closed(): boolean {
    return this.lifetime.signal.aborted
  }

  /**
   * The coordinators as they change: the current one first, then each change, until
   * `signal` aborts or the group closes.
   */
  async *changes(options: { signal?: AbortSignal } = {}): AsyncGenerator<BullyLeader> {
    const queue: BullyLeader[] = [this.#current]
    let wake: (() => void) | undefined
    const onChange = (event: CustomEvent<BullyLeader>) => {
      queue.push(event.detail)
      wake?.()
    }
    const onEnd = () => wake?.()
    const end = this.lifetime.signal
    this.addEventListener('change', onChange)
    options.signal?.addEventListener('abort', onEnd)
    end.addEventListener('abort', onEnd)
    try {
      for (;;) {
        const next = queue.shift()
        if (next !== undefined) yield next
        else if (end.aborted || options.signal?.aborted) return
        else await new Promise<void>((resolve) => (wake = resolve))
      }
    } finally {
      this.removeEventListener('change', onChange)
      options.signal?.removeEventListener('abort', onEnd)
      end.removeEventListener('abort', onEnd)
    }
  }

  /** Show `next` to callers; true when it differs from what they saw. */
  protected publish(next: BullyLeader): boolean {
    if (next.leader === this.#current.leader && next.term === this.#current.term) return false
    this.#current = next
    this.safeDispatchEvent('change', { detail: next })
    return true
  }
}

/** `work`'s result, or a rejection with the signal's reason once `signal` aborts. */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason)
    if (signal.aborted) onAbort()
    signal.addEventListener('abort', onAbort, { once: true })
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
  })
}
