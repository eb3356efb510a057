import { ErrorCode, MessageType, type Request, type Response } from '@ringdht/protocol'
import { inHalfOpenInterval, type RingId } from '@ringdht/ring'
import { membersBefore, type ReplicaSets } from '../coordination/replica-sets.js'
import type { CapabilityContext, JoinedEvent } from '../core/capability.js'
import type { RingNode } from '../core/ring-node.js'
import type { RequestContext } from '../core/rpc/server.js'
import { errorFromWire, InvalidInputError, NotReadyError } from '../errors.js'
import type { HomeLog } from './home-log.js'
import { sleep } from './log-follower.js'
import { type LogId, logIdOfKey, logLabel, logPosition } from './log-keys.js'
import { logOpOf } from './log-wire.js'
import type { ReplicaLogs } from './replica-log.js'

export interface LogCarryOverComponents {
  context: CapabilityContext
  sets: ReplicaSets
  replicas: ReplicaLogs
  open(id: LogId): Promise<HomeLog>
  openLogs(): Promise<HomeLog[]>
}

const LIST_PAGE = 512

/**
 * Follows ring changes for home logs, the way coordination/carry-over.ts does for
 * registers: logs whose position moved away are given up (`lost`), logs this member
 * now owns are taken over at once (those it holds a replica of, and those the members of
 * the neighbourhood before the change list for its range), open logs follow their new
 * replica set, and once every open log is on its new set the joint quorums end (`settle`).
 */
export class LogCarryOver {
  readonly #c: LogCarryOverComponents
  #timer: NodeJS.Timeout | undefined
  #running: Promise<void> | undefined
  readonly #stopped = new AbortController()

  constructor(components: LogCarryOverComponents) {
    this.#c = components
  }

  joined(event: JoinedEvent): void {
    this.#c.sets.watchFromNow()
    if (event.takenOverFrom !== undefined) this.#c.sets.joinedThrough(event.successor)
    this.schedule()
  }

  rangesChanged(): void {
    if (this.#c.sets.neighboursChanged()) this.schedule()
  }

  schedule(): void {
    const ctx = this.#c.context
    if (this.#timer !== undefined || ctx.lifetime.aborted || this.#stopped.signal.aborted) return
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      if (this.#running !== undefined) {
        this.schedule()
        return
      }
      this.#running = this.#pass()
        .catch((err: unknown) => ctx.logger.debug({ err }, 'carrying home logs over failed'))
        .finally(() => {
          this.#running = undefined
        })
    }, ctx.config.timers.stabilizeMs)
    this.#timer.unref()
  }

  async idle(): Promise<void> {
    while (this.#running !== undefined || this.#timer !== undefined) {
      await (this.#running ?? new Promise((resolve) => setTimeout(resolve, 10)))
    }
  }

  async stop(): Promise<void> {
    this.#stopped.abort()
    clearTimeout(this.#timer)
    this.#timer = undefined
    await this.#running
  }

  async #pass(): Promise<void> {
    const { sets, context, replicas } = this.#c
    const n = context.neighbours
    const change = sets.openChange()
    for (const log of await this.#c.openLogs()) {
      if (n.owns(logPosition(log.id)) === false && !log.unsure) {
        log.lose(new NotReadyError(`${logLabel(log.id)} has a new home after a ring change`))
      } else log.refresh()
    }
    const ids = new Map<string, LogId>()
    const add = (key: Uint8Array) => {
      const id = logIdOfKey(key)
      if (id !== undefined && n.owns(logPosition(id)) === true) ids.set(logLabel(id) + id.space, id)
    }
    for (const key of replicas.logKeys()) add(key)
    const start = n.predecessor?.id ?? n.self.id
    for (const node of membersBefore(change)) {
      if (node.key === n.self.key) continue
      try {
        for (const key of await this.#list(node, start, n.self.id)) add(key)
      } catch (err) {
        context.logger.debug({ err, member: node.key }, 'listing home logs failed')
      }
    }
    let failed = 0
    for (const id of ids.values()) {
      if (this.#stopped.signal.aborted) return
      try {
        await this.#c.open(id)
      } catch (err) {
        failed++
        context.logger.debug({ err, log: logLabel(id) }, 'taking a home log over failed')
      }
    }
    if (change !== undefined && failed === 0 && (await this.#replicated())) sets.settle(change)
    if (failed > 0 || sets.changing) this.schedule()
  }

  /** Waits (up to a request deadline) until every open log is on every member of its set. */
  async #replicated(): Promise<boolean> {
    const { context } = this.#c
    const until = Date.now() + context.config.timers.requestTimeoutMs
    for (;;) {
      const logs = await this.#c.openLogs()
      if (logs.every((log) => log.lost.aborted || log.replicated)) return true
      if (Date.now() > until || this.#stopped.signal.aborted) return false
      await sleep(50, this.#stopped.signal)
    }
  }

  /** The keys of the logs `node` holds replicas of in (start, end], page by page. */
  async #list(node: RingNode, start: RingId, end: RingId): Promise<Uint8Array[]> {
    const ctx = this.#c.context
    const response = await ctx.pool.request(
      node,
      {
        type: MessageType.LOG_READ,
        rangeStart: start,
        rangeEnd: end,
        limit: LIST_PAGE,
        logOp: logOpOf({}),
      },
      { signal: ctx.lifetime, timeoutMs: ctx.config.timers.requestTimeoutMs },
    )
    if (response.error !== 0) throw errorFromWire(response.error, response.message)
    return (response.logState?.entries ?? []).map((entry) => entry.data)
  }

  /** A member of the range's replica set lists the logs it holds in (range_start, range_end]. */
  async handleListing(request: Request, context: RequestContext): Promise<Partial<Response>> {
    const { rangeStart, rangeEnd } = request
    if (rangeStart === undefined || rangeEnd === undefined) {
      throw new InvalidInputError('a log listing needs range_start and range_end')
    }
    const { members, counters } = this.#c.context
    const caller = context.remotePeer.toString()
    if (
      !(await members.isMember(caller, context.signal)) ||
      !(await members.mayReplicate(caller, rangeEnd, context.signal))
    ) {
      counters.refused++
      return { error: ErrorCode.FORBIDDEN, message: 'only members of the range may list its logs' }
    }
    const keys: Uint8Array[] = []
    for (const key of this.#c.replicas.logKeys()) {
      const id = logIdOfKey(key)
      if (id === undefined || !inHalfOpenInterval(logPosition(id), rangeStart, rangeEnd)) continue
      keys.push(key)
      if (keys.length >= LIST_PAGE) break
    }
    return {
      logState: {
        promised: 0n,
        firstSeq: 0n,
        lastSeq: 0n,
        lastEpoch: 0n,
        commit: 0n,
        matched: false,
        entries: keys.map((data) => ({
          seq: 0n,
          epoch: 0n,
          publishedAt: 0n,
          data: data as Uint8Array<ArrayBuffer>,
        })),
      },
    }
  }
}
