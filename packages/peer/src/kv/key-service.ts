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
import { KeyReads } from './key-reads.js'
import { checkKeyRequest, replicaCopyOf } from './key-request-checks.js'
import type { QuorumRead } from './quorum-read.js'
import { copyRequest, toWireRecord } from './records.js'
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
  readonly #reads: KeyReads

  constructor(components: KeyServiceComponents, init: KeyServiceInit) {
    this.#c = components
    this.#init = init
    this.#reads = new KeyReads(
      {
        ...components,
        quorum: components.reads,
        read: (key) => this.#read(key),
        write: (record) => this.#write(record),
      },
      init,
    )
  }

  /** While this peer pulls its new range from its successor after joining (see KeyReads). */
  set handOverSource(node: RingNode | undefined) {
    this.#reads.handOverSource = node
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
        ? (owner, s) => this.#reads.fromReplicasOf(request, owner, s)
        : undefined,
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
      const record = await this.#reads.get(request, key, knownPosition, signal, authority)
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
        this.#reads.refuseUnprovenAbsent(knownPosition ?? ringIdOf(key), authority)
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
    // a request held up in a partition can arrive after its sender gave up (the put failed
    // for the caller, who wrote the key again meanwhile); applied now with a fresh version,
    // it would supersede the newer acknowledged writes. Its stream's reset is delivered
    // with it, so a write whose caller has gone is not applied.
    if (signal?.aborted === true) throw new NotReadyError('the caller of this write has gone')
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
