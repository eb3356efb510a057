import type { Logger } from 'pino'
import type { RingNode } from '../core/ring-node.js'
import {
  FencedError,
  InvalidInputError,
  NotReadyError,
  OutcomeUnknownError,
  ValueTooLargeError,
} from '../errors.js'
import { LogFollower } from './log-follower.js'
import type { LogId } from './log-keys.js'
import { commitPoint } from './quorums.js'
import type { AppendMessage, Entry, ReplicaLogs, ReplicaState } from './replica-log.js'

/** How much of a log its home keeps: at most `maxEntries`, none older than `maxAgeMs`. */
export interface Retention {
  /** Entries kept at most (the oldest go first). Default: PeerConfig's. */
  readonly maxEntries: number
  /** Entries older than this go, ms (0: no age limit). */
  readonly maxAgeMs: number
}

/** The members a log replicates to: one set, or the set before and after a ring change. */
export interface LogConfiguration {
  readonly sets: readonly (readonly string[])[]
  readonly nodes: ReadonlyMap<string, RingNode>
}

/** What a home log needs from its capability (see HomeLogs). */
export interface HomeLogDeps {
  readonly id: LogId
  readonly key: Uint8Array
  readonly replicas: ReplicaLogs
  readonly selfKey: string
  readonly writeQuorum: number
  readonly retention: Retention
  /** Most entries and bytes in one append to a replica. */
  readonly batch: { readonly entries: number; readonly bytes: number }
  /** Largest entry, bytes. */
  readonly maxEntryBytes: number
  readonly requestTimeoutMs: number
  readonly logger: Logger
  /** Opened by a member that did not know it owned the position (see OpenLogOptions). */
  readonly unsure: boolean
  configuration(): LogConfiguration
  /** Send an append to a replica; throws FencedError when it promised a higher epoch. */
  sendAppend(node: RingNode, message: AppendMessage, signal: AbortSignal): Promise<AppendReply>
}

export interface AppendReply {
  readonly matched: boolean
  readonly state: ReplicaState
}

/** Where a home starts serving from, as its take-over (take-over.ts) left the log. */
export interface HomeStart {
  readonly epoch: number
  /** The highest seq known to be on a write quorum. */
  readonly commit: number
}

/**
 * A log as its home serves it: appends get the next sequence numbers and resolve once a
 * write quorum of the replica set holds them; readers see committed entries only. Obtain
 * one with `HomeLogs.open` (which takes the log over first); it serves until `lost`
 * aborts: another member became home (its epoch fenced this one), the ring moved the
 * log's position away, or this member stopped. After that every call throws; open the
 * log again (on the new home) to go on.
 */
export class HomeLog {
  readonly id: LogId
  /** This home's epoch: unique to it among every home the log ever had. */
  readonly epoch: number
  readonly #deps: HomeLogDeps
  readonly #lost = new AbortController()
  readonly #followers = new Map<string, LogFollower>()
  readonly #listeners = new Set<(entries: readonly Entry[]) => void>()
  /** How much this home keeps (see `retain`). */
  #retention: Retention
  #waiters: Array<{ seq: number; resolve(): void }> = []
  /** The last seq assigned (written locally or about to be). */
  #assigned: number
  /** The last seq written to the local table. */
  #local: number
  #lastEpoch: number
  #commit: number

  constructor(deps: HomeLogDeps, start: HomeStart) {
    this.#deps = deps
    this.id = deps.id
    this.epoch = start.epoch
    this.#retention = deps.retention
    const state = deps.replicas.state(deps.key)
    this.#assigned = state.lastSeq
    this.#local = state.lastSeq
    this.#lastEpoch = state.lastEpoch
    this.#commit = Math.min(start.commit, state.lastSeq)
    this.refresh()
  }

  /** True when opened by a member unsure that it owns the position (see OpenLogOptions). */
  get unsure(): boolean {
    return this.#deps.unsure
  }

  /** Aborted when this member stopped being the log's home; its reason says why. */
  get lost(): AbortSignal {
    return this.#lost.signal
  }

  /** The last committed (acknowledged) sequence number; 0 when the log is empty. */
  get lastSeq(): number {
    return this.#commit
  }

  /** The first sequence number still retained. */
  get firstSeq(): number {
    return this.#deps.replicas.state(this.#deps.key).firstSeq
  }

