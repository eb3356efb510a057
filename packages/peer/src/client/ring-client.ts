import type { Libp2p, PrivateKey, PublicKey } from '@libp2p/interface'
import { MessageType, type Request, type Response } from '@ringdht/protocol'
import type { Logger } from 'pino'
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
} from '../coordination/coordination-api.js'
import type { LockHandle } from '../coordination/lock-handle.js'
import type { PeerStatus } from '../core/status.js'
import { versionAndExpiryOf } from '../kv/records.js'
import type { TopicRetention } from '../messaging/topic-retention.js'
import type { PublishOptions, SubscribeOptions, TopicMessage } from '../messaging/topics-api.js'
import type { KeyChange } from '../messaging/watch-changes.js'
import type { WatchOptions } from '../messaging/watches-api.js'
import {
  expiryOf,
  type GetOptions,
  type GetResult,
  type KeyInput,
  type OperationOptions,
  type PutOptions,
  readQuorumOf,
  toBytes,
  ttlOf,
  type WriteResult,
} from '../operations.js'
import { getSigned, type PutSignedOptions, putSigned } from '../signed-operations.js'
import type { EnqueueResult, Queues } from '../tasks/queue-api.js'
import type { EnqueueOptions } from '../tasks/queue-limits.js'
import type { QueueWorker, TaskHandler, WorkOptions } from '../tasks/queue-worker.js'
import { type ClientApis, clientApis } from './client-apis.js'
import type { DialledMember } from './dialled-member.js'
import type { DirectRouting } from './direct-routing.js'
import { type RingMemberInfo, ringMemberInfoOf, walkRing } from './ring-walk.js'
import { type ScannedRecord, type ScanOptions, scanRing } from './scan.js'

/** The parts `createClient` wires together; the client closes them all in `close()`. */
export interface RingClientComponents {
  /** The client's own libp2p node, stopped by `close()`; workers dial queue homes with it. */
  libp2p: Pick<Libp2p, 'stop' | 'dialProtocol'>
  dialled: DialledMember
  /** Present with direct routing (the default); absent: the dialled member routes all. */
  routing?: DirectRouting
}

/** Validated by `createClient`. */
export interface RingClientOptions {
  /** Copies of each key in the ring: how many unreachable members in a row a scan survives. */
  replicas: number
  /** Deadline of each request, ms. */
  timeoutMs: number
  maxFrameBytes: number
  logger: Logger
}

/**
 * A connection to ring members that joins nothing. With direct routing (the default) it
 * learns the ring and sends each request to the key's owner (one request, no forwards);
 * the member it dialled routes everything else and anything the view gets wrong.
 * Built with `createClient`; the CLI and the benchmarks use it.
 */
export class RingClient {
  readonly #components: RingClientComponents
  readonly #replicas: number
  readonly #closed = new AbortController()
  /** What a client shares with a member: coordination, topics, watches, queues. */
  readonly #apis: ClientApis

