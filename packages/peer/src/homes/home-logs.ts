import { ErrorCode, type LogOp, MessageType, type Request, type Response } from '@ringdht/protocol'
import type { Table } from '@ringdht/store'
import type { RegisterCall } from '../coordination/coordination-api.js'
import { Coordination } from '../coordination/coordination-api.js'
import { ReplicaSets } from '../coordination/replica-sets.js'
import type { Capability, CapabilityContext, JoinedEvent } from '../core/capability.js'
import type { RingNode } from '../core/ring-node.js'
import type { RequestContext } from '../core/rpc/server.js'
import { errorFromWire, InvalidInputError, NotReadyError } from '../errors.js'
import { HomeLog, type HomeLogDeps, type Retention } from './home-log.js'
import { LogCarryOver } from './log-carry-over.js'
import {
  checkName,
  checkSpace,
  epochRegisterKey,
  type LogId,
  logKey,
  logLabel,
  logMapKey,
  logPosition,
} from './log-keys.js'
import { appendToWire, fenced, logOpOf, wireId } from './log-wire.js'
import {
  entryFromWire,
  entryToWire,
  ReplicaLogs,
  stateFromWire,
  stateToWire,
} from './replica-log.js'
import { takeOver } from './take-over.js'

export interface HomeLogsComponents {
  /** Where this member keeps its replicas of home logs (LMDB in the daemon). */
  table: Table
  /** Coordination registers, for the logs' epochs (CoordinationCapability.call). */
  registers: RegisterCall
}

/** Options of `HomeLogs.open`. */
export interface OpenLogOptions {
  /** How much of the log to keep (this home's setting; it reaches the replicas). */
  retention?: Partial<Retention>
  signal?: AbortSignal
  /**
   * Open even though this member does not know that it owns the position: the router
   * served the request here for want of a better member ('unsure': the owner it knew is
   * unreachable and this member is next). Epochs keep two homes from both committing.
   */
  unsure?: boolean
}

/** Default retention: 100,000 entries, no age limit. */
export const DEFAULT_RETENTION: Retention = Object.freeze({ maxEntries: 100_000, maxAgeMs: 0 })

/**
 * Replicated logs, each served by a home: the owner of the log's ring position (see
 * log-keys.ts). This is the shared base of topics (messaging/) and queues (tasks/):
 *
 * - `open(space, name)` on the home (a capability calls it from a request that the router
 *   brought to the owner) takes the log over if this member does not serve it yet: a new
 *   epoch, a seal of the replica set, the tail adopted and re-replicated (take-over.ts).
 *   The HomeLog it resolves with appends (gap-free sequence numbers, acknowledged once a
 *   write quorum holds them), reads committed entries, tells listeners of new ones and
 *   aborts `lost` when this member stops being home.
 * - `onBecomeHome(space, listener)` runs when this member starts serving a log of that
 *   space, whether a request opened it or a ring change made this member its home (so a
 *   queue can rebuild its state by reading the log).
 * - Replicas (the home's replica set, as for key/value records) keep entries in a Table;
 *   LOG_APPEND, LOG_SEAL and LOG_READ are accepted only from members of the log's set.
 */
export class HomeLogs implements Capability {
  readonly name = 'homes'
  readonly handles = [MessageType.LOG_APPEND, MessageType.LOG_SEAL, MessageType.LOG_READ] as const
  readonly replicas: ReplicaLogs

  readonly #ctx: CapabilityContext
  readonly #sets: ReplicaSets
  readonly #epochs: Coordination
  readonly #logs = new Map<string, Promise<HomeLog>>()
  readonly #hooks = new Map<string, Set<(log: HomeLog) => void>>()
  readonly #carryOver: LogCarryOver

