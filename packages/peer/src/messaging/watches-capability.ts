import {
  MessageType,
  type Request,
  type Response,
  requestWithDefaults,
  type TopicOp,
} from '@ringdht/protocol'
import { ringIdOf } from '@ringdht/ring'
import type { Store, StoredRecord } from '@ringdht/store'
import type { Capability, CapabilityContext } from '../core/capability.js'
import type { ServeAuthority } from '../core/router.js'
import type { RequestContext } from '../core/rpc/server.js'
import { errorFromWire, InvalidInputError, KeyTooLargeError, NotReadyError } from '../errors.js'
import type { HomeLog, Retention } from '../homes/home-log.js'
import type { HomeLogs } from '../homes/home-logs.js'
import { logKey, WATCH_SPACE } from '../homes/log-keys.js'
import type { OwnerWrites } from '../kv/key-service.js'
import { KeyLocks } from './key-locks.js'
import { readAtHome } from './log-reads.js'
import { compareVersions, decodeChange, encodeChange } from './watch-changes.js'
import type { WatchCall } from './watches-api.js'

export interface WatchesComponents {
  homes: HomeLogs
  /** The member's key/value records: a new watch log starts from the key's current one. */
  store: Pick<Store, 'get'>
  /** How many changes of each key its owner keeps. */
  retention: Retention
}

/**
 * Key watches at the key's owner. WATCH_READ is routed like a get; at the owner it opens
 * the key's watch log (space 'watch', at the key's own position: see log-keys.ts), which
 * on its first opening starts with a baseline entry holding the key's record as it is.
 * From then on the owner's writes of the key go through `write` (the OwnerWrites hook of
 * the key service): each change is appended to the log in the order the owner versions
 * them (one per key at a time, under a lock), and the write is acknowledged only once a
 * write quorum holds the change. A key nobody ever watched costs a write one lookup of
 * its log in the member's table.
 *
 * Clients may read watches, like topics; the log's replica messages are the home logs'
 * own (LOG_APPEND, LOG_SEAL, LOG_READ), accepted only from the key's replica set.
 */
export class WatchesCapability implements Capability, OwnerWrites {
  readonly name = 'watches'
  readonly handles = [MessageType.WATCH_READ] as const

  readonly #ctx: CapabilityContext
  readonly #c: WatchesComponents
  readonly #locks = new KeyLocks()

  constructor(context: CapabilityContext, components: WatchesComponents) {
    this.#ctx = context
    this.#c = components
  }

  handle(request: Request, context: RequestContext): Promise<Partial<Response>> {
    return this.serve(request, context.signal)
  }

  /** A watch read from here or from the network: checked, routed to the key's owner. */
  async serve(request: Request, signal: AbortSignal | undefined): Promise<Partial<Response>> {
    const op = this.#validOp(request)
    return this.#ctx.router.route(request, ringIdOf(op.topic), signal, (authority) =>
      this.#serveAtOwner(request, op, signal, authority),
    )
  }

  /** A watch read as this member's own caller makes it (`peer.watch`). */
  readonly call: WatchCall = async (op, signal) => {
    const request = requestWithDefaults({
      type: MessageType.WATCH_READ,
      key: op.topic as Uint8Array<ArrayBuffer>,
      topicOp: op,
      maxHops: this.#ctx.config.limits.maxHops,
    })
    const response = await this.serve(request, signal ?? this.#ctx.lifetime)
    if (response.error !== undefined && response.error !== 0) {
      throw errorFromWire(response.error, response.message ?? '')
    }
    if (response.topicResult === undefined) throw new NotReadyError('the key owner sent no result')
    return response.topicResult
  }

  /**
   * The key service's hook for a write this member coordinates: `apply` versions and
   * stores it; when the key has a watch log, the change is appended right after, under the
   * key's lock (so the log's order is the versions' order), and `recorded` resolves once
   * a write quorum of the log holds it.
   */
  write(
    key: Uint8Array,
    authority: ServeAuthority,
    signal: AbortSignal | undefined,
    apply: () => Promise<StoredRecord>,
  ): Promise<{ record: StoredRecord; recorded?: Promise<void> }> {
    return this.#locks.run(key, async () => {
      if (!this.#c.homes.replicas.holds(logKey({ space: WATCH_SPACE, name: key }))) {
        return { record: await apply() }
      }
      const log = await this.#open(key, authority, signal)
      const record = await apply()
      // the sequence number is taken before append's first await: still under the lock
      const recorded = log
        .append([encodeChange(record, this.#ctx.config.limits.maxValueBytes)], {
          ...(signal === undefined ? {} : { signal }),
        })
        .then(() => undefined)
      recorded.catch(() => {}) // the key service awaits it; a failure is its answer
      return { record, recorded }
    })
  }

  #validOp(request: Request): TopicOp {
    const op = request.topicOp
    if (op === undefined) throw new InvalidInputError('a watch request needs topic_op')
    const limit = this.#ctx.config.limits.maxKeyBytes
    if (op.topic.byteLength === 0) throw new InvalidInputError('a key is required')
    if (op.topic.byteLength > limit) {
      throw new KeyTooLargeError(`key is ${op.topic.byteLength} bytes; the limit is ${limit}`)
    }
    return op
  }

  async #serveAtOwner(
    request: Request,
    op: TopicOp,
    signal: AbortSignal | undefined,
    authority: ServeAuthority,
  ): Promise<Partial<Response>> {
    // opening a new log writes its baseline: no write of the key may come in between
    const log = await this.#locks.run(op.topic, async () => {
      const opened = await this.#open(op.topic, authority, signal)
      if (opened.lastSeq === 0) {
        const record = await this.#c.store.get(op.topic)
        await opened.append([encodeChange(record, this.#ctx.config.limits.maxValueBytes, true)], {
          ...(signal === undefined ? {} : { signal }),
        })
      }
      return opened
    })
    if (op.fromSeq === 0n && op.fromVersion !== undefined) await this.#checkNotFuture(log, op)
    return { hops: request.hops, topicResult: await readAtHome(log, op, this.#ctx.config, signal) }
  }

  #open(key: Uint8Array, authority: ServeAuthority, signal: AbortSignal | undefined) {
    return this.#c.homes.open(WATCH_SPACE, key, {
      retention: this.#c.retention,
      unsure: authority === 'unsure',
      ...(signal === undefined ? {} : { signal }),
    })
  }

  /** A watcher may not start after the key's newest version: it would wait for nothing. */
  async #checkNotFuture(log: HomeLog, op: TopicOp): Promise<void> {
    const from = op.fromVersion
    if (from === undefined) return
    const [last] = log.read(log.lastSeq, 1)
    const logged = last === undefined ? undefined : decodeChange(last.data)?.version
    // a copy that reached this member by repair is not in the log, and may be newer
    const stored = (await this.#c.store.get(op.topic))?.version
    const newest = [logged, stored].reduce((a, b) =>
      b !== undefined && (a === undefined || compareVersions(b, a) > 0) ? b : a,
    )
    // by timestamp: a bare timestamp (`fromVersion: 123n`) names the newest version itself
    if (newest === undefined || from.timestamp > newest.timestamp) {
      throw new InvalidInputError(
        `version ${from.timestamp} is in the future: the key's newest version is ${newest?.timestamp ?? 0n}`,
      )
    }
  }
}
