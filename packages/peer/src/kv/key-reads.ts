import type { Request, Response } from '@ringdht/protocol'
import { inHalfOpenInterval, type RingId } from '@ringdht/ring'
import {
  type ApplyOutcome,
  type HybridLogicalClock,
  isLive,
  type StoredRecord,
} from '@ringdht/store'
import type { Logger } from 'pino'
import type { FormerRing } from '../core/former-ring.js'
import type { Neighbours } from '../core/neighbours.js'
import { placeReplicas } from '../core/replica-placement.js'
import type { RingNode } from '../core/ring-node.js'
import type { ServeAuthority } from '../core/router.js'
import type { MemberRequests } from '../core/rpc/member-requests.js'
import { pathThrough } from '../core/trace-path.js'
import type { Counters } from '../counters.js'
import { NotReadyError } from '../errors.js'
import { readFromHandOverSource } from './hand-over-read.js'
import type { QuorumRead } from './quorum-read.js'
import { toWireRecord } from './records.js'
import { replicaTargets, sparesOf } from './replication/replica-set.js'

export interface KeyReadsComponents {
  neighbours: Neighbours
  pool: MemberRequests
  clock: HybridLogicalClock
  counters: Counters
  logger: Logger
  quorum: Pick<QuorumRead, 'read'>
  formerRing: Pick<FormerRing, 'mayAnswerAbsent'>
  /** True while this member catches up with its replicas after a return. */
  catchingUp(): boolean
  /** This member's own copy, and storing one (StoreFailedError on failure). */
  read(key: Uint8Array): Promise<StoredRecord | undefined>
  write(record: StoredRecord): Promise<ApplyOutcome>
}

export interface KeyReadsInit {
  replicas: number
  readQuorum: number
  requestTimeoutMs: number
}

/**
 * The get side of the key service: the owner's read (its own copy and a read quorum of its
 * replicas), the replicas' answer when the owner does not, and what a get that found
 * nothing may say.
 */
export class KeyReads {
  readonly #c: KeyReadsComponents
  readonly #init: KeyReadsInit
  /**
   * While this peer pulls its new range from its successor after joining, a local miss
   * may only mean "not transferred yet": such reads also ask the successor.
   */
  handOverSource: RingNode | undefined

  constructor(components: KeyReadsComponents, init: KeyReadsInit) {
    this.#c = components
    this.#init = init
  }