  constructor(components: RingClientComponents, options: RingClientOptions) {
    this.#components = components
    this.#replicas = options.replicas
    this.#apis = clientApis(
      (request, options) => this.#keyCall(request, options),
      // a topic read through a relay goes to the dialled member, whose relay serves it
      (request, options) => this.#components.dialled.call(request, options),
      components.libp2p,
      options,
      this.#closed.signal,
    )
  }

  /** Publish `message` on `topic`: resolves with its seq once W replicas hold it. */
  publish(topic: KeyInput, message: KeyInput, options?: PublishOptions): Promise<{ seq: number }> {
    return this.#apis.topics.publish(topic, message, options)
  }

  /** The messages of `topic` in order, live, from `options.from` or from now on (see RingPeer). */
  subscribe(topic: KeyInput, options?: SubscribeOptions): AsyncGenerator<TopicMessage> {
    return this.#apis.topics.subscribe(topic, options)
  }

  /** Set how much of `topic` its home retains (see RingPeer.configureTopic). */
  configureTopic(
    topic: KeyInput,
    retention: TopicRetention,
    options?: PublishOptions,
  ): Promise<TopicRetention> {
    return this.#apis.topics.configure(topic, retention, options)
  }

  /** The changes of `key` in order, live, after `options.fromVersion` or from now on (see RingPeer). */
  watch(key: KeyInput, options?: WatchOptions): AsyncGenerator<KeyChange> {
    return this.#apis.watches.watch(key, options)
  }

  /** Work queues: enqueue, work, stats, settings and dead letters (see tasks/queue-api.ts). */
  get queues(): Queues {
    return this.#apis.queues
  }

  /** Add a task to `queue`; resolves once it is on a write quorum of the queue's replicas. */
  enqueue(
    queue: string,
    payload: Uint8Array | string,
    options?: EnqueueOptions & { signal?: AbortSignal },
  ): Promise<EnqueueResult> {
    return this.#apis.queues.enqueue(queue, payload, options)
  }

  /** Work on `queue`: `handler` runs per task assigned here; resolving acks, throwing nacks. */
  work(queue: string, handler: TaskHandler, options?: WorkOptions): QueueWorker {
    return this.#apis.queues.work(queue, handler, options)
  }

  /** Set the coordination register `key` to `next` if it holds `expected`, linearizably. */
  cas(
    key: KeyInput,
    expected: KeyInput | undefined,
    next: KeyInput | undefined,
    options?: CasOptions,
  ): Promise<CasResult> {
    return this.#apis.coordination.cas(key, expected, next, options)
  }

  /** The coordination register `key`, read linearizably. */
  read(key: KeyInput, options?: RegisterOptions): Promise<RegisterValue> {
    return this.#apis.coordination.read(key, options)
  }

  /** Replace the register `key` with `fn(value)` (read, then cas until no one got between). */
  update(
    key: KeyInput,
    fn: (value: Uint8Array | undefined) => KeyInput | undefined,
    options?: UpdateOptions,
  ): Promise<CasResult> {
    return this.#apis.coordination.update(key, fn, options)
  }

  /** Take the lock `name` with a lease of `ttlMs`; the handle carries its fencing token. */
  lock(name: KeyInput, options: LockOptions): Promise<LockHandle> {
    return this.#apis.coordination.lock(name, options)
  }

  /** Lead the election `name` (lease-based): resolves once this caller leads, with a term. */
  campaign(name: KeyInput, options?: CampaignOptions): Promise<Leadership> {
    return this.#apis.coordination.campaign(name, options)
  }

  /** The leaders of the election `name` as they change, until `signal` aborts. */
  observe(
    name: KeyInput,
    options?: { signal?: AbortSignal; intervalMs?: number },
  ): AsyncGenerator<LeaderChange> {
    return this.#apis.coordination.observe(name, options)
  }

  /** The coordination API (registers, locks, elections) as one object. */
  get coordination(): Coordination {
    return this.#apis.coordination
  }

  /** The value of `key`, or undefined when the ring holds none (or a tombstone). */
  async get(key: KeyInput, options: GetOptions = {}): Promise<GetResult | undefined> {
    const response = await this.#keyCall(
      {
        type: MessageType.GET,
        key: bytes(key, 'key'),
        readQuorum: readQuorumOf(options.consistency),
      },
      options,
    )
    const record = response.record
    if (record?.value === undefined) return undefined
    return {
      value: record.value,
      hops: response.hops,
      ...(options.trace ? { path: response.path } : {}),
      ...expiryOf(versionAndExpiryOf(record)),
    }
  }

  /** Store `value` under `key`; `writeQuorum` defaults to the ring's own. */
  async put(key: KeyInput, value: KeyInput, options: PutOptions = {}): Promise<WriteResult> {
    const response = await this.#keyCall(
      {
        type: MessageType.PUT,
        key: bytes(key, 'key'),
        value: bytes(value, 'value'),
        writeQuorum: options.writeQuorum ?? 0,
        ttlMs: ttlOf(options.ttlMs),
      },
      options,
    )
    return {
      hops: response.hops,
      ...(options.trace ? { path: response.path } : {}),
      replicas: response.replicas,
    }
  }

  /** Delete `key` (a tombstone, so replicas do not bring it back). */
  async delete(key: KeyInput, options: OperationOptions = {}): Promise<WriteResult> {
    const response = await this.#keyCall(
      { type: MessageType.DELETE, key: bytes(key, 'key') },
      options,
    )
    return { hops: response.hops, ...(options.trace ? { path: response.path } : {}) }
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

  /**
   * Learn the ring's members now (direct routing does this on first use and then every
   * `refreshMs`); resolves with the number of members known. Via-peer clients: 0.
   */
  async refreshRouting(): Promise<number> {
    return (await this.#components.routing?.refresh()) ?? 0
  }

  /** The dialled member's own status. */
  async status(options: { signal?: AbortSignal } = {}): Promise<PeerStatus> {
    return this.#components.dialled.statusOf(undefined, options)
  }

  /**
   * Every member, in ring order, found by walking successors from the dialled member;
   * one that does not answer is reported with `health: 'unreachable'`.
   */
  async ring(options: { signal?: AbortSignal } = {}): Promise<RingMemberInfo[]> {
    const walked = await walkRing(this.#components.dialled.statusOf, {
      ...options,
      everyMember: true,
    })
    return walked.map(ringMemberInfoOf)
  }

  /**
   * Every live key in the ring once, member by member in pages; fails when more members
   * in a row than there are replicas are unreachable, rather than export short.
   */
  async *scan(options: ScanOptions = {}): AsyncGenerator<ScannedRecord> {
    const walk = await this.ring(options)
    yield* scanRing(this.#components.dialled, walk, this.#replicas, options)
  }

  /** Stop refreshing, close every channel and stop the libp2p node. */
  async close(): Promise<void> {
    this.#closed.abort()
    this.#apis.queues.close()
    this.#components.routing?.close()
    this.#components.dialled.close()
    await this.#components.libp2p.stop()
  }

  #keyCall(request: Partial<Request>, options: OperationOptions): Promise<Response> {
    const routing = this.#components.routing
    return routing === undefined
      ? this.#components.dialled.call(request, options)
      : routing.request(request, options)
  }
}

function bytes(input: KeyInput, what: string): Uint8Array<ArrayBuffer> {
  return toBytes(input, what) as Uint8Array<ArrayBuffer>
}