  /** The first sequence number a reader may ask for: retention applies before the trim. */
  get firstRetained(): number {
    return Math.max(this.firstSeq, this.#retainFrom())
  }

  /**
   * Append `entries` (opaque bytes) in order: resolves with the first and last sequence
   * numbers they got once a write quorum of the replica set holds them. Throws
   * OutcomeUnknownError when no quorum answered within `timeoutMs` (default: the
   * request deadline): they may still be committed later, by this home or the next.
   */
  async append(
    entries: readonly Uint8Array[],
    options: { signal?: AbortSignal; timeoutMs?: number } = {},
  ): Promise<{ seq: number; last: number }> {
    this.#assertServing()
    if (entries.length === 0) throw new InvalidInputError('append needs at least one entry')
    for (const data of entries) {
      if (data.byteLength > this.#deps.maxEntryBytes) {
        throw new ValueTooLargeError(
          `an entry is ${data.byteLength} bytes; the limit is ${this.#deps.maxEntryBytes}`,
        )
      }
    }
    const prevSeq = this.#assigned
    const prevEpoch = this.#lastEpoch
    const now = Date.now()
    const batch = entries.map((data, i) => ({
      seq: prevSeq + 1 + i,
      epoch: this.epoch,
      publishedAt: now,
      data,
    }))
    this.#assigned += batch.length
    this.#lastEpoch = this.epoch
    const last = this.#assigned
    const { replicas, key } = this.#deps
    const written = await replicas.append(key, {
      epoch: this.epoch,
      prevSeq,
      prevEpoch,
      entries: batch,
      commit: this.#commit,
      retainFrom: 0,
    })
    if (written.kind === 'fenced') {
      this.lose(new FencedError('a newer home of the log took it over'))
    }
    this.#assertServing()
    this.#local = Math.max(this.#local, written.state.lastSeq)
    for (const follower of this.#followers.values()) follower.wake()
    this.#advance()
    await this.#committed(last, options)
    return { seq: prevSeq + 1, last }
  }

  /**
   * Committed entries from `from` on, at most `limit` (and about the batch bytes). Throws
   * TrimmedError below what is retained, InvalidInputError beyond the next seq.
   */
  read(from: number, limit: number): Entry[] {
    this.#assertServing()
    if (!Number.isSafeInteger(from) || from < 1) {
      throw new InvalidInputError('read from a sequence number ≥ 1')
    }
    if (from > this.#commit + 1) {
      throw new InvalidInputError(
        `sequence number ${from} is in the future: the last one is ${this.#commit}`,
      )
    }
    const { replicas, key, batch } = this.#deps
    return replicas.read(key, from, Math.max(1, limit), batch.bytes, this.#commit)
  }

  /**
   * Call `listener` with every batch of entries as it is committed, in order, until the
   * returned function is called or the log is lost. A listener must not throw or block.
   */
  onAppend(listener: (entries: readonly Entry[]) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** Resolves once seq `seq` is committed (or at once if it is); rejects when lost. */
  committed(seq: number, signal?: AbortSignal): Promise<void> {
    return this.#committed(seq, {
      timeoutMs: Number.POSITIVE_INFINITY,
      ...(signal ? { signal } : {}),
    })
  }

  /** True when every member of the replica set holds everything written locally. */
  get replicated(): boolean {
    if (this.#commit < this.#local) return false
    for (const follower of this.#followers.values()) if (follower.match < this.#local) return false
    return true
  }

  /** How much of the log this home keeps now. */
  get retention(): Retention {
    return this.#retention
  }

  /**
   * Keep `retention` from now on (a topic's own setting, read when its home opens it):
   * entries beyond it are trimmed with the next commit.
   */
  retain(retention: Retention): void {
    this.#retention = Object.freeze({ ...retention })
  }

  /** The replica set may have changed: follow its members (call after a ring change). */
  refresh(): void {
    if (this.#lost.signal.aborted) return
    const { nodes } = this.#deps.configuration()
    for (const [peer, follower] of this.#followers) {
      if (!nodes.has(peer)) {
        follower.stop()
        this.#followers.delete(peer)
      }
    }
    for (const [peer, node] of nodes) {
      if (peer === this.#deps.selfKey || this.#followers.has(peer)) continue
      const follower = new LogFollower(node, this.#commit + 1, {
        deps: this.#deps,
        epoch: this.epoch,
        lost: this.#lost.signal,
        localLast: () => this.#local,
        commit: () => this.#commit,
        retainFrom: () => this.#retainFrom(),
        acked: () => this.#advance(),
        fenced: (err) => this.lose(err),
      })
      this.#followers.set(peer, follower)
      follower.run()
    }
    this.#advance()
  }

  /** Stop serving: waiters and callers get `reason`. */
  lose(reason: Error): void {
    if (this.#lost.signal.aborted) return
    this.#deps.logger.debug({ log: this.id.space, err: reason }, 'home log lost')
    this.#lost.abort(reason)
    for (const follower of this.#followers.values()) follower.stop()
    this.#followers.clear()
    this.#listeners.clear()
    for (const waiter of this.#waiters) waiter.resolve()
    this.#waiters = []
  }

  #advance(): void {
    const { sets } = this.#deps.configuration()
    const match = new Map<string, number>([[this.#deps.selfKey, this.#local]])
    for (const [peer, follower] of this.#followers) match.set(peer, follower.match)
    const point = Math.min(commitPoint(sets, match, this.#deps.writeQuorum), this.#local)
    if (point <= this.#commit) return
    const from = this.#commit + 1
    this.#commit = point
    const { replicas, key } = this.#deps
    void replicas.committed(key, point).catch(() => {})
    this.#waiters = this.#waiters.filter((waiter) => {
      if (waiter.seq > point) return true
      waiter.resolve()
      return false
    })
    if (this.#listeners.size > 0) {
      const entries = replicas.read(key, from, Number.MAX_SAFE_INTEGER, Infinity, point)
      for (const listener of this.#listeners) {
        try {
          listener(entries)
        } catch (err) {
          this.#deps.logger.warn({ err }, 'an onAppend listener failed')
        }
      }
    }
    this.#trim()
  }

  /** Where retention starts: by count and by age, never above the commit point. */
  #retainFrom(): number {
    const { maxEntries, maxAgeMs } = this.#retention
    let from = Math.max(1, this.#commit - maxEntries + 1)
    if (maxAgeMs > 0) {
      const { replicas, key } = this.#deps
      const oldest = Date.now() - maxAgeMs
      for (const entry of replicas.read(key, this.firstSeq, 64, Infinity, this.#commit)) {
        if (entry.publishedAt >= oldest) break
        from = Math.max(from, entry.seq + 1)
      }
    }
    return Math.min(from, this.#commit + 1)
  }

  #trim(): void {
    const retainFrom = this.#retainFrom()
    // trim in steps, not one entry per append
    if (retainFrom - this.firstSeq < Math.max(1, this.#deps.batch.entries / 8)) return
    void this.#deps.replicas.trim(this.#deps.key, retainFrom).catch(() => {})
  }

  async #committed(
    seq: number,
    options: { signal?: AbortSignal; timeoutMs?: number },
  ): Promise<void> {
    if (seq <= this.#commit) return
    const timeoutMs = options.timeoutMs ?? this.#deps.requestTimeoutMs
    let timer: NodeJS.Timeout | undefined
    let onAbort = () => {}
    const waiter = { seq, resolve: () => {} }
    try {
      await new Promise<void>((resolve) => {
        waiter.resolve = resolve
        this.#waiters.push(waiter)
        if (Number.isFinite(timeoutMs)) timer = setTimeout(resolve, timeoutMs)
        onAbort = () => resolve()
        options.signal?.addEventListener('abort', onAbort, { once: true })
        if (options.signal?.aborted === true) resolve()
      })
    } finally {
      clearTimeout(timer)
      options.signal?.removeEventListener('abort', onAbort)
      // a waiter that gave up leaves no trace (subscribers poll idle topics)
      this.#waiters = this.#waiters.filter((w) => w !== waiter)
    }
    if (seq <= this.#commit) return
    this.#assertServing()
    options.signal?.throwIfAborted()
    throw new OutcomeUnknownError(
      `entry ${seq} reached this home but not a write quorum in time: it may still be committed`,
    )
  }

  #assertServing(): void {
    if (!this.#lost.signal.aborted) return
    const reason = this.#lost.signal.reason
    throw reason instanceof Error ? reason : new NotReadyError('this member is no longer the home')
  }
}
