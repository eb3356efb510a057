/**
 * @packageDocumentation
 *
 * The ringdht peer: a libp2p node that joins a Chord ring, keeps its successor list,
 * predecessor and finger table fresh (stabilize / notify / fix_fingers /
 * check_predecessor, periodic and jittered), and serves get/put/delete for any key by
 * routing it, hop by hop, to the peer that owns it. A joining peer pulls the keys of its
 * new range from its successor in pages. Each key lives on its owner and the next r-1
 * successors: writes are acknowledged once W copies hold them, reads fall back to the
 * replicas when the owner does not answer, a periodic anti-entropy pass (range digests)
 * heals missing or stale copies and re-replicates after failures, and `stop()` hands the
 * peer's ranges to the peers that take its place before it leaves. `createClient` dials
 * one member without joining. `@ringdht/peer/testing` has `createTestRing`, a whole ring
 * in-process for tests.
 *
 * Inside, a member is a ring core (identity, libp2p node, Chord membership, routing, RPC
 * channels) with capabilities registered on it; the key/value store is the first one.
 * `createPeer({ capabilities })` adds more: each declares the request types it serves and
 * hooks for join, range changes, leave and stop (see `Capability`).
 *
 * @example
 * ```ts
 * import { createPeer, createClient } from '@ringdht/peer'
 *
 * const first = await createPeer()
 * const second = await createPeer({ bootstrap: [first.getMultiaddrs()[0].toString()] })
 * await second.ready
 * await first.put('hello', 'world')
 * const found = await second.get('hello') // { value: Uint8Array, hops, version }
 *
 * const client = await createClient({ peer: first.getMultiaddrs()[0].toString() })
 * await client.ring() // members in ring order
 * await client.close()
 * await second.stop()
 * await first.stop()
 * ```
 */
export { createClient, type RingClientInit } from './client/create-client.js'
export { RingClient } from './client/ring-client.js'
export type { RingMemberInfo } from './client/ring-walk.js'
export {
  DEFAULT_PEER_LIMITS,
  DEFAULT_TIMERS,
  type PeerLimits,
  type PeerTimers,
  type RingPeerInit,
} from './config.js'
export {
  type CampaignOptions,
  type CasOptions,
  type CasResult,
  Coordination,
  type Fence,
  type LeaderChange,
  type Leadership,
  type LockOptions,
  type ObserveOptions,
  type RegisterOptions,
  type RegisterValue,
  type UpdateOptions,
} from './coordination/coordination-api.js'
export { LockHandle } from './coordination/lock-handle.js'
export {
  type AcquireAttempt,
  type LockGrant,
  LockLease,
  type LockLeaseState,
} from './coordination/lock-lease.js'
export type {
  Capability,
  CapabilityContext,
  CapabilityFactory,
  CapabilityProtocol,
  JoinedEvent,
} from './core/capability.js'
export type { LivenessReports, Neighbours } from './core/neighbours.js'
export type { MemberInfo, RingNode } from './core/ring-node.js'
export type { RequestContext } from './core/rpc/server.js'
export type { PeerStatus, QueueHomeStatus } from './core/status.js'
export { type CreatePeerInit, createPeer } from './create-peer.js'
export type { BullyOptions } from './election/bully-capability.js'
export {
  BULLY_TIMER_DEFAULTS,
  BullyGroup,
  type BullyLeader,
  type BullyTimers,
} from './election/bully-group.js'
export {
  FencedError,
  ForbiddenError,
  HopLimitExceededError,
  InvalidInputError,
  InvalidRecordError,
  KeyTooLargeError,
  LockNotHeldError,
  NotReadyError,
  OutcomeUnknownError,
  PeerBusyError,
  PeerUnreachableError,
  ProtocolError,
  QuorumNotReachedError,
  RemoteError,
  RequestTimeoutError,
  RingdhtError,
  RingError,
  StoreClosedError,
  StoreCorruptError,
  StoreFailedError,
  StoreOpenError,
  TrimmedError,
  ValueTooLargeError,
  VersionConflictError,
} from './errors.js'
export type { PeerEventMap, PeerEventName, PeerEvents } from './events.js'
export type { HomeLog, Retention } from './homes/home-log.js'
export { DEFAULT_RETENTION, HomeLogs, type OpenLogOptions } from './homes/home-logs.js'
export type { LogId } from './homes/log-keys.js'
export type { Entry as LogEntry } from './homes/replica-log.js'
export { ownerOf, signedKey } from './kv/signed-keys.js'
export type { TopicRetention } from './messaging/topic-retention.js'
export {
  MAX_TOPIC_BYTES,
  type PublishOptions,
  type SubscribeOptions,
  type TopicMessage,
  Topics,
} from './messaging/topics-api.js'
export { TOPIC_PROTOCOL } from './messaging/topics-capability.js'
export { compareVersions, type KeyChange } from './messaging/watch-changes.js'
export { Watches, type WatchOptions } from './messaging/watches-api.js'
export {
  type Consistency,
  type GetOptions,
  type GetResult,
  type KeyInput,
  MAX_TTL_MS,
  type OperationOptions,
  type PutOptions,
  type WriteResult,
} from './operations.js'
export { RingPeer, type RoutingSnapshot } from './peer.js'
export type { PutSignedOptions } from './signed-operations.js'
export type { EnqueueResult, QueueStatsWithHome, Queues } from './tasks/queue-api.js'
export {
  DEFAULT_QUEUE_SETTINGS,
  type DispatchPolicyName,
  type QueueSettings,
} from './tasks/queue-entries.js'
export {
  DEFAULT_QUEUE_LIMITS,
  type EnqueueOptions,
  type QueueLimits,
} from './tasks/queue-limits.js'
export type { QueueStats, WorkerStats } from './tasks/queue-stats.js'
export type { DeadLetter, QueueStatsView } from './tasks/queue-wire.js'
export type { QueueWorker, Task, TaskHandler, WorkOptions } from './tasks/queue-worker.js'
