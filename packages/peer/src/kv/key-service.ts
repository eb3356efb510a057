import { ErrorCode, MessageType, type Request, type Response } from '@ringdht/protocol'
import { type RingId, ringIdOf } from '@ringdht/ring'
import {
  type ApplyOutcome,
  type HybridLogicalClock,
  isLive,
  type Store,
  type StoredRecord,
  timestampMillis,
} from '@ringdht/store'
import type { Logger } from 'pino'
import type { FormerRing } from '../core/former-ring.js'
import type { Neighbours } from '../core/neighbours.js'
import { placeReplicas } from '../core/replica-placement.js'
import type { RingNode } from '../core/ring-node.js'
import type { Router, ServeAuthority } from '../core/router.js'
import type { MemberRequests } from '../core/rpc/member-requests.js'
import { pathThrough } from '../core/trace-path.js'
import type { Counters } from '../counters.js'
import {
  InvalidInputError,
  NotReadyError,
  StoreFailedError,
  VersionConflictError,
} from '../errors.js'
import { readFromHandOverSource } from './hand-over-read.js'
import { checkKeyRequest, replicaCopyOf } from './key-request-checks.js'
import type { QuorumRead } from './quorum-read.js'
import { copyRequest, toWireRecord } from './records.js'
import { replicaTargets, sparesOf } from './replication/replica-set.js'
import type { ReplicaWriter } from './replication/replica-writer.js'
import { isSignedKey, signedWriteRefusal } from './signed-keys.js'

export interface KeyServiceComponents {
  store: Store
  clock: HybridLogicalClock
  neighbours: Neighbours
  router: Pick<Router, 'route'>
  pool: MemberRequests
  counters: Counters
  logger: Logger
  writer: Pick<ReplicaWriter, 'replicate'>
  reads: Pick<QuorumRead, 'read'>
  /** True while this member catches up with its replicas after a return. */
  catchingUp(): boolean
  /** True just after this member resumed from a pause: the writes queued meanwhile are stale. */
  justResumed(): boolean
  /** After a restart: a get that found nothing may say absent only once its key's former replicas are back. */
  formerRing: Pick<FormerRing, 'mayAnswerAbsent'>
}

export interface KeyServiceInit {
  replicas: number
  writeQuorum: number
  /** R: answers a get waits for by default (W + R > r gives read-your-writes). */
  readQuorum: number
  maxKeyBytes: number
  maxValueBytes: number
  requestTimeoutMs: number
  /** Only for messages: the clock itself enforces it. */
  maxClockDriftMs: number
}

/**
 * Told of each write this member coordinates (key watches, messaging/): `apply` gives the
 * write its version and stores it; the write is acknowledged only once `recorded` (when
 * given) resolves, and fails when it rejects.
 */
export interface OwnerWrites {
  write(
    key: Uint8Array,
    authority: ServeAuthority,
    signal: AbortSignal | undefined,
    apply: () => Promise<StoredRecord>,
  ): Promise<{ record: StoredRecord; recorded?: Promise<void> }>
}

/**
 * get / put / delete: validated at every peer they pass, routed to the owner, applied
 * there with a fresh version (hybrid logical clock + owner id) unless they carry one.
 */
export class KeyService {
  readonly #c: KeyServiceComponents
  readonly #init: KeyServiceInit
  /**
   * While this peer pulls its new range from its successor after joining, a local miss
   * may only mean "not transferred yet": such reads also ask the successor.
   */
  #handOverSource: RingNode | undefined

  constructor(components: KeyServiceComponents, init: KeyServiceInit) {
    this.#c = components
    this.#init = init
  }

  set handOverSource(node: RingNode | undefined) {
    this.#handOverSource = node
  }

  /** Set once at start-up by the member that composes the capabilities (key watches). */
  ownerWrites: OwnerWrites | undefined

  async handle(request: Request, signal: AbortSignal | undefined): Promise<Partial<Response>> {
    const key = checkKeyRequest(request, this.#init)
    if (request.type !== MessageType.GET && !request.local && this.#c.justResumed()) {
      return { error: ErrorCode.NOT_READY, message: 'resumed from a pause; retry' }
    }
    // a replica read (GET local, two per quorum get) needs no ring position
    if (request.local) {
      const known = request.type === MessageType.GET ? undefined : ringIdOf(key)
      return this.#serveLocally(request, key, known, signal)
    }
    const position = ringIdOf(key)
    return this.#c.router.route(
      request,
      position,
      signal,
      (authority) => this.#serveLocally(request, key, position, signal, authority),
      request.type === MessageType.GET
        ? (owner, s) => this.#readFromReplicas(request, owner, s)
        : undefined,
    )
  }

