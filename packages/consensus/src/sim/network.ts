import type { EventQueue } from './event-queue.js'
import { prngFor } from './prng.js'

export interface NetworkInit {
  /** Probability that a message is lost. Default 0.05. */
  loss?: number
  /** Probability that a delivered message is delivered twice. Default 0.03. */
  duplicate?: number
  /** Smallest one-way delay, virtual time. Default 1. */
  minDelay?: number
  /** Largest one-way delay; independent random delays reorder messages. Default 20. */
  maxDelay?: number
}

export const NETWORK_DEFAULTS = { loss: 0.05, duplicate: 0.03, minDelay: 1, maxDelay: 20 } as const

/**
 * A lossy, duplicating, reordering network on the virtual clock. Each message's fate
 * (lost, delayed by how much, duplicated) comes from the run's seed and the message's name,
 * not from a shared stream, so a run with one operation removed keeps every other fate.
 */
export class SimNetwork {
  readonly #queue: EventQueue
  readonly #seed: number
  readonly #loss: number
  readonly #duplicate: number
  readonly #minDelay: number
  readonly #maxDelay: number
  #sent = 0

  constructor(queue: EventQueue, seed: number, init: NetworkInit = {}) {
    this.#queue = queue
    this.#seed = seed
    this.#loss = init.loss ?? NETWORK_DEFAULTS.loss
    this.#duplicate = init.duplicate ?? NETWORK_DEFAULTS.duplicate
    this.#minDelay = init.minDelay ?? NETWORK_DEFAULTS.minDelay
    this.#maxDelay = init.maxDelay ?? NETWORK_DEFAULTS.maxDelay
  }

  /** Messages handed to the network so far. */
  get sent(): number {
    return this.#sent
  }

  /**
   * Sends one message named `name` (unique within the run); `deliver` runs at the
   * receiver zero, one or two times.
   */
  send(name: string, deliver: () => void): void {
    this.#sent++
    const prng = prngFor(this.#seed, name)
    if (prng.chance(this.#loss)) return
    const copies = prng.chance(this.#duplicate) ? 2 : 1
    for (let i = 0; i < copies; i++) {
      this.#queue.after(prng.between(this.#minDelay, this.#maxDelay), deliver)
    }
  }
}
