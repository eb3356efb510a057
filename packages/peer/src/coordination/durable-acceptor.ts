import {
  ACCEPTOR_DEFAULTS,
  type AcceptorReply,
  acceptorStep,
  type Ballot,
  EMPTY_KEY_STATE,
  type KeyState,
  type ProposerMessage,
  type RegisterState,
} from '@ringdht/consensus'
import { inHalfOpenInterval, type RingId, ringIdOf } from '@ringdht/ring'
import type { Table } from '@ringdht/store'
import { StoreFailedError } from '../errors.js'
import { decodeKeyState, encodeKeyState, keyBytes, keyString } from './paxos-wire.js'

/**
 * Table keys: 'm' for the acceptor's own figures, 's' for whether the table holds every
 * promise made under this identity, 'k' + the register key for a key's state.
 */
const META_KEY = new Uint8Array([0x6d])
const STANDING_KEY = new Uint8Array([0x73])
const KEY_PREFIX = 0x6b

/** STANDING_KEY's byte: the table is whole, or it was lost and keys are caught up one by one. */
const WHOLE = 1
const CATCHING_UP = 2

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
  /**
   * True when the member's identity was made at this start: an empty table is then a new
   * acceptor's. False: an empty table under an identity that existed before may be one
   * whose state was lost (a wiped or replaced disk), and it must not vote as if it had
   * never promised anything. Default true.
   */
  identityIsNew?: boolean
  /** Called when a key was refused because this acceptor is catching up and lacks it. */
  onMissingKey?: (key: string) => void
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
 *
 * An acceptor whose table was lost (found empty under an identity that is not new) is
 * catching up: it refuses every message for a key it holds no state for (ERR_CATCHING_UP)
 * and asks `onMissingKey` to catch the key up; `caughtUp(key)` then lets it vote on that
 * key again, from an empty state. A naive restart would answer a prepare with "nothing
 * accepted" and could form a quorum that misses a chosen value (see KeyCatchUp for when
 * an empty state becomes safe). Keys it holds a state for were written since the loss,
 * so they are whole. The catching-up standing is on disk: a restart keeps it.
 */
export class DurableAcceptor {
  readonly id: string
  readonly #table: Table
  readonly #maxBallotJump: number
  readonly #queues = new Map<string, Promise<unknown>>()
  readonly #onMissingKey: (key: string) => void
  /** Resolves once the table's standing is on disk; every step waits for it. */
  readonly #opened: Promise<void>
  #highestCounter: number
  #catchingUp: boolean

  constructor(table: Table, init: DurableAcceptorInit) {
    this.id = init.id
    this.#table = table
    this.#maxBallotJump = init.maxBallotJump ?? ACCEPTOR_DEFAULTS.maxBallotJump
    this.#onMissingKey = init.onMissingKey ?? (() => {})
    const meta = table.get(META_KEY)
    this.#highestCounter = meta === undefined ? 0 : decodeCounter(meta)
    const standing = table.get(STANDING_KEY)?.[0]
    // a table from before the standing was kept, with states in it, is whole
    const whole =
      standing === WHOLE ||
      (standing === undefined && ((init.identityIsNew ?? true) || table.size > 0))
    this.#catchingUp = !whole
    this.#opened =
      standing === undefined
        ? table.put(STANDING_KEY, new Uint8Array([whole ? WHOLE : CATCHING_UP]))
        : Promise.resolve()
    this.#opened.catch(() => {})
  }

  /** True while this acceptor lost its state and refuses keys it has not caught up. */
  get catchingUp(): boolean {
    return this.#catchingUp
  }

  /**
   * `key` was decided at `decided.ballot` by a quorum without this acceptor after the loss
   * (see KeyCatchUp): from now on it votes on `key`, having promised that ballot and
   * accepted the decided state at it. No-op for a key it holds.
   */
  caughtUp(key: string, decided: { ballot: Ballot; state: RegisterState }): Promise<void> {
    return this.#enqueue(key, async () => {
      await this.#opened
      if (this.#table.get(tableKey(key)) !== undefined) return
      const state = { promised: decided.ballot, accepted: decided.ballot, state: decided.state }
      const writes = [this.#table.put(tableKey(key), encodeKeyState(state))]
      if (decided.ballot.counter > this.#highestCounter) {
        this.#highestCounter = decided.ballot.counter
        writes.push(this.#table.put(META_KEY, encodeCounter(decided.ballot.counter)))
      }
      await Promise.all(writes)
    })
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

  /** True when this acceptor holds a state for `key` (it took part in the key's rounds). */
  holds(key: string): boolean {
    return this.#table.get(tableKey(key)) !== undefined
  }

  keyState(key: string): KeyState {
    const bytes = this.#table.get(tableKey(key))
    return bytes === undefined ? EMPTY_KEY_STATE : decodeKeyState(bytes)
  }

  /** Answer a prepare or accept; the key's new state is durable before the answer returns. */
  receive(message: ProposerMessage): Promise<AcceptorReply> {
    return this.#enqueue(message.key, () => this.#step(message))
  }

  /** Runs `task` after every earlier task on `key`. */
  #enqueue<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(key) ?? Promise.resolve()
    const next = previous.then(task, task)
    this.#queues.set(key, next)
    void next
      .finally(() => {
        if (this.#queues.get(key) === next) this.#queues.delete(key)
      })
      .catch(() => {})
    return next
  }

  async #step(message: ProposerMessage): Promise<AcceptorReply> {
    await this.#opened
    const stored = this.#table.get(tableKey(message.key))
    const missing = this.#catchingUp && stored === undefined
    if (missing) this.#onMissingKey(message.key)
    const step = acceptorStep(
      stored === undefined ? EMPTY_KEY_STATE : decodeKeyState(stored),
      message,
      {
        id: this.id,
        epoch: 0,
        highestCounter: this.#highestCounter,
        catchingUp: missing,
        maxBallotJump: this.#maxBallotJump,
      },
    )
    const writes: Promise<void>[] = []
    if (step.highestCounter > this.#highestCounter) {
      this.#highestCounter = step.highestCounter
      writes.push(this.#table.put(META_KEY, encodeCounter(step.highestCounter)))
    }
    if (step.keyState !== undefined) {
      writes.push(this.#table.put(tableKey(message.key), encodeKeyState(step.keyState)))
    }
    try {
      // issued together, the two writes share one LMDB transaction and one sync
      await Promise.all(writes)
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
