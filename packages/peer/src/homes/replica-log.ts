import { LogEntry, LogState } from '@ringdht/protocol'
import type { Table } from '@ringdht/store'
import { InvalidInputError, TrimmedError } from '../errors.js'
import { entryKey, entryPrefix, logKeyOfMeta, metaKey, seqOfEntryKey } from './log-keys.js'

/** One entry of a home log. */
export interface Entry {
  readonly seq: number
  /** The epoch of the home that wrote it last: of two entries at one seq, the higher wins. */
  readonly epoch: number
  /** When the home took it in, ms since the epoch by the home's clock. */
  readonly publishedAt: number
  readonly data: Uint8Array
}

/** A replica's state of one log: its entries are firstSeq..lastSeq. */
export interface ReplicaState {
  /** The highest epoch promised: appends and seals of lower epochs are refused. */
  readonly promised: number
  readonly firstSeq: number
  readonly lastSeq: number
  /** The epoch of the entry at lastSeq (0: none, or only a start point was given). */
  readonly lastEpoch: number
  /** The highest seq the home said a write quorum holds (as far as this replica knows). */
  readonly commit: number
}

/** An append from a log's home (see LogOp in rpc.proto). */
export interface AppendMessage {
  readonly epoch: number
  readonly prevSeq: number
  /** 0: the home keeps nothing at or below prevSeq; a replica behind starts over after it. */
  readonly prevEpoch: number
  readonly entries: readonly Entry[]
  readonly commit: number
  readonly retainFrom: number
}

export type AppendOutcome =
  | { readonly kind: 'ok'; readonly state: ReplicaState }
  /** prevSeq did not match: the home sends again from earlier (state.lastSeq + 1 at most). */
  | { readonly kind: 'mismatch'; readonly state: ReplicaState }
  /** The epoch is below the one promised: the sender is no longer the log's home. */
  | { readonly kind: 'fenced'; readonly state: ReplicaState }

const EMPTY: ReplicaState = { promised: 0, firstSeq: 1, lastSeq: 0, lastEpoch: 0, commit: 0 }

/**
 * The replica side of every home log this member holds, kept in a Table so that what it
 * acknowledged survives a restart: per log its state (promise, range, commit) and its
 * entries. Appends follow Raft's log-matching rule with epochs as terms: an append names
 * the entry before it, a replica whose entry there differs refuses it, and an entry of a
 * different epoch at a seq is replaced together with everything after it. Operations on
 * one log run one at a time.
 */
export class ReplicaLogs {
  readonly #table: Table
  readonly #states = new Map<string, ReplicaState>()
  readonly #queues = new Map<string, Promise<unknown>>()
  /** The logs this replica holds state of, read from the table once, then kept up to date. */
  #held: Set<string> | undefined

  constructor(table: Table) {
    this.#table = table
  }

  /** This replica's state of the log with key `key`. */
  state(key: Uint8Array): ReplicaState {
    const name = hex(key)
    const cached = this.#states.get(name)
    if (cached !== undefined) return cached
    const stored = this.#table.get(metaKey(key))
    const state = stored === undefined ? EMPTY : stateFromWire(LogState.decode(stored))
    this.#states.set(name, state)
    return state
  }

  /**
   * True when this replica holds any state of the log (a home sealed or wrote it here).
   * Callers ask this of every key written, so it answers from memory: the set of logs
   * held, read from the table on the first call and grown as states are saved.
   */
  holds(key: Uint8Array): boolean {
    if (this.#held === undefined) {
      this.#held = new Set()
      for (const logKey of this.logKeys()) this.#held.add(latin1(logKey))
    }
    return this.#held.has(latin1(key))
  }

  /** The keys of every log this replica holds something of. */
  *logKeys(): Iterable<Uint8Array> {
    for (const [key] of this.#table.entries(Uint8Array.of(0x6c))) {
      const logKey = logKeyOfMeta(key)
      if (logKey === undefined) return
      yield Uint8Array.from(logKey)
    }
  }

