import type { Libp2p, PeerId, PrivateKey, PublicKey } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { RingId } from '@ringdht/ring'
import { MemoryTable, type Store, type Table } from '@ringdht/store'
import { TypedEventEmitter } from 'main-event'
import type { PeerConfig } from './config.js'
import type {
  CampaignOptions,
  CasOptions,
  CasResult,
  Coordination,
  LeaderChange,
  Leadership,
  LockOptions,
  RegisterOptions,
  RegisterValue,
  UpdateOptions,
} from './coordination/coordination-api.js'
import type { LockHandle } from './coordination/lock-handle.js'
import type { CapabilityFactory } from './core/capability.js'
import { RingCore, type RingCoreComponents } from './core/ring-core.js'
import type { PeerStatus } from './core/status.js'
import type { BullyOptions } from './election/bully-capability.js'
import type { BullyGroup } from './election/bully-group.js'
import type { PeerEvents } from './events.js'
import type { HomeLogs } from './homes/home-logs.js'
import { KeyValueRequests } from './kv/key-value-requests.js'
import type { TopicRetention } from './messaging/topic-retention.js'
import type { PublishOptions, SubscribeOptions, TopicMessage } from './messaging/topics-api.js'
import type { KeyChange } from './messaging/watch-changes.js'
import type { WatchOptions } from './messaging/watches-api.js'
import {
  type GetOptions,
  type GetResult,
  type KeyInput,
  type OperationOptions,
  type PutOptions,
  toBytes,
  type WriteResult,
} from './operations.js'
import { type MemberCapabilities, registerCapabilities } from './peer-capabilities.js'
import { getSigned, type PutSignedOptions, putSigned } from './signed-operations.js'
import type { EnqueueResult, Queues } from './tasks/queue-api.js'
import type { EnqueueOptions } from './tasks/queue-limits.js'
import type { QueueWorker, TaskHandler, WorkOptions } from './tasks/queue-worker.js'

/** A snapshot of the routing state, for tests and diagnostics. */
export interface RoutingSnapshot {
  successors: RingId[]
  predecessor: RingId | undefined
  fingers: Array<RingId | undefined>
}

export interface RingPeerComponents extends Pick<RingCoreComponents, 'libp2p'> {
  store: Store
  /** Where the coordination acceptor keeps its state. Default: in memory. */
  coordinationTable?: Table
  /** Where this member keeps its replicas of home logs (topics, queues). Default: in memory. */
  homesTable?: Table
  /**
   * True when the member's identity was made at this start, so an empty coordination
   * table is a new acceptor's, not a lost one. Default true.
   */
  identityIsNew?: boolean
  /** Capabilities registered after the key/value store and coordination, in this order. */
  capabilities: readonly CapabilityFactory[]
}

/**
 * A ring member: the ring core (a libp2p node in a Chord ring, routing toward owners)
 * with the key/value store and any other capabilities registered on it. Its methods hand
 * off to those parts. Build it with `createPeer`.
 */
export class RingPeer extends TypedEventEmitter<PeerEvents> {
  readonly peerId: PeerId
  readonly ringId: RingId
  /** Resolves once the peer has joined (or started) a ring; rejects if joining failed. */
  readonly ready: Promise<void>

  readonly #libp2p: Libp2p
  readonly #core: RingCore
  /** The capabilities on the core and the APIs the methods below hand off to. */
  readonly #parts: MemberCapabilities
  readonly #requests: KeyValueRequests

