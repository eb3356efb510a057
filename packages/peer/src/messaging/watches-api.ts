import type { TopicOp, TopicResult } from '@ringdht/protocol'
import type { Version } from '@ringdht/store'
import { InvalidInputError, TrimmedError } from '../errors.js'
import { type KeyInput, toBytes } from '../operations.js'
import { pullLog } from './log-pull.js'
import {
  compareVersions,
  decodeChange,
  type KeyChange,
  keyChangeOf,
  versionOf,
} from './watch-changes.js'

export interface WatchOptions {
  /**
   * Deliver the changes after this version (a version, or an HLC timestamp alone), replayed
   * from the key's change log. Default: only changes applied after the watch starts. A
   * version older than the log retains (or older than the key's first watch) fails with
   * TrimmedError; one newer than the key's newest, with InvalidInputError.
   */
  fromVersion?: Version | bigint
  /** Ends the watch (the iteration returns). */
  signal?: AbortSignal
  /** Most changes fetched at once (what the owner reads for this watcher). Default 256. */
  batch?: number
  /** How long one fetch waits at the owner for a new change, ms. Default 2000. */
  waitMs?: number
}

/** One read of a key's watch log at the key's owner (WATCH_READ; TopicOp.topic is the key). */
export type WatchCall = (op: TopicOp, signal: AbortSignal | undefined) => Promise<TopicResult>

/**
 * Key watches, as a member (`RingPeer`) and a client (`RingClient`) share them. The first
 * watch of a key makes its owner keep a change log for it: a home log at the key's own
 * ring position (so its home is the key's owner and its replicas the key's replicas), to
 * which the owner appends every put and delete of the key before acknowledging it. A
 * watch pulls that log the way a topic subscription does, so it sees every acknowledged
 * change, in order, at least once, across failovers of the owner and of its connection.
 */
export class Watches {
  readonly #call: WatchCall
  readonly #closed: AbortSignal | undefined

  /** `closed`: aborted when the member or client closes; watches end then. */
  constructor(call: WatchCall, closed?: AbortSignal) {
    this.#call = call
    this.#closed = closed
  }

  /** The changes of `key` in order, live, after `options.fromVersion` or from now on. */
  async *watch(key: KeyInput, options: WatchOptions = {}): AsyncGenerator<KeyChange> {
    const name = toBytes(key, 'key') as Uint8Array<ArrayBuffer>
    if (name.byteLength === 0) throw new InvalidInputError('a key is required')
    const batch = options.batch ?? 256
    if (!Number.isInteger(batch) || batch < 1) throw new InvalidInputError('batch must be ≥ 1')
    const from = fromVersionOf(options.fromVersion)
    const signal =
      this.#closed === undefined
        ? options.signal
        : AbortSignal.any([this.#closed, ...(options.signal ? [options.signal] : [])])
    const entries = pullLog(
      (read, s) =>
        this.#call(
          {
            topic: name,
            fromSeq: BigInt(read.fromSeq),
            limit: read.limit,
            waitMs: read.waitMs,
            viaRelay: false,
            noRedirect: false,
            relayedSubscribers: 0,
            subscription: 0n,
            // the owner checks it against the key's newest version on the first fetch
            ...(from !== undefined && read.fromSeq === 0 ? { fromVersion: from } : {}),
          },
          s,
        ),
      {
        batch,
        waitMs: options.waitMs ?? 2000,
        ...(from === undefined ? {} : { from: 'oldest' as const }),
        ...(signal === undefined ? {} : { signal }),
      },
    )
    let first = true
    for await (const entry of entries) {
      const change = decodeChange(entry.data)
      if (change?.version === undefined) continue // not a change: written by no owner of ours
      if (first && from !== undefined && compareVersions(change.version, from) > 0) {
        // the oldest change kept is already past `from`: what came between is gone
        throw new TrimmedError(
          `the key's change log no longer reaches back to version ${from.timestamp}: its oldest entry is version ${change.version.timestamp}; the first retained is ${entry.seq}`,
          Number(entry.seq),
        )
      }
      first = false
      if (change.baseline) continue
      if (from !== undefined && compareVersions(change.version, from) <= 0) continue
      yield keyChangeOf(name, entry, change)
    }
  }
}

function fromVersionOf(from: Version | bigint | undefined): Version | undefined {
  if (from === undefined) return undefined
  if (typeof from === 'bigint') {
    if (from < 0n || from >= 1n << 64n) throw new InvalidInputError('fromVersion must be a uint64')
    return versionOf(from)
  }
  if (typeof from !== 'object' || typeof from.timestamp !== 'bigint') {
    throw new InvalidInputError('fromVersion must be a Version or a bigint HLC timestamp')
  }
  return from
}