  /** Promise `epoch` (refused when a higher one was promised) and answer the tail. */
  seal(key: Uint8Array, epoch: number): Promise<{ fenced: boolean; state: ReplicaState }> {
    return this.#serial(key, async () => {
      const state = this.state(key)
      if (epoch < state.promised) return { fenced: true, state }
      if (epoch > state.promised) await this.#save(key, { ...state, promised: epoch })
      return { fenced: false, state: this.state(key) }
    })
  }

  append(key: Uint8Array, message: AppendMessage): Promise<AppendOutcome> {
    checkAppend(message)
    return this.#serial(key, () => this.#append(key, message))
  }

  /** The entry at `seq`, if this replica holds it. */
  entryAt(key: Uint8Array, seq: number): Entry | undefined {
    const stored = this.#table.get(entryKey(entryPrefix(key), seq))
    return stored === undefined ? undefined : entryFromWire(LogEntry.decode(stored))
  }

  /**
   * Entries from `from` up to `upTo` (default: the last), at most `limit` of them and
   * about `maxBytes`. Throws TrimmedError when `from` is below what is retained.
   */
  read(key: Uint8Array, from: number, limit: number, maxBytes: number, upTo?: number): Entry[] {
    const state = this.state(key)
    if (from < state.firstSeq) {
      throw new TrimmedError(
        `entries before ${state.firstSeq} are no longer retained; the first retained is ${state.firstSeq}`,
        state.firstSeq,
      )
    }
    const last = Math.min(upTo ?? state.lastSeq, state.lastSeq)
    const prefix = entryPrefix(key)
    const entries: Entry[] = []
    let bytes = 0
    if (from > last) return entries
    for (const [tableKey, value] of this.#table.entries(entryKey(prefix, from - 1))) {
      const seq = seqOfEntryKey(prefix, tableKey)
      if (seq === undefined || seq > last) break
      const entry = entryFromWire(LogEntry.decode(value))
      entries.push(entry)
      bytes += entry.data.byteLength
      if (entries.length >= limit || bytes >= maxBytes) break
    }
    return entries
  }

  async #append(key: Uint8Array, m: AppendMessage): Promise<AppendOutcome> {
    let state = this.state(key)
    if (m.epoch < state.promised) return { kind: 'fenced', state }
    state = { ...state, promised: m.epoch }
    if (m.prevEpoch === 0) {
      // the home keeps nothing at or below prevSeq: a replica behind it starts over there
      if (state.lastSeq < m.prevSeq) {
        await this.#deleteRange(key, state.firstSeq, state.lastSeq)
        state = { ...state, firstSeq: m.prevSeq + 1, lastSeq: m.prevSeq, lastEpoch: 0 }
      }
    } else if (m.prevSeq > state.commit) {
      // at or below the commit point the entries are the same everywhere (whatever their epoch)
      const mismatch =
        m.prevSeq > state.lastSeq ||
        (m.prevSeq >= state.firstSeq && this.entryAt(key, m.prevSeq)?.epoch !== m.prevEpoch)
      if (mismatch) {
        await this.#save(key, state)
        return { kind: 'mismatch', state }
      }
    }
    const prefix = entryPrefix(key)
    const writes: Promise<void>[] = []
    for (const entry of m.entries) {
      if (entry.seq < state.firstSeq || entry.seq <= state.commit) continue
      if (entry.seq <= state.lastSeq) {
        if (this.entryAt(key, entry.seq)?.epoch === entry.epoch) continue
        // a different epoch at this seq: it and everything after it were never committed
        await Promise.all(writes.splice(0))
        await this.#deleteRange(key, entry.seq, state.lastSeq)
      }
      writes.push(this.#table.put(entryKey(prefix, entry.seq), LogEntry.encode(entryToWire(entry))))
      state = { ...state, lastSeq: entry.seq, lastEpoch: entry.epoch }
    }
    await Promise.all(writes)
    const batchEnd = m.prevSeq + m.entries.length
    state = { ...state, commit: Math.max(state.commit, Math.min(m.commit, batchEnd)) }
    const retainFrom = Math.min(m.retainFrom, state.commit + 1)
    if (retainFrom > state.firstSeq) {
      await this.#deleteRange(key, state.firstSeq, Math.min(retainFrom - 1, state.lastSeq))
      state = { ...state, firstSeq: retainFrom }
    }
    await this.#save(key, state)
    return { kind: 'ok', state }
  }

  /**
   * Drop entries below `retainFrom` (never above the commit point): the home's own
   * retention, applied to its local copy.
   */
  trim(key: Uint8Array, retainFrom: number): Promise<ReplicaState> {
    return this.#serial(key, async () => {
      const state = this.state(key)
      const to = Math.min(retainFrom, state.commit + 1)
      if (to <= state.firstSeq) return state
      await this.#deleteRange(key, state.firstSeq, Math.min(to - 1, state.lastSeq))
      await this.#save(key, { ...state, firstSeq: to })
      return this.state(key)
    })
  }

  /** Drop every entry after `seq` (a new home's adopted tail ends there). */
  truncateAfter(key: Uint8Array, seq: number): Promise<void> {
    return this.#serial(key, async () => {
      const state = this.state(key)
      if (state.lastSeq <= seq) return
      await this.#deleteRange(key, Math.max(seq + 1, state.firstSeq), state.lastSeq)
      const lastEpoch = this.entryAt(key, seq)?.epoch ?? 0
      await this.#save(key, {
        ...state,
        lastSeq: seq,
        lastEpoch,
        commit: Math.min(state.commit, seq),
      })
    })
  }

  /** Record the commit point the home learned (its local copy). */
  committed(key: Uint8Array, commit: number): Promise<void> {
    return this.#serial(key, async () => {
      const state = this.state(key)
      const next = Math.min(commit, state.lastSeq)
      if (next > state.commit) await this.#save(key, { ...state, commit: next })
    })
  }

  async #deleteRange(key: Uint8Array, from: number, to: number): Promise<void> {
    const prefix = entryPrefix(key)
    const deletes: Promise<void>[] = []
    for (let seq = from; seq <= to; seq++) deletes.push(this.#table.delete(entryKey(prefix, seq)))
    await Promise.all(deletes)
  }

  async #save(key: Uint8Array, state: ReplicaState): Promise<void> {
    this.#states.set(hex(key), state)
    this.#held?.add(latin1(key))
    await this.#table.put(metaKey(key), LogState.encode(stateToWire(state)))
  }

  #serial<T>(key: Uint8Array, run: () => Promise<T>): Promise<T> {
    const name = hex(key)
    const previous = this.#queues.get(name) ?? Promise.resolve()
    const next = previous.then(run, run)
    this.#queues.set(name, next)
    void next
      .finally(() => {
        if (this.#queues.get(name) === next) this.#queues.delete(name)
      })
      .catch(() => {})
    return next
  }
}

