import type { Logger } from 'pino'
import type { Counters } from '../counters.js'
import { PeerBusyError } from '../errors.js'
import { groupCommit } from './group-commit.js'
import { QueueHome } from './queue-home.js'
import type { QueueLimits } from './queue-limits.js'

/** The space of queue logs among the home logs. */
export const QUEUE_SPACE = 'queue'

/** What the queue needs of a home log (homes/home-log.ts's HomeLog). */
export interface QueueHomeLog {
  readonly id: { readonly space: string; readonly name: Uint8Array }
  /** Aborted when this member stops being the log's home. */
  readonly lost: AbortSignal
  readonly firstSeq: number
  readonly lastSeq: number
  append(entries: readonly Uint8Array[]): Promise<{ seq: number; last: number }>
  read(from: number, limit: number): readonly { readonly seq: number; readonly data: Uint8Array }[]
  lose(reason: Error): void
}

/** What the queue needs of the home logs capability (homes/home-logs.ts's HomeLogs). */
export interface QueueHomeLogs {
  open(
    space: string,
    name: Uint8Array,
    options?: { retention?: { maxEntries?: number; maxAgeMs?: number } },
  ): Promise<QueueHomeLog>
  onBecomeHome(space: string, listener: (log: QueueHomeLog) => void): () => void
}

/**
 * Entries of a queue's log kept at most. Snapshots (written every SNAPSHOT_EVERY entries
 * when one fits an entry) make replay start over at each of them, so the window only has
 * to hold one; it stays large because a snapshot of a queue too big for one entry is not
 * written, and then the log itself is the state.
 */
export const QUEUE_LOG_RETENTION = 1_000_000
export const SNAPSHOT_EVERY = 1_000
const READ_PAGE = 512
/** One log append groups at most this much of what the queue wrote in a tick. */
const GROUP_COMMIT = { entries: 256, bytes: 1024 * 1024 }

/**
 * The queues this member is home of, each built once per home log by replaying it:
 * `homeOf` opens the log (taking it over when this member just became its home) and
 * gives the QueueHome that serves it; a log that is lost closes its queue, and a queue
 * whose append failed loses its log, so the next open takes it over afresh.
 */
export class QueueHomes {
  readonly #logs: QueueHomeLogs
  readonly #limits: QueueLimits
  readonly #logger: Logger
  readonly #maxEntryBytes: number
  readonly #counters: Counters | undefined
  readonly #homes = new Map<QueueHomeLog, Promise<QueueHome>>()
  /** Those of #homes built and serving. */
  readonly #built = new Map<QueueHomeLog, QueueHome>()

  constructor(init: {
    logs: QueueHomeLogs
    limits: QueueLimits
    logger: Logger
    maxEntryBytes: number
    counters?: Counters
  }) {
    this.#logs = init.logs
    this.#limits = init.limits
    this.#logger = init.logger
    this.#maxEntryBytes = init.maxEntryBytes
    this.#counters = init.counters
    // a member that becomes home through a ring change rebuilds the queue at once, so its
    // leases expire on time even when no request comes
    this.#logs.onBecomeHome(QUEUE_SPACE, (log) => void this.#adopt(log).catch(() => {}))
  }

  /** The queue `name` served here; NotReadyError when this member is not its home. */
  async homeOf(name: Uint8Array): Promise<QueueHome> {
    const log = await this.#logs.open(QUEUE_SPACE, name, {
      retention: { maxEntries: QUEUE_LOG_RETENTION, maxAgeMs: 0 },
    })
    return this.#adopt(log)
  }

  /** Queues served here now (for status). */
  get count(): number {
    return this.#homes.size
  }

  /**
   * The queues served here now, by name, at most `limit` (for status); one still replaying
   * its log is left out rather than waited for.
   */
  served(limit: number): QueueHome[] {
    const serving = [...this.#built.values()].filter((home) => !home.failed)
    return serving.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).slice(0, limit)
  }

  close(): void {
    for (const home of this.#homes.values()) void home.then((h) => h.close()).catch(() => {})
    this.#homes.clear()
    this.#built.clear()
  }

  #adopt(log: QueueHomeLog): Promise<QueueHome> {
    const known = this.#homes.get(log)
    if (known !== undefined) return known
    if (this.#homes.size >= this.#limits.maxQueues) {
      return Promise.reject(
        new PeerBusyError(`this member serves ${this.#homes.size} queues, its limit`),
      )
    }
    const building = this.#build(log)
    this.#homes.set(log, building)
    const forget = () => {
      if (this.#homes.get(log) === building) this.#homes.delete(log)
    }
    building.then((home) => {
      if (this.#homes.get(log) === building) this.#built.set(log, home)
      const lost = () => {
        home.close()
        if (this.#built.get(log) === home) this.#built.delete(log)
        forget()
      }
      if (log.lost.aborted) lost()
      else log.lost.addEventListener('abort', lost, { once: true })
    }, forget)
    return building
  }

  async #build(log: QueueHomeLog): Promise<QueueHome> {
    const name = new TextDecoder().decode(log.id.name)
    const home = new QueueHome({
      name,
      limits: this.#limits,
      logger: this.#logger,
      ...(this.#counters === undefined ? {} : { counters: this.#counters }),
      snapshotEvery: SNAPSHOT_EVERY,
      maxEntryBytes: this.#maxEntryBytes,
      log: { append: groupCommit(log, GROUP_COMMIT) },
      failed: (err) => {
        this.#homes.delete(log)
        this.#built.delete(log)
        log.lose(err)
      },
    })
    home.restore(await this.#replay(log))
    return home
  }

  /** Every retained entry of the log, oldest first, read page by page. */
  async #replay(log: QueueHomeLog): Promise<Uint8Array[]> {
    const entries: Uint8Array[] = []
    let from = log.firstSeq
    while (from <= log.lastSeq) {
      const page = log.read(from, READ_PAGE)
      const last = page.at(-1)
      if (last === undefined) break
      for (const entry of page) entries.push(entry.data)
      from = last.seq + 1
      // a long log does not hold up everything else this member serves
      await new Promise((resolve) => setImmediate(resolve))
    }
    if (log.firstSeq > 1) {
      this.#logger.debug(
        { queue: log.id.name, firstSeq: log.firstSeq },
        'queue replayed from a trimmed log',
      )
    }
    return entries
  }
}