  constructor(context: CapabilityContext, components: HomeLogsComponents) {
    this.#ctx = context
    this.replicas = new ReplicaLogs(components.table)
    this.#sets = new ReplicaSets(context.neighbours, context.config.replicas)
    this.#epochs = new Coordination(components.registers)
    this.#carryOver = new LogCarryOver({
      context,
      sets: this.#sets,
      replicas: this.replicas,
      open: (id) => this.open(id.space, id.name),
      openLogs: () => this.#openLogs(),
    })
  }

  /**
   * The log (space, name) as its home serves it, taken over first when needed. Throws
   * NotReadyError when this member is not the home of the log's position (route the
   * request to its owner), FencedError when a newer home took it over meanwhile.
   */
  open(space: string, name: Uint8Array, options: OpenLogOptions = {}): Promise<HomeLog> {
    checkSpace(space)
    checkName(name, this.#ctx.config.limits.maxKeyBytes)
    const id: LogId = { space, name: Uint8Array.from(name) }
    const owns = this.#ctx.neighbours.owns(logPosition(id))
    if (owns !== true && !(options.unsure === true && owns === false)) {
      return Promise.reject(new NotReadyError(`this member is not the home of ${logLabel(id)}`))
    }
    const mapKey = logMapKey(id)
    const known = this.#logs.get(mapKey)
    if (known !== undefined) return known
    const opening = this.#takeOver(id, options)
    this.#logs.set(mapKey, opening)
    opening.then(
      (log) => {
        log.lost.addEventListener('abort', () => {
          if (this.#logs.get(mapKey) === opening) this.#logs.delete(mapKey)
        })
        for (const hook of this.#hooks.get(space) ?? []) {
          try {
            hook(log)
          } catch (err) {
            this.#ctx.logger.warn({ err, log: logLabel(id) }, 'an onBecomeHome listener failed')
          }
        }
      },
      () => {
        if (this.#logs.get(mapKey) === opening) this.#logs.delete(mapKey)
      },
    )
    return opening
  }

  /** Call `listener` whenever this member starts serving a log of `space`. */
  onBecomeHome(space: string, listener: (log: HomeLog) => void): () => void {
    checkSpace(space)
    const hooks = this.#hooks.get(space) ?? new Set()
    hooks.add(listener)
    this.#hooks.set(space, hooks)
    return () => hooks.delete(listener)
  }

  async #takeOver(id: LogId, options: OpenLogOptions): Promise<HomeLog> {
    const { config, logger } = this.#ctx
    const key = logKey(id)
    const position = logPosition(id)
    const signal = AbortSignal.any([options.signal ?? this.#ctx.lifetime, this.#ctx.lifetime])
    const configuration = () => {
      const { config: c, nodes } = this.#sets.configurationFor(position)
      // not `also` (the sets a failed owner may have used, coordination/owner-sets.ts): a
      // home writes every entry to every member of its sets, so a taker meets the last
      // home's entries without them; with them, a seal after a second failure could wait
      // for members that failed in a change not carried over yet
      return { sets: c.next === undefined ? [c.members] : [c.members, c.next], nodes }
    }
    const batch = { entries: config.limits.maxPageRecords, bytes: config.limits.maxPageBytes }
    const start = await takeOver(
      {
        key,
        replicas: this.replicas,
        selfKey: this.#ctx.self.key,
        writeQuorum: config.writeQuorum,
        requestTimeoutMs: config.timers.requestTimeoutMs,
        pageEntries: batch.entries,
        pageBytes: batch.bytes,
        configuration,
        nextEpoch: (s) => this.#nextEpoch(id, s),
        sendSeal: async (node, epoch, s) =>
          stateFromWire(
            (
              await this.#send(
                node,
                MessageType.LOG_SEAL,
                { ...wireId(id), epoch: BigInt(epoch) },
                s,
              )
            ).logState,
          ),
        readFrom: async (node, from, s) =>
          (
            (
              await this.#send(
                node,
                MessageType.LOG_READ,
                { ...wireId(id), fromSeq: BigInt(from), limit: batch.entries },
                s,
              )
            ).logState?.entries ?? []
          ).map(entryFromWire),
      },
      signal,
    )
    const deps: HomeLogDeps = {
      id,
      key,
      replicas: this.replicas,
      selfKey: this.#ctx.self.key,
      writeQuorum: config.writeQuorum,
      retention: { ...DEFAULT_RETENTION, ...options.retention },
      batch,
      maxEntryBytes: config.limits.maxValueBytes,
      requestTimeoutMs: config.timers.requestTimeoutMs,
      logger,
      unsure: options.unsure === true && this.#ctx.neighbours.owns(position) !== true,
      configuration,
      sendAppend: async (node, message, s) => {
        const response = await this.#send(
          node,
          MessageType.LOG_APPEND,
          appendToWire(id, message),
          s,
        )
        return {
          matched: response.logState?.matched === true,
          state: stateFromWire(response.logState),
        }
      },
    }
    const log = new HomeLog(deps, start)
    // serve only once the adopted tail is on a write quorum under the new epoch
    const tail = this.replicas.state(key).lastSeq
    try {
      await log.committed(
        tail,
        AbortSignal.any([signal, AbortSignal.timeout(config.timers.requestTimeoutMs)]),
      )
    } catch (err) {
      log.lose(err instanceof Error ? err : new NotReadyError('the take-over did not finish'))
      throw err
    }
    logger.debug({ log: logLabel(id), epoch: start.epoch, lastSeq: tail }, 'serving a home log')
    return log
  }

  async #nextEpoch(id: LogId, signal: AbortSignal): Promise<number> {
    const result = await this.#epochs.update(
      epochRegisterKey(id),
      (value) => String(Number(value === undefined ? '0' : new TextDecoder().decode(value)) + 1),
      { signal },
    )
    if (!result.succeeded || result.value === undefined) {
      throw new NotReadyError(`could not take a new epoch of ${logLabel(id)}; try again`)
    }
    return Number(new TextDecoder().decode(result.value))
  }

  async #send(
    node: RingNode,
    type: MessageType,
    logOp: Partial<LogOp>,
    signal: AbortSignal,
  ): Promise<Response> {
    const op = logOpOf(logOp)
    const response = await this.#ctx.pool.request(
      node,
      { type, logOp: op },
      { signal, timeoutMs: this.#ctx.config.timers.requestTimeoutMs },
    )
    if (response.error !== 0) throw errorFromWire(response.error, response.message)
    return response
  }

  /** A replica message from a log's home: members of the log's replica set only. */
  async handle(request: Request, context: RequestContext): Promise<Partial<Response>> {
    const op = request.logOp
    if (op === undefined) throw new InvalidInputError('a log message needs log_op')
    if (request.type === MessageType.LOG_READ && op.space === '') {
      return this.#carryOver.handleListing(request, context)
    }
    checkSpace(op.space)
    checkName(op.name, this.#ctx.config.limits.maxKeyBytes)
    const id: LogId = { space: op.space, name: op.name }
    const caller = context.remotePeer.toString()
    const { members, counters } = this.#ctx
    if (
      !(await members.isMember(caller, context.signal)) ||
      !(await members.mayReplicate(caller, logPosition(id), context.signal))
    ) {
      counters.refused++
      return {
        error: ErrorCode.FORBIDDEN,
        message: "only members of a log's replica set may send log messages",
      }
    }
    const key = logKey(id)
    const epoch = Number(op.epoch)
    if (request.type === MessageType.LOG_SEAL) {
      const sealed = await this.replicas.seal(key, epoch)
      if (sealed.fenced) return fenced(sealed.state.promised)
      return { logState: stateToWire(sealed.state) }
    }
    if (request.type === MessageType.LOG_READ) {
      const { limits } = this.#ctx.config
      const limit = Math.min(op.limit || limits.maxPageRecords, limits.maxPageRecords)
      const entries = this.replicas.read(key, Number(op.fromSeq), limit, limits.maxPageBytes)
      return {
        logState: { ...stateToWire(this.replicas.state(key)), entries: entries.map(entryToWire) },
      }
    }
    for (const entry of op.entries) {
      if (entry.data.byteLength > this.#ctx.config.limits.maxValueBytes) {
        throw new InvalidInputError('a log entry is over the value size limit; nothing changed')
      }
    }
    const outcome = await this.replicas.append(key, {
      epoch,
      prevSeq: Number(op.prevSeq),
      prevEpoch: Number(op.prevEpoch),
      entries: op.entries.map(entryFromWire),
      commit: Number(op.commit),
      retainFrom: Number(op.retainFrom),
    })
    if (outcome.kind === 'fenced') return fenced(outcome.state.promised)
    return { logState: { ...stateToWire(outcome.state), matched: outcome.kind === 'ok' } }
  }

  async #openLogs(): Promise<HomeLog[]> {
    const settled = await Promise.allSettled(this.#logs.values())
    return settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []))
  }

  joined(event: JoinedEvent): void {
    this.#carryOver.joined(event)
  }

  rangesChanged(): void {
    this.#carryOver.rangesChanged()
  }

  /** Resolves when no carry-over of logs after a ring change is running or scheduled (tests). */
  carriedOver(): Promise<void> {
    return this.#carryOver.idle()
  }

  async stop(): Promise<void> {
    await this.#carryOver.stop()
    for (const log of await this.#openLogs()) log.lose(new NotReadyError('the member stopped'))
  }
}