  /**
   * The owner did not answer a get: ask the peers after it in our successor list (its
   * replicas as `placeReplicas` picks them, then the other members after it) for a read quorum; a tombstone reads as absent.
   */
  async fromReplicasOf(
    request: Request,
    owner: RingNode,
    signal: AbortSignal | undefined,
  ): Promise<Partial<Response> | undefined> {
    const successors = this.#c.neighbours.successors
    const at = successors.findIndex((s) => s.key === owner.key)
    if (at < 0) return undefined
    const self = this.#c.neighbours.self
    const after = successors.slice(at + 1).filter((s) => s.key !== self.key && s.key !== owner.key)
    // the owner's own placement, as far as our successor list shows its successors
    const replicas = placeReplicas(owner, after, this.#init.replicas)
    if (replicas.length === 0) return undefined
    let newest: StoredRecord | undefined
    try {
      newest = await this.#c.quorum.read({
        key: request.key as Uint8Array,
        replicas,
        spares: sparesOf(owner, after, replicas),
        needed: Math.min(this.#quorumOf(request), replicas.length),
        hops: request.hops,
        signal,
      })
    } catch (err) {
      this.#c.logger.debug({ err }, 'replicas of an unreachable owner gave no read quorum')
      return undefined
    }
    if (newest === undefined) {
      // "nobody holds it" proves nothing here: the owner may hold the only copy (its
      // replicas died, or it is slow, not dead), and the members our successor list
      // places after it may be its replicas only since a failure, before re-replication
      // reached them. Only a copy is an answer; the route goes on (or fails, retriably).
      this.#c.counters.absentUnproven++
      this.#c.logger.debug(
        { key: Buffer.from(request.key as Uint8Array).toString(), owner: owner.key },
        'replicas of an unreachable owner hold no copy: not answered absent',
      )
      return undefined
    }
    this.#c.counters.readFallbacks++
    this.#c.logger.debug(
      {
        key: Buffer.from(request.key as Uint8Array).toString(),
        owner: owner.key,
        timestamp: newest?.version.timestamp,
      },
      'get served by the replicas of an unreachable owner',
    )
    const base: Partial<Response> = {
      hops: request.hops + 1,
      path: pathThrough(request, self.key),
    }
    return isLive(newest, Date.now()) ? { ...base, record: toWireRecord(newest) } : base
  }

  /** The answers a get waits for: 1 when the caller asked for one copy, else R (≤ r). */
  #quorumOf(request: Request): number {
    const asked = request.readQuorum > 0 ? request.readQuorum : this.#init.readQuorum
    return Math.min(asked, this.#init.replicas)
  }

  /**
   * A get at the owner. With a read quorum, R of its replicas answer; its own copy is
   * compared (and repaired) but never counted: while members join, return or merge, two
   * members can each take themselves for a key's owner for a moment, each with its own
   * replica set, and a write acknowledged by one set may miss the other's owner. Reading
   * R successors besides itself still meets every such write (see the README). With
   * `consistency: 'one'`, the local copy answers (and, during a join hand-over, the
   * successor's on a local miss).
   */
  async get(
    request: Request,
    key: Uint8Array,
    position: RingId | undefined,
    signal: AbortSignal | undefined,
    authority: ServeAuthority,
  ): Promise<StoredRecord | undefined> {
    const local = await this.#c.read(key)
    if (request.local) return local
    const quorum = this.#quorumOf(request)
    const targets = replicaTargets(this.#c.neighbours, this.#init.replicas)
    if (quorum <= 1 || targets.length === 0) {
      if (local === undefined && this.handOverSource !== undefined) {
        return readFromHandOverSource(
          {
            pool: this.#c.pool,
            clock: this.#c.clock,
            logger: this.#c.logger,
            read: (key) => this.#c.read(key),
            write: (record) => this.#c.write(record),
          },
          request,
          this.handOverSource,
          { signal, timeoutMs: this.#init.requestTimeoutMs },
        )
      }
      return local
    }
    const spares = sparesOf(this.#c.neighbours.self, this.#c.neighbours.successors, targets)
    return this.#c.quorum.read({
      key,
      ...(position === undefined ? {} : { position }),
      replicas: targets,
      spares,
      needed: Math.min(quorum, targets.length),
      // when replicas are down and no member stands in (a small ring), a caught-up owner's
      // copy may make up the quorum; one unsure of its range or catching up may not
      own: {
        record: local,
        counts: false,
        lastResort:
          authority === 'owner' && this.handOverSource === undefined && !this.#c.catchingUp(),
      },
      hops: request.hops,
      signal,
    })
  }

  /**
   * A get found nothing: say so only when the members asked would hold the key if it
   * existed, else refuse with NOT_READY (callers retry). Not so after a restart while the
   * key's former replicas are away (see FormerRing), nor while this member serves 'unsure'
   * (its predecessor just failed and no new one has notified it): its successors are the
   * replicas of its own range and of the one it takes over, not of every range before it,
   * and a request for any of those may arrive here (a client whose view lost a key's
   * replicas asks the next members). Only its own former range, (former predecessor,
   * self], is surely still its own.
   */
  refuseUnprovenAbsent(position: RingId, authority: ServeAuthority): void {
    if (authority === 'unsure' && !this.#inFormerRange(position)) {
      this.#c.counters.absentUnproven++
      throw new NotReadyError(
        'this member does not know the range of this key yet (a neighbour just failed); retry',
      )
    }
    if (this.#c.formerRing.mayAnswerAbsent(position, this.#c.neighbours)) return
    this.#c.counters.notReadyAfterRestart++
    throw new NotReadyError(
      "this key's replicas from before the restart are not all back yet; retry",
    )
  }

  #inFormerRange(position: RingId): boolean {
    const { predecessor, formerPredecessor, self } = this.#c.neighbours
    return (
      predecessor === undefined &&
      formerPredecessor !== undefined &&
      inHalfOpenInterval(position, formerPredecessor.id, self.id)
    )
  }
}