  constructor(components: RingPeerComponents, config: PeerConfig) {
    super()
    this.#libp2p = components.libp2p
    const table = components.coordinationTable ?? new MemoryTable()
    const homesTable = components.homesTable ?? new MemoryTable()
    this.#core = new RingCore(
      {
        libp2p: components.libp2p,
        emit: (name, detail) => {
          this.#core.logger.debug({ event: name, detail }, 'event')
          this.safeDispatchEvent(name, { detail })
        },
        resources: [
          { name: 'store', close: () => components.store.close() },
          { name: 'coordination table', close: () => table.close() },
          { name: 'homes table', close: () => homesTable.close() },
        ],
      },
      config,
    )
    this.peerId = components.libp2p.peerId
    this.ringId = this.#core.self.id
    this.ready = this.#core.ready
    this.#parts = registerCapabilities(this.#core, components, config, {
      coordination: table,
      homes: homesTable,
    })
    this.#requests = new KeyValueRequests(this.#parts.kv.keys, config, this.#core.lifetime)
  }

  /** Register the protocol handlers and join in the background (see `ready`). */
  start(): Promise<void> {
    return this.#core.start()
  }

  getMultiaddrs(): Multiaddr[] {
    return this.#libp2p.getMultiaddrs()
  }

  /** The local store, for tests and tools. Writing to it bypasses routing and versions. */
  get store(): Store {
    return this.#parts.kv.store
  }

  get(key: KeyInput, options: GetOptions = {}): Promise<GetResult | undefined> {
    return this.#requests.get(key, options)
  }

  put(key: KeyInput, value: KeyInput, options: PutOptions = {}): Promise<WriteResult> {
    return this.#requests.put(key, value, options)
  }

  delete(key: KeyInput, options: OperationOptions = {}): Promise<WriteResult> {
    return this.#requests.delete(key, options)
  }

  /**
   * Set the coordination register `key` to `next` if it holds `expected` (undefined:
   * absent), linearizably. Registers are a keyspace of their own: `get` never sees them.
   */
  cas(
    key: KeyInput,
    expected: KeyInput | undefined,
    next: KeyInput | undefined,
    options?: CasOptions,
  ): Promise<CasResult> {
    return this.#parts.coordination.cas(key, expected, next, options)
  }

  /** The coordination register `key`, read linearizably (a Paxos round). */
  read(key: KeyInput, options?: RegisterOptions): Promise<RegisterValue> {
    return this.#parts.coordination.read(key, options)
  }

  /** Replace the register `key` with `fn(value)` (read, then cas until no one got between). */
  update(
    key: KeyInput,
    fn: (value: Uint8Array | undefined) => KeyInput | undefined,
    options?: UpdateOptions,
  ): Promise<CasResult> {
    return this.#parts.coordination.update(key, fn, options)
  }

  /** Take the lock `name` with a lease of `ttlMs`; the handle carries its fencing token. */
  lock(name: KeyInput, options: LockOptions): Promise<LockHandle> {
    return this.#parts.coordination.lock(name, options)
  }

  /** Lead the election `name` (lease-based): resolves once this caller leads, with a term. */
  campaign(name: KeyInput, options?: CampaignOptions): Promise<Leadership> {
    return this.#parts.coordination.campaign(name, options)
  }

  /** The leaders of the election `name` as they change, until `signal` aborts. */
  observe(
    name: KeyInput,
    options?: { signal?: AbortSignal; intervalMs?: number },
  ): AsyncGenerator<LeaderChange> {
    return this.#parts.coordination.observe(name, options)
  }

  /**
   * Take part in the Bully election of `group` among `options.members` (peer ids of ring
   * members, this one included): the member at the highest ring position alive
   * coordinates, with a term from a coordination register that grows with every new
   * coordinator. Every member of the group opens it with the same members; `close()`
   * leaves. Members only: a client receives no messages, so it cannot take part.
   */
  bully(group: string, options: BullyOptions): BullyGroup {
    return this.#parts.bully.open(group, options)
  }

  /** The coordination API (registers, locks, elections) as one object. */
  get coordination(): Coordination {
    return this.#parts.coordination
  }

  /** Publish a value signed by `privateKey` under `name` in its namespace (see `signedKey`). */
  putSigned(
    privateKey: PrivateKey,
    name: KeyInput,
    value: KeyInput,
    options?: PutSignedOptions,
  ): ReturnType<typeof putSigned> {
    return putSigned(this, privateKey, name, value, options)
  }

  /** A value `owner` published under `name`, verified; undefined when absent or forged. */
  getSigned(
    owner: PublicKey | string,
    name: KeyInput,
    options?: OperationOptions,
  ): ReturnType<typeof getSigned> {
    return getSigned(this, owner, name, options)
  }

  status(): Promise<PeerStatus> {
    return this.#core.status()
  }

  routingSnapshot(): RoutingSnapshot {
    const m = this.#core.membership
    return {
      successors: m.successors.filter((s) => s !== m.self).map((s) => s.id),
      predecessor: m.predecessor?.id,
      fingers: m.fingers.map((f) => f?.id),
    }
  }

  /** True while this peer is still pulling its range from its successor after joining. */
  get handingOver(): boolean {
    return this.#parts.kv.handingOver
  }

  /** Resolves when the join hand-over (if any) has finished. */
  handOverDone(): Promise<void> {
    return this.#parts.kv.handOverDone()
  }

  /**
   * Leave the ring gracefully and close: wait for write copies still in flight, hand
   * every range this peer holds a copy of to the peer that takes its place in that
   * range's replica set, tell the predecessor and successor (LEAVE), then close. The
   * leave is bounded by `timers.leaveTimeoutMs`; stop() always completes. Idempotent.
   */
  stop(): Promise<void> {
    return this.#core.stop()
  }

  /**
   * Stop as if the process died (tests, fault injection): no hand-off, no LEAVE; timers
   * end, streams and the transport close, the store is closed as it is.
   */
  crash(): Promise<void> {
    return this.#core.crash()
  }

  /**
   * What this member's coordination acceptor accepted last for the register `key`
   * (tests, tools): not a linearizable read, only this replica's copy.
   */
  acceptedState(key: KeyInput): RegisterValue {
    return this.#parts.coordinationCapability.acceptedState(toBytes(key, 'key'))
  }

  /**
   * Publish `message` on `topic`: resolves with its sequence number once a write quorum
   * of the topic's replicas holds it (numbers are gap-free and increasing per topic).
   */
  publish(topic: KeyInput, message: KeyInput, options?: PublishOptions): Promise<{ seq: number }> {
    return this.#parts.topics.publish(topic, message, options)
  }

  /**
   * The messages of `topic` in order, live, from `options.from` (replay) or from now on;
   * at least once and in order across failovers of the topic's home. Ends when
   * `options.signal` aborts.
   */
  subscribe(topic: KeyInput, options?: SubscribeOptions): AsyncGenerator<TopicMessage> {
    return this.#parts.topics.subscribe(topic, options)
  }

  /**
   * Set how much of `topic` its home retains (by count, by age; 0 or absent: the ring's
   * default). Every later home of the topic applies it; resolves with the setting.
   */
  configureTopic(
    topic: KeyInput,
    retention: TopicRetention,
    options?: PublishOptions,
  ): Promise<TopicRetention> {
    return this.#parts.topics.configure(topic, retention, options)
  }

  /**
   * The changes (put, delete) of `key` as its owner applies them, in order, live, after
   * `options.fromVersion` or from now on: every acknowledged write at least once, across
   * failovers of the owner. Ends when `options.signal` aborts.
   */
  watch(key: KeyInput, options?: WatchOptions): AsyncGenerator<KeyChange> {
    return this.#parts.watches.watch(key, options)
  }

  /**
   * Replicated logs served by their homes (the base of topics and queues): see
   * homes/home-logs.ts. For capabilities built on this member.
   */
  get homeLogs(): HomeLogs {
    return this.#parts.homes
  }

  /** Work queues: enqueue, work, stats, settings and dead letters (see tasks/queue-api.ts). */
  get queues(): Queues {
    return this.#parts.queues
  }

  /** Add a task to `queue`; resolves once it is on a write quorum of the queue's replicas. */
  enqueue(
    queue: string,
    payload: Uint8Array | string,
    options?: EnqueueOptions & { signal?: AbortSignal },
  ): Promise<EnqueueResult> {
    return this.#parts.queues.enqueue(queue, payload, options)
  }

  /** Work on `queue`: `handler` runs per task assigned here; resolving acks, throwing nacks. */
  work(queue: string, handler: TaskHandler, options?: WorkOptions): QueueWorker {
    return this.#parts.queues.work(queue, handler, options)
  }

  /** Resolves when no carrying over of coordination keys is running or scheduled (tests). */
  coordinationSettled(): Promise<void> {
    return this.#parts.coordinationCapability.carriedOver()
  }

  /** Run an anti-entropy pass now (tests, tools); resolves when it ends. */
  repair(): Promise<void> {
    return this.#parts.kv.repair()
  }
}
