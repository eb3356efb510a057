import type { RingClient } from '../../src/client/ring-client.js'
import { type HistoryFile, seqOf, writtenValue } from './history.js'

export interface WorkloadInit {
  workers: number
  keysPerWorker: number
  /** Time zero of the history. */
  epoch: number
}

/**
 * Workers that put and get their own keys (one writer per key, so the checker knows the
 * order of each key's writes) as fast as the ring answers, recording every operation.
 */
export class Workload {
  readonly #clients: () => RingClient[]
  readonly #history: HistoryFile
  readonly #init: WorkloadInit
  readonly #seqs = new Map<string, number>()
  #running = false
  #loops: Promise<void>[] = []
  #ackWaiters: Array<() => void> = []

  constructor(clients: () => RingClient[], history: HistoryFile, init: WorkloadInit) {
    this.#clients = clients
    this.#history = history
    this.#init = init
  }

  get keys(): string[] {
    return [...this.#seqs.keys()]
  }

  start(): void {
    this.#running = true
    this.#loops = Array.from({ length: this.#init.workers }, (_, w) => this.#loop(w))
  }

  /** Stop the workers and wait for their operations in flight. Idempotent. */
  async stop(): Promise<void> {
    this.#running = false
    await Promise.all(this.#loops)
  }

  /** Resolves at the next acknowledged put (kill-all strikes right after one). */
  nextAck(): Promise<void> {
    return new Promise((resolve) => this.#ackWaiters.push(resolve))
  }

  /** Read every key written once more, recorded as the final reads. */
  async finalReads(client: RingClient): Promise<void> {
    for (const key of this.keys) {
      let last: unknown
      for (let attempt = 0; attempt < 5; attempt++) {
        const start = this.#now()
        try {
          const found = await client.get(key)
          const value = found === undefined ? null : new TextDecoder().decode(found.value)
          this.#history.record({
            kind: 'get',
            key,
            start,
            end: this.#now(),
            outcome: 'ok',
            read: value === null ? null : (seqOf(key, value) ?? Number.MAX_SAFE_INTEGER),
            phase: 'final',
          })
          last = undefined
          break
        } catch (err) {
          last = err
          await new Promise((resolve) => setTimeout(resolve, 200 * (attempt + 1)))
        }
      }
      if (last !== undefined) {
        const now = this.#now()
        this.#history.record({
          kind: 'get',
          key,
          start: now,
          end: now,
          outcome: 'fail',
          error: (last as Error).message,
          phase: 'final',
        })
      }
    }
  }

  async #loop(w: number): Promise<void> {
    let turn = 0
    while (this.#running) {
      const clients = this.#clients()
      const client = clients[(w + turn++) % clients.length] as RingClient
      const key = `w${w}-k${Math.floor(Math.random() * this.#init.keysPerWorker)}`
      if (Math.random() < 0.5 || !this.#seqs.has(key)) await this.#put(client, key)
      else await this.#get(client, key)
    }
  }

  async #put(client: RingClient, key: string): Promise<void> {
    const seq = (this.#seqs.get(key) ?? 0) + 1
    this.#seqs.set(key, seq)
    const start = this.#now()
    try {
      await client.put(key, writtenValue(key, seq))
      this.#history.record({
        kind: 'put',
        key,
        seq,
        start,
        end: this.#now(),
        outcome: 'ok',
        phase: 'load',
      })
      const waiters = this.#ackWaiters
      this.#ackWaiters = []
      for (const resolve of waiters) resolve()
    } catch (err) {
      this.#history.record({
        kind: 'put',
        key,
        seq,
        start,
        end: this.#now(),
        outcome: 'fail',
        error: (err as Error).message,
        phase: 'load',
      })
    }
  }

  async #get(client: RingClient, key: string): Promise<void> {
    const start = this.#now()
    try {
      const found = await client.get(key, { trace: true })
      const value = found === undefined ? null : new TextDecoder().decode(found.value)
      this.#history.record({
        kind: 'get',
        key,
        start,
        end: this.#now(),
        outcome: 'ok',
        read: value === null ? null : (seqOf(key, value) ?? Number.MAX_SAFE_INTEGER),
        ...(found?.path === undefined ? {} : { path: found.path }),
        phase: 'load',
      })
    } catch (err) {
      this.#history.record({
        kind: 'get',
        key,
        start,
        end: this.#now(),
        outcome: 'fail',
        error: (err as Error).message,
        phase: 'load',
      })
    }
  }

  #now(): number {
    return performance.now() - this.#init.epoch
  }
}
