import type { RingNode } from '../core/ring-node.js'
import { FencedError } from '../errors.js'
import type { HomeLogDeps } from './home-log.js'

/** What a follower reads from its home log. */
export interface FollowerLink {
  readonly deps: HomeLogDeps
  readonly epoch: number
  readonly lost: AbortSignal
  localLast(): number
  commit(): number
  retainFrom(): number
  /** The replica acknowledged more: the commit point may move. */
  acked(): void
  /** The replica promised a higher epoch: this home is fenced. */
  fenced(err: FencedError): void
}

const MAX_BACKOFF_MS = 1000

/**
 * Keeps one replica of a home log up to date: one append in flight at a time, each
 * carrying what the home wrote since the last one (so entries arrive in order and batch
 * themselves under load). A replica that refuses the entry before a batch (it missed some,
 * or holds another home's uncommitted ones) is sent from its commit point instead; one
 * that is unreachable is retried with a growing pause while it stays in the replica set.
 */
export class LogFollower {
  readonly node: RingNode
  /** The last seq this replica is known to hold as the home does. */
  match = 0
  #next: number
  readonly #link: FollowerLink
  readonly #stopped = new AbortController()
  #wake: (() => void) | undefined

  constructor(node: RingNode, next: number, link: FollowerLink) {
    this.node = node
    this.#next = Math.max(1, next)
    this.#link = link
  }

  wake(): void {
    this.#wake?.()
  }

  stop(): void {
    this.#stopped.abort()
    this.wake()
  }

  run(): void {
    void this.#loop().catch((err: unknown) => {
      this.#link.deps.logger.debug({ err, replica: this.node.key }, 'log follower ended')
    })
  }

  async #loop(): Promise<void> {
    const { deps } = this.#link
    const signal = AbortSignal.any([this.#stopped.signal, this.#link.lost])
    let failures = 0
    // a first append even when there is nothing new: it tells the replica the epoch
    let greeted = false
    while (!signal.aborted) {
      if (greeted && this.match >= this.#link.localLast()) {
        await new Promise<void>((resolve) => {
          this.#wake = resolve
          if (this.match < this.#link.localLast() || signal.aborted) resolve()
        })
        this.#wake = undefined
        continue
      }
      const local = deps.replicas.state(deps.key)
      let next = this.#next
      let prevSeq = next - 1
      let prevEpoch = prevSeq === 0 ? 0 : (deps.replicas.entryAt(deps.key, prevSeq)?.epoch ?? 0)
      if (next < local.firstSeq) {
        next = local.firstSeq
        prevSeq = next - 1
        prevEpoch = 0
      }
      const entries = deps.replicas.read(
        deps.key,
        next,
        deps.batch.entries,
        deps.batch.bytes,
        this.#link.localLast(),
      )
      try {
        const reply = await deps.sendAppend(
          this.node,
          {
            epoch: this.#link.epoch,
            prevSeq,
            prevEpoch,
            entries,
            commit: this.#link.commit(),
            retainFrom: this.#link.retainFrom(),
          },
          signal,
        )
        failures = 0
        greeted = true
        if (reply.matched) {
          this.match = Math.max(this.match, prevSeq + entries.length)
          this.#next = this.match + 1
          this.#link.acked()
        } else {
          // below its commit point a replica holds what every replica holds
          this.#next = Math.max(1, Math.min(next - 1, reply.state.commit + 1))
        }
      } catch (err) {
        if (err instanceof FencedError) {
          this.#link.fenced(err)
          return
        }
        if (signal.aborted) return
        failures++
        const pause = Math.min(MAX_BACKOFF_MS, 25 * 2 ** failures) * (0.5 + Math.random() / 2)
        await sleep(pause, signal)
      }
    }
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
  })
}
