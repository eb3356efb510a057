import {
  ACCEPTOR_DEFAULTS,
  type AcceptorReply,
  acceptorStep,
  EMPTY_KEY_STATE,
  type KeyState,
  type ProposerMessage,
} from '@ringdht/consensus'
import { inHalfOpenInterval, type RingId, ringIdOf } from '@ringdht/ring'
import type { Table } from '@ringdht/store'
import { StoreFailedError } from '../errors.js'
import { decodeKeyState, encodeKeyState, keyBytes, keyString } from './paxos-wire.js'

/** Table keys: 'm' for the acceptor's own figures, 'k' + the register key for a key's state. */
const META_KEY = new Uint8Array([0x6d])
const KEY_PREFIX = 0x6b

function tableKey(key: string): Uint8Array {
  const bytes = keyBytes(key)
  const stored = new Uint8Array(bytes.byteLength + 1)
  stored[0] = KEY_PREFIX
  stored.set(bytes, 1)
  return stored
}

export interface DurableAcceptorInit {
  /** This acceptor's id: the member's peer id. */
  id: string
  /** See AcceptorInit.maxBallotJump. Default 2^20. */
  maxBallotJump?: number
}

/**
 * A CASPaxos acceptor whose promises and accepted values are on disk before it answers:
 * a promise forgotten in a restart could let two values be chosen. It steps with the
 * consensus package's pure `acceptorStep`, one key at a time (messages for one key wait
 * for each other, so no step reads a state another step is about to replace).
 *
 * The configuration epoch stays 0: replica sets here come from the ring's successor lists,
 * not from a configuration log that could number them (see the README's coordination
 * section), so nothing is fenced by epoch.
 */
export class DurableAcceptor {
  readonly id: string
  readonly #table: Table
  readonly #maxBallotJump: number
  readonly #queues = new Map<string, Promise<unknown>>()
  #highestCounter: number

  constructor(table: Table, init: DurableAcceptorInit) {
    this.id = init.id
    this.#table = table
    this.#maxBallotJump = init.maxBallotJump ?? ACCEPTOR_DEFAULTS.maxBallotJump
    const meta = table.get(META_KEY)
    this.#highestCounter = meta === undefined ? 0 : decodeCounter(meta)
  }

  /** Keys this acceptor holds a state for (hex strings, as the proposer names them). */
  *keys(): Iterable<string> {
    for (const [key] of this.#table.entries()) {
      if (key[0] === KEY_PREFIX) yield keyString(key.subarray(1))
    }
  }

  /**
   * Keys this acceptor holds a state for whose ring position lies in (start, end], in
   * key byte order, after `after`; at most `limit` (then `done` is false).
   */
  keysIn(
    start: RingId,
    end: RingId,
    after?: Uint8Array,
    limit = Number.POSITIVE_INFINITY,
  ): Uint8Array[] & { done?: boolean } {
    const keys: Uint8Array[] & { done?: boolean } = []
    keys.done = true
    // register keys are stored after one prefix byte: start right after `after`
    const from = after === undefined ? new Uint8Array([KEY_PREFIX]) : tableKey(keyString(after))
    for (const [stored] of this.#table.entries(from)) {
      if (stored[0] !== KEY_PREFIX) break
      const key = stored.subarray(1)
      if (start !== end && !inHalfOpenInterval(ringIdOf(key), start, end)) continue
      if (keys.length >= limit) {
        keys.done = false
        break
      }
      keys.push(Uint8Array.from(key))
    }
    return keys
  }

  keyState(key: string): KeyState {
    const bytes = this.#table.get(tableKey(key))
    return bytes === undefined ? EMPTY_KEY_STATE : decodeKeyState(bytes)
  }

  /** Answer a prepare or accept; the key's new state is durable before the answer returns. */
  receive(message: ProposerMessage): Promise<AcceptorReply> {
    const previous = this.#queues.get(message.key) ?? Promise.resolve()
    const next = previous.then(
      () => this.#step(message),
      () => this.#step(message),
    )
    this.#queues.set(message.key, next)
    void next
      .finally(() => {
        if (this.#queues.get(message.key) === next) this.#queues.delete(message.key)
      })
      .catch(() => {})
    return next
  }

  async #step(message: ProposerMessage): Promise<AcceptorReply> {
    const step = acceptorStep(this.keyState(message.key), message, {
      id: this.id,
      epoch: 0,
      highestCounter: this.#highestCounter,
      catchingUp: false,
      maxBallotJump: this.#maxBallotJump,
    })
    try {
      if (step.highestCounter > this.#highestCounter) {
        this.#highestCounter = step.highestCounter
        await this.#table.put(META_KEY, encodeCounter(step.highestCounter))
      }
      if (step.keyState !== undefined) {
        await this.#table.put(tableKey(message.key), encodeKeyState(step.keyState))
      }
    } catch (err) {
      throw new StoreFailedError(`acceptor state write failed: ${(err as Error).message}`, {
        cause: err,
      })
    }
    return step.reply
  }
}

function encodeCounter(counter: number): Uint8Array {
  const bytes = new Uint8Array(8)
  new DataView(bytes.buffer).setFloat64(0, counter)
  return bytes
}

function decodeCounter(bytes: Uint8Array): number {
  if (bytes.byteLength !== 8) return 0
  return new DataView(bytes.buffer, bytes.byteOffset, 8).getFloat64(0)
}
