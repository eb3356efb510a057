import { MessageType } from '@ringdht/protocol'
import type { RingId } from '@ringdht/ring'
import {
  compareRecords,
  type HybridLogicalClock,
  type Store,
  type StoredRecord,
} from '@ringdht/store'
import type { Logger } from 'pino'
import type { RingNode } from '../core/ring-node.js'
import type { MemberRequests } from '../core/rpc/member-requests.js'
import type { Counters } from '../counters.js'
import { QuorumNotReachedError } from '../errors.js'
import { copyRequest, fromWireRecord, fromWireRecordFor } from './records.js'

export interface QuorumReadComponents {
  store: Pick<Store, 'get' | 'apply'>
  pool: MemberRequests
  counters: Pick<Counters, 'quorumReads' | 'readRepairs' | 'readQuorumFailures'>
  logger: Logger
  /** Per-member deadline (the circuit breaker's adaptive one); default requestTimeoutMs / 2. */
  deadlineFor?: (node: RingNode) => number
  /** Aborted when the member stops: repairs in flight end with it. */
  lifetime: AbortSignal
  /**
   * Copies with versions from beyond the clock drift are taken as no answer: read repair
   * must not spread what a replica copy would be refused for.
   */
  clock: Pick<HybridLogicalClock, 'accepts'>
}

export interface QuorumReadInit {
  requestTimeoutMs: number
}

/** One quorum read: whom to ask, how many answers make it, and what this member holds. */
export interface QuorumReadPlan {
  key: Uint8Array
  /** The key's ring position, when the caller has it: answers for the key are not hashed again. */
  position?: RingId
  /** Replicas asked at once, in parallel. */
  replicas: readonly RingNode[]
  /** Asked one by one, each only when a replica failed (they may hold a hinted copy). */
  spares: readonly RingNode[]
  /** Answers needed, this member's own included when it counts. */
  needed: number
  /**
   * This member's copy: always compared and repaired; counted towards the quorum when
   * `counts`, or only when the replicas and spares cannot make it alone (`lastResort`:
   * a small ring with a member down).
   */
  own?: { record: StoredRecord | undefined; counts: boolean; lastResort?: boolean }
  hops: number
  signal: AbortSignal | undefined
}

interface Answer {
  node: RingNode
  record: StoredRecord | undefined
}

/**
 * Read a key from several replicas at once (W + R > r: some answer holds every
 * acknowledged write) and answer with the newest copy as soon as `needed` answers are in,
 * fastest first. The replicas that answered with an older copy, or none, are repaired in
 * the background with the newest (read repair), and so is this member's own store.
 */
export class QuorumRead {
  readonly #c: QuorumReadComponents
  readonly #init: QuorumReadInit
  readonly #repairs = new Set<Promise<void>>()

  constructor(components: QuorumReadComponents, init: QuorumReadInit) {
    this.#c = components
    this.#init = init
  }

  /**
   * The newest copy among the first `needed` answers (a tombstone included: the caller
   * decides how to show it); undefined when none of them holds the key. Rejects with
   * QuorumNotReachedError when every replica and spare has answered or failed short of it.
   */
  read(plan: QuorumReadPlan): Promise<StoredRecord | undefined> {
    this.#c.counters.quorumReads++
    const answers: Answer[] = []
    let counted = plan.own?.counts === true ? 1 : 0
    const spares = [...plan.spares]
    const { promise, resolve, reject } = Promise.withResolvers<StoredRecord | undefined>()
    let settled = false
    let pending = 0
    const newest = () => newestOf([plan.own?.record, ...answers.map((a) => a.record)])
    const finish = () => {
      if (settled) return
      if (counted >= plan.needed) {
        settled = true
        resolve(newest())
      } else if (pending === 0 && plan.own?.lastResort === true && counted + 1 >= plan.needed) {
        settled = true
        resolve(newest())
      } else if (pending === 0) {
        settled = true
        this.#c.counters.readQuorumFailures++
        reject(
          new QuorumNotReachedError(
            `${counted} of ${plan.needed} required replicas answered the read`,
          ),
        )
      }
    }
    const all: Promise<void>[] = []
    const ask = (node: RingNode): void => {
      pending++
      const asked = this.#ask(node, plan).then(
        (record) => {
          answers.push({ node, record })
          counted++
        },
        (err: unknown) => {
          this.#c.logger.debug({ err, peer: node.key }, 'replica read failed')
          const spare = spares.shift()
          if (spare !== undefined) ask(spare)
        },
      )
      all.push(
        asked.finally(() => {
          pending--
          finish()
        }),
      )
    }
    for (const node of plan.replicas) ask(node)
    finish()
    // repair once every replica asked has answered, whatever the caller got
    const repair = (async () => {
      while (pending > 0) await Promise.allSettled([...all])
      await this.#repair(plan, answers, newest())
    })().catch((err: unknown) => this.#c.logger.debug({ err }, 'read repair failed'))
    this.#repairs.add(repair)
    void repair.finally(() => this.#repairs.delete(repair))
    return promise
  }

  /** Wait for the repairs in flight (bounded by their request deadline). */
  async drain(): Promise<void> {
    while (this.#repairs.size > 0) await Promise.allSettled([...this.#repairs])
  }

  async #ask(node: RingNode, plan: QuorumReadPlan): Promise<StoredRecord | undefined> {
    const response = await this.#c.pool.request(
      node,
      {
        type: MessageType.GET,
        key: plan.key as Uint8Array<ArrayBuffer>,
        local: true,
        hops: plan.hops + 1,
      },
      {
        ...(plan.signal === undefined ? {} : { signal: plan.signal }),
        timeoutMs: this.#deadlineFor(node),
      },
    )
    if (response.error !== 0) throw new Error(`replica answered error ${response.error}`)
    if (response.record === undefined) return undefined
    const record =
      plan.position === undefined
        ? fromWireRecord(response.record)
        : fromWireRecordFor(response.record, { key: plan.key, position: plan.position })
    if (!this.#c.clock.accepts(record.version.timestamp)) {
      throw new Error('a replica answered with a version from beyond the clock drift')
    }
    return record
  }

  #deadlineFor(node: RingNode): number {
    return this.#c.deadlineFor?.(node) ?? Math.max(1, Math.floor(this.#init.requestTimeoutMs / 2))
  }

  /** Offer the newest copy to every member that answered with an older one, or none. */
  async #repair(
    plan: QuorumReadPlan,
    answers: readonly Answer[],
    newest: StoredRecord | undefined,
  ): Promise<void> {
    if (newest === undefined) return
    const stale = answers.filter((a) => isOlder(a.record, newest))
    const jobs = stale.map((a) => this.#push(a.node, newest))
    if (plan.own !== undefined && isOlder(plan.own.record, newest)) {
      jobs.push(this.#c.store.apply(newest).then(() => undefined))
    }
    if (jobs.length === 0) return
    this.#c.counters.readRepairs += jobs.length
    await Promise.allSettled(jobs)
  }

  async #push(node: RingNode, record: StoredRecord): Promise<void> {
    await this.#c.pool.request(node, copyRequest(record), {
      signal: this.#c.lifetime,
      timeoutMs: this.#init.requestTimeoutMs,
    })
  }
}

function newestOf(records: ReadonlyArray<StoredRecord | undefined>): StoredRecord | undefined {
  let newest: StoredRecord | undefined
  for (const record of records) {
    if (record === undefined) continue
    if (newest === undefined || compareRecords(record, newest) > 0) newest = record
  }
  return newest
}

function isOlder(record: StoredRecord | undefined, than: StoredRecord): boolean {
  return record === undefined || compareRecords(record, than) < 0
}