  /**
   * The owner did not answer a get: ask the peers after it in our successor list (its
   * replicas as `placeReplicas` picks them, then the other members after it) for a read quorum; a tombstone reads as absent.
   */
  async #readFromReplicas(
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
      newest = await this.#c.reads.read({
        key: request.key as Uint8Array,
        replicas,
        spares: sparesOf(owner, after, replicas),
        needed: Math.min(this.#readQuorumOf(request), replicas.length),
        hops: request.hops,
        signal,
      })
    } catch (err) {
      this.#c.logger.debug({ err }, 'replicas of an unreachable owner gave no read quorum')
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
    return newest === undefined || !isLive(newest, Date.now())
      ? base
      : { ...base, record: toWireRecord(newest) }
  }

  /** The answers a get waits for: 1 when the caller asked for one copy, else R (≤ r). */
  #readQuorumOf(request: Request): number {
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
  async #get(
    request: Request,
    key: Uint8Array,
    position: RingId | undefined,
    signal: AbortSignal | undefined,
    authority: ServeAuthority,
  ): Promise<StoredRecord | undefined> {
    const local = await this.#read(key)
    if (request.local) return local
    const quorum = this.#readQuorumOf(request)
    const targets = replicaTargets(this.#c.neighbours, this.#init.replicas)
    if (quorum <= 1 || targets.length === 0) {
      if (local === undefined && this.#handOverSource !== undefined) {
        return readFromHandOverSource(
          {
            pool: this.#c.pool,
            clock: this.#c.clock,
            logger: this.#c.logger,
            read: (key) => this.#read(key),
            write: (record) => this.#write(record),
          },
          request,
          this.#handOverSource,
          { signal, timeoutMs: this.#init.requestTimeoutMs },
        )
      }
      return local
    }
    const spares = sparesOf(this.#c.neighbours.self, this.#c.neighbours.successors, targets)
    return this.#c.reads.read({
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
          authority === 'owner' && this.#handOverSource === undefined && !this.#c.catchingUp(),
      },
      hops: request.hops,
      signal,
    })
  }

  /** See FormerRing: "absent" could be wrong while the key's replicas of before a restart are away. */
  #refuseAbsentBeforeFormerReplicasReturn(position: RingId): void {
    if (this.#c.formerRing.mayAnswerAbsent(position, this.#c.neighbours)) return
    this.#c.counters.notReadyAfterRestart++
    throw new NotReadyError(
      "this key's replicas from before the restart are not all back yet; retry",
    )
  }

  async #serveLocally(
    request: Request,
    key: Uint8Array,
    knownPosition: RingId | undefined,
    signal: AbortSignal | undefined,
    authority: ServeAuthority = 'owner',
  ): Promise<Partial<Response>> {
    if (!request.local && authority === 'unsure' && this.#c.neighbours.alone) {
      // cut off (see Neighbours.cutOff): no replica to read or write with, and this
      // member's own store holds only its old ranges; an answer could be absent or stale
      throw new NotReadyError('cut off from the ring: no other member answers; retry')
    }
    const answer: Partial<Response> = {
      hops: request.hops,
      path: pathThrough(request, this.#c.neighbours.self.key),
    }
    if (request.type === MessageType.GET) {
      this.#c.counters.gets++
      const record = await this.#get(request, key, knownPosition, signal, authority)
      if (!request.local && this.#c.logger.isLevelEnabled('debug')) {
        // who answered what, to explain a history's stale or absent read afterwards
        this.#c.logger.debug(
          { key: Buffer.from(key).toString(), authority, timestamp: record?.version.timestamp },
          'get served',
        )
      }
      // a replica read (local) shows tombstones and expired copies, so the newest copy can
      // win on the asker's side
      if (record === undefined && !request.local) {
        this.#refuseAbsentBeforeFormerReplicasReturn(knownPosition ?? ringIdOf(key))
      }
      if (record === undefined || (!request.local && !isLive(record, Date.now()))) return answer
      return { ...answer, record: toWireRecord(record) }
    }
    const position = knownPosition ?? ringIdOf(key)
    const value = request.type === MessageType.PUT ? request.value : undefined
    if (request.type === MessageType.PUT) this.#c.counters.puts++
    else this.#c.counters.deletes++
    if (isSignedKey(key)) {
      const refusal = await signedWriteRefusal(key, value, (await this.#read(key))?.value)
      if (refusal !== undefined) throw new InvalidInputError(refusal)
    }
    if (request.local) {
      // a replica copy: kept as it is, or already held in an equal or newer version
      const copy = replicaCopyOf(
        request,
        { key, position, value },
        this.#c.clock,
        this.#init.maxClockDriftMs,
      )
      const outcome = await this.#write(copy)
      return { ...answer, replicas: 1, applied: outcome === 'applied' ? 1 : 0 }
    }
    const apply = () => this.#writeNewVersion(key, position, value, Number(request.ttlMs))
    const { record, recorded } =
      this.ownerWrites === undefined
        ? { record: await apply(), recorded: undefined }
        : await this.ownerWrites.write(key, authority, signal, apply)
    this.#handOffIfMovedMeanwhile(record, signal)
    // this peer coordinates the write: its r-1 replicas get copies
    const quorum = Math.min(
      request.writeQuorum > 0 ? request.writeQuorum : this.#init.writeQuorum,
      this.#init.replicas,
    )
    const replicas = await this.#c.writer.replicate(record, quorum)
    await recorded
    return { ...answer, replicas }
  }

  /**
   * A write can race with a join: it was routed here, but a new predecessor took the
   * range over (and may already have pulled the page this key falls in) before it was
   * applied. Offer such a record to the new owner too; the newer version wins there.
   */
  #handOffIfMovedMeanwhile(record: StoredRecord, signal: AbortSignal | undefined): void {
    const predecessor = this.#c.neighbours.predecessor
    if (predecessor === undefined || this.#c.neighbours.owns(record.position) !== false) return
    void this.#c.pool
      .request(predecessor, copyRequest(record), {
        ...(signal === undefined ? {} : { signal }),
        timeoutMs: this.#init.requestTimeoutMs,
      })
      .catch((err: unknown) => this.#c.logger.debug({ err }, 'hand-off of a racing write failed'))
  }

  /**
   * A write this member coordinates gets a new version from this member's clock, never
   * one from the caller. It is acknowledged only once the store applied it: when a newer
   * copy is already there (this clock is behind a member whose copy arrived first), the
   * clock catches up with it and the write gets a version above it, once; a stored version
   * from beyond the drift cannot be superseded, and the write fails instead of being
   * acknowledged and lost.
   */
  async #writeNewVersion(
    key: Uint8Array,
    position: RingId,
    value: Uint8Array | undefined,
    ttlMs: number,
  ): Promise<StoredRecord> {
    const self = this.#c.neighbours.self.id
    // the expiry hangs on the version's time, so every replica expires the copy alike
    const versioned = (timestamp: bigint): StoredRecord => ({
      key,
      position,
      value,
      version: { timestamp, writer: self },
      ...(ttlMs > 0 ? { expiresAt: timestampMillis(timestamp) + ttlMs } : {}),
    })
    const record = versioned(this.#c.clock.now())
    if ((await this.#write(record)) === 'applied') return record
    const existing = await this.#read(key)
    if (existing !== undefined && this.#c.clock.observe(existing.version.timestamp)) {
      const retry = versioned(this.#c.clock.now())
      if ((await this.#write(retry)) === 'applied') return retry
    }
    throw new VersionConflictError(
      existing === undefined
        ? 'the write was not applied'
        : `the key holds a version ${this.#c.clock.aheadMillis(existing.version.timestamp)} ms ahead of this member's clock, beyond the ${this.#init.maxClockDriftMs} ms drift accepted; it was not changed`,
    )
  }

  async #read(key: Uint8Array): Promise<StoredRecord | undefined> {
    try {
      return await this.#c.store.get(key)
    } catch (err) {
      throw new StoreFailedError(`store read failed: ${(err as Error).message}`, { cause: err })
    }
  }

  async #write(record: StoredRecord): Promise<ApplyOutcome> {
    try {
      return await this.#c.store.apply(record)
    } catch (err) {
      throw new StoreFailedError(`store write failed: ${(err as Error).message}`, { cause: err })
    }
  }
}