function checkAppend(m: AppendMessage): void {
  m.entries.forEach((entry, i) => {
    if (entry.seq !== m.prevSeq + 1 + i || entry.epoch > m.epoch) {
      throw new InvalidInputError(
        'an append must carry consecutive entries after prev_seq, of epochs up to its own',
      )
    }
  })
}

export function entryFromWire(entry: LogEntry): Entry {
  return {
    seq: Number(entry.seq),
    epoch: Number(entry.epoch),
    publishedAt: Number(entry.publishedAt),
    data: entry.data,
  }
}

export function entryToWire(entry: Entry): LogEntry {
  return {
    seq: BigInt(entry.seq),
    epoch: BigInt(entry.epoch),
    publishedAt: BigInt(entry.publishedAt),
    data: entry.data as Uint8Array<ArrayBuffer>,
  }
}

export function stateFromWire(state: LogState | undefined): ReplicaState {
  if (state === undefined) return EMPTY
  return {
    promised: Number(state.promised),
    firstSeq: Math.max(1, Number(state.firstSeq)),
    lastSeq: Number(state.lastSeq),
    lastEpoch: Number(state.lastEpoch),
    commit: Number(state.commit),
  }
}

export function stateToWire(state: ReplicaState): LogState {
  return {
    promised: BigInt(state.promised),
    firstSeq: BigInt(state.firstSeq),
    lastSeq: BigInt(state.lastSeq),
    lastEpoch: BigInt(state.lastEpoch),
    commit: BigInt(state.commit),
    matched: false,
    entries: [],
  }
}

function latin1(key: Uint8Array): string {
  return Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('latin1')
}

function hex(key: Uint8Array): string {
  return Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('hex')
}
