import type { StoredRecord } from '@ringdht/store'
import type { Logger } from 'pino'
import type { Neighbours } from '../../core/neighbours.js'
import type { RingNode } from '../../core/ring-node.js'
import type { MemberRequests } from '../../core/rpc/member-requests.js'
import type { Counters } from '../../counters.js'
import { QuorumNotReachedError } from '../../errors.js'
import type { Emit } from '../../events.js'
import { copyRequest } from '../records.js'
import { replicaTargets, sparesOf } from './replica-set.js'

export interface ReplicaWriterComponents {
  neighbours: Neighbours
  pool: MemberRequests
  counters: Counters
  emit: Emit
  logger: Logger
  /** Aborted when the peer stops for good: background copies end with it. */
  lifetime: AbortSignal
}

export interface ReplicaWriterInit {
  replicas: number
  requestTimeoutMs: number
}

/**
 * The coordinator side of a write: the owner has applied a record locally; copy it to
 * its r-1 replicas (`replicaTargets`) in parallel and acknowledge once `quorum` peers (itself included)
 * hold it. The copies still in flight at that point finish in the background; `drain()`
 * waits for them (stop() does).
 */
export class ReplicaWriter {
  readonly #c: ReplicaWriterComponents
  readonly #init: ReplicaWriterInit
  readonly #background = new Set<Promise<void>>()

  constructor(components: ReplicaWriterComponents, init: ReplicaWriterInit) {
    this.#c = components
    this.#init = init
  }

  /**
   * Resolves with the number of peers holding `record` once it reaches `quorum` (capped
   * at the replica-set size: a ring smaller than r has fewer copies to make); rejects with
   * QuorumNotReachedError when every copy has answered or failed short of it.
   */
  replicate(record: StoredRecord, quorum: number): Promise<number> {
    const targets = replicaTargets(this.#c.neighbours, this.#init.replicas)
    const spares = this.#sparesAfter(targets)
    const needed = Math.min(quorum, this.#init.replicas, 1 + targets.length)
    let acknowledged = 1
    if (targets.length === 0 || needed <= 1) {
      // nothing to wait for, but the copies are still made
      for (const target of targets) this.#copy(target, record, () => {})
      return Promise.resolve(Math.max(acknowledged, 1))
    }
    const { promise, resolve, reject } = Promise.withResolvers<number>()
    let pending = targets.length
    let settled = false
    const done = (ok: boolean): void => {
      pending--
      if (ok) acknowledged++
      else {
        // sloppy quorum: a replica that failed is stood in for by the next member
        const spare = spares.shift()
        if (spare !== undefined) {
          pending++
          this.#c.counters.hintedWrites++
          this.#copy(spare, record, done)
        }
      }
      if (settled) return
      if (acknowledged >= needed) {
        settled = true
        resolve(acknowledged)
      } else if (pending === 0) {
        settled = true
        this.#c.counters.quorumFailures++
        this.#c.emit('quorum:failed', { acknowledged, required: needed })
        reject(
          new QuorumNotReachedError(
            `${acknowledged} of ${needed} required replicas acknowledged the write; it may be present on ${acknowledged} peer(s)`,
          ),
        )
      }
    }
    for (const target of targets) this.#copy(target, record, done)
    return promise
  }

  /**
   * The members of the successor list outside the replica set, nearest first: where a
   * copy goes when a replica does not take it (Dynamo's sloppy quorum). The stand-in keeps
   * it as any record; the owner's anti-entropy gives it to the replica once that is back,
   * and the stand-in drops it as a stray once the replica set holds it.
   */
  #sparesAfter(targets: readonly RingNode[]): RingNode[] {
    const { self, successors } = this.#c.neighbours
    return sparesOf(self, successors, targets)
  }

  /** Wait for the copies still in flight (bounded by their request deadline). */
  async drain(): Promise<void> {
    while (this.#background.size > 0) await Promise.allSettled([...this.#background])
  }

  #copy(target: RingNode, record: StoredRecord, done: (ok: boolean) => void): void {
    const copy = this.#c.pool
      .request(target, copyRequest(record), {
        signal: this.#c.lifetime,
        timeoutMs: this.#init.requestTimeoutMs,
      })
      .then(
        (response) => {
          const ok = response.error === 0
          if (ok) this.#c.counters.replicaWrites++
          else this.#c.logger.debug({ peer: target.key, error: response.error }, 'replica refused')
          done(ok)
        },
        (err: unknown) => {
          this.#c.logger.debug({ err, peer: target.key }, 'replica copy failed')
          done(false)
        },
      )
    this.#background.add(copy)
    void copy.finally(() => this.#background.delete(copy))
  }
}
