import { DEFAULT_LIMITS, type WireLimits } from '@ringdht/protocol'
import type { Store } from '@ringdht/store'
import type { Logger } from 'pino'
import { pino } from 'pino'
import { InvalidInputError } from './errors.js'

/**
 * What one host may cost this node. Loopback is not exempt: a local attacker is still
 * an attacker. Rings of many members on one host (tests, `ringdht cluster`, the bench)
 * raise them explicitly.
 */
export interface ConnectionLimits {
  /** Open connections at most. */
  readonly maxConnections: number
  /** New inbound connections one host may open per second; more are refused. */
  readonly maxInboundConnectionsPerHostPerSecond: number
  /** Inbound connections still negotiating encryption and muxer at once. */
  readonly maxPendingConnections: number
  /**
   * New streams one connection may open per second (mplex); more close the connection.
   * Together with `streamNegotiationTimeoutMs` this bounds the streams a remote can keep
   * open without naming a protocol.
   */
  readonly maxNewStreamsPerSecond: number
  /** A stream that has not named its protocol by then is closed, in ms. */
  readonly streamNegotiationTimeoutMs: number
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = Object.freeze({
  maxConnections: 1024,
  maxInboundConnectionsPerHostPerSecond: 128,
  maxPendingConnections: 64,
  maxNewStreamsPerSecond: 50,
  streamNegotiationTimeoutMs: 5_000,
})

export interface PeerLimits extends WireLimits, ConnectionLimits {
  /** Most requests this peer has in flight to one remote peer; more wait. Default 64. */
  readonly maxInFlightPerPeer: number
  /** Most requests served concurrently on one inbound stream; more get BUSY. Default 128. */
  readonly maxConcurrentPerStream: number
  /** Most inbound RPC streams per connection. Default 8. */
  readonly maxInboundStreams: number
  /** Slices each range is cut into when replicas compare digests (anti-entropy). Default 64. */
  readonly repairBuckets: number
  /** Most records one anti-entropy pass pulls plus pushes; the rest waits for the next pass. Default 100000. */
  readonly maxRepairRecordsPerPass: number
}

export interface PeerTimers {
  /** stabilize: ask the successor for its predecessor and successor list. Default 1000. */
  readonly stabilizeMs: number
  /** fix_fingers: refresh the finger table (one full pass per tick). Default 2000. */
  readonly fixFingersMs: number
  /** check_predecessor: ping the predecessor. Default 2000. */
  readonly checkPredecessorMs: number
  /** Deadline of one request to one peer (each hop). Default 5000. */
  readonly requestTimeoutMs: number
  /** Deadline of a maintenance ping; a peer that misses `failureThreshold` in a row is dropped. Default 1000. */
  readonly pingTimeoutMs: number
  /** A half-received frame older than this closes the stream (stalled sender). Default 10000. */
  readonly frameTimeoutMs: number
  /** An inbound stream with no traffic for this long is closed. Default 120000. */
  readonly idleStreamMs: number
  /** Each periodic task waits interval × (1 ± jitter). Default 0.2. */
  readonly jitter: number
  /** Anti-entropy: compare the primary range with its replicas and heal differences. Default 10000. */
  readonly antiEntropyMs: number
  /** Most time `stop()` spends handing keys off and telling neighbours before it closes. Default 10000. */
  readonly leaveTimeoutMs: number
  /** How often the allowlist file is checked for changes. Default 5000. */
  readonly allowlistReloadMs: number
  /**
   * After a restart, how long a get for a key whose former replicas are not all back is
   * refused (NOT_READY) rather than answered absent (see FormerRing). Default 60000.
   */
  readonly formerRingGraceMs: number
}

export interface RingPeerInit {
  /** Listen multiaddrs. Default ['/ip4/127.0.0.1/tcp/0']. */
  listen?: string[]
  /**
   * Multiaddrs other members and clients should dial to reach this peer, instead of the
   * listen addresses (libp2p `announce`, Cassandra's `broadcast_address`): a DNS name or a
   * public address when listening on 0.0.0.0 behind NAT or in a container. Default [].
   */
  announce?: string[]
  /** Multiaddrs (with /p2p/<id>) of any ring members; [] starts a new ring. Default []. */
  bootstrap?: string[]
  /** Folder for the identity key and the data (LMDB). Default: none, all in memory. */
  dataDir?: string
  /** Contents of a libp2p pnet swarm key file: only peers with the same key connect. */
  psk?: Uint8Array
  /** Copies of each key, r (used by replication). Default 3. */
  replicas?: number
  /** Replicas that must hold a write before it is acknowledged, W. Default 2. */
  writeQuorum?: number
  /**
   * Replicas a get waits for, R; W + R > r makes every read see the last acknowledged
   * write. A get may ask for one copy (`consistency: 'one'`). Default r - W + 1 (2).
   */
  readQuorum?: number
  /** Length of the successor list (routing and fault tolerance; replication uses the first r-1). Default max(replicas, 8). */
  successorListLength?: number
  /** Consecutive failed maintenance requests before a neighbour is dropped. Default 2. */
  failureThreshold?: number
  /**
   * Tombstones (deleted keys) are kept this long, then collected. A replica that was
   * away for longer may bring a deleted key back. Default 3600000 (1 hour).
   */
  tombstoneGraceMs?: number
  /**
   * With a `dataDir`: 'sync' acknowledges a write only once it is flushed to disk on each
   * replica counted (a power cut loses no acknowledged write; concurrent writes share
   * their flush), 'none' once it is in the page cache (a killed process loses nothing, a
   * power cut may). Default 'sync'.
   */
  durability?: 'sync' | 'none'
  limits?: Partial<PeerLimits>
  timers?: Partial<PeerTimers>
  /** Stream multiplexer. Default 'mplex'. */
  muxer?: 'mplex' | 'yamux'
  /** A pino logger. Default: silent. */
  logger?: Logger
  /** Use this store instead of creating one (tests, embedding). The peer closes it on stop. */
  store?: Store
  /**
   * How far ahead of this member's clock a version from another member may be, in ms;
   * versions further ahead are refused (a wrong clock or a crafted version would
   * otherwise win every later write). Default 60000.
   */
  maxClockDriftMs?: number
  /**
   * The id puzzle: a member's peer id must have this many leading zero bits in
   * SHA-256(SHA-256(peer id)), so a ring position costs about 2^n key generations.
   * A new identity is generated to match; members refuse others. Default 10.
   */
  idDifficulty?: number
  /**
   * A file of the peer ids that may be members, one a line (`#` comments); re-read when
   * it changes. Others are clients: they may get/put/delete, never replicate or join.
   * Default: none (every peer that solves the id puzzle may join).
   */
  allowlistFile?: string
  /**
   * How much of each topic its home keeps for replay (`subscribe(…, { from })`): at most
   * `maxEntries` messages, none older than `maxAgeMs` (0: no age limit). Default 100000
   * messages, no age limit.
   */
  topicRetention?: { maxEntries?: number; maxAgeMs?: number }
  /**
   * Fan-out: once more than this many subscribers read a topic at its home, the home tells
   * new readers to read through a relay (their own member, or the member a client dialled),
   * which pulls once from the home for all of its subscribers. 0 turns it off. Default 16.
   */
  topicFanoutThreshold?: number
  /**
   * Let clients that ask this member configure work queues, read their dead letters and
   * replay them. Ring members always may; clients may enqueue, work and read stats either
   * way. Default false.
   */
  clientQueueAdmin?: boolean
}

export interface PeerConfig {
  readonly listen: readonly string[]
  readonly announce: readonly string[]
  readonly bootstrap: readonly string[]
  readonly dataDir: string | undefined
  readonly psk: Uint8Array | undefined
  readonly replicas: number
  readonly writeQuorum: number
  readonly readQuorum: number
  readonly successorListLength: number
  readonly failureThreshold: number
  readonly tombstoneGraceMs: number
  readonly durability: 'sync' | 'none'
  readonly limits: PeerLimits
  readonly timers: PeerTimers
  readonly maxClockDriftMs: number
  readonly idDifficulty: number
  readonly allowlistFile: string | undefined
  readonly muxer: 'mplex' | 'yamux'
  readonly logger: Logger
  readonly topicRetention: { readonly maxEntries: number; readonly maxAgeMs: number }
  readonly topicFanoutThreshold: number
  readonly clientQueueAdmin: boolean
}

export const DEFAULT_PEER_LIMITS: PeerLimits = Object.freeze({
  ...DEFAULT_LIMITS,
  ...DEFAULT_CONNECTION_LIMITS,
  maxInFlightPerPeer: 64,
  maxConcurrentPerStream: 128,
  maxInboundStreams: 8,
  repairBuckets: 64,
  maxRepairRecordsPerPass: 100_000,
})

export const DEFAULT_TIMERS: PeerTimers = Object.freeze({
  stabilizeMs: 1000,
  fixFingersMs: 2000,
  checkPredecessorMs: 2000,
  requestTimeoutMs: 5000,
  pingTimeoutMs: 1000,
  frameTimeoutMs: 10_000,
  idleStreamMs: 120_000,
  jitter: 0.2,
  antiEntropyMs: 10_000,
  leaveTimeoutMs: 10_000,
  allowlistReloadMs: 5_000,
  formerRingGraceMs: 60_000,
})

/** Validate the options once, fill in defaults and freeze the result. */
export function resolveConfig(init: RingPeerInit): PeerConfig {
  const replicas = positiveInteger('replicas', init.replicas ?? 3)
  const writeQuorum = positiveInteger('writeQuorum', init.writeQuorum ?? Math.min(2, replicas))
  if (writeQuorum > replicas) {
    throw new InvalidInputError(`writeQuorum (${writeQuorum}) cannot exceed replicas (${replicas})`)
  }
  const readQuorum = positiveInteger('readQuorum', init.readQuorum ?? replicas - writeQuorum + 1)
  if (readQuorum > replicas) {
    throw new InvalidInputError(`readQuorum (${readQuorum}) cannot exceed replicas (${replicas})`)
  }
  const limits = { ...DEFAULT_PEER_LIMITS, ...init.limits }
  for (const [name, value] of Object.entries(limits)) positiveInteger(`limits.${name}`, value)
  const timers = { ...DEFAULT_TIMERS, ...init.timers }
  for (const [name, value] of Object.entries(timers)) {
    if (name === 'jitter') {
      if (!(value >= 0 && value < 1)) throw new InvalidInputError('timers.jitter must be in [0, 1)')
    } else positiveInteger(`timers.${name}`, value)
  }
  return Object.freeze({
    listen: Object.freeze([...(init.listen ?? ['/ip4/127.0.0.1/tcp/0'])]),
    announce: Object.freeze([...(init.announce ?? [])]),
    bootstrap: Object.freeze([...(init.bootstrap ?? [])]),
    dataDir: init.dataDir,
    psk: init.psk,
    replicas,
    writeQuorum,
    readQuorum,
    successorListLength: positiveInteger(
      'successorListLength',
      init.successorListLength ?? Math.max(replicas, 8),
    ),
    failureThreshold: positiveInteger('failureThreshold', init.failureThreshold ?? 2),
    tombstoneGraceMs: positiveInteger('tombstoneGraceMs', init.tombstoneGraceMs ?? 3_600_000),
    durability: durabilityOf(init.durability),
    limits: Object.freeze(limits),
    timers: Object.freeze(timers),
    maxClockDriftMs: positiveInteger('maxClockDriftMs', init.maxClockDriftMs ?? 60_000),
    idDifficulty: idDifficulty(init.idDifficulty ?? 10),
    allowlistFile: init.allowlistFile,
    clientQueueAdmin: init.clientQueueAdmin === true,
    muxer: init.muxer ?? 'mplex',
    logger: init.logger ?? pino({ level: 'silent' }),
    topicRetention: Object.freeze({
      maxEntries: positiveInteger(
        'topicRetention.maxEntries',
        init.topicRetention?.maxEntries ?? 100_000,
      ),
      maxAgeMs: nonNegative('topicRetention.maxAgeMs', init.topicRetention?.maxAgeMs ?? 0),
    }),
    topicFanoutThreshold: nonNegative('topicFanoutThreshold', init.topicFanoutThreshold ?? 16),
  })
}

function nonNegative(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new InvalidInputError(`${name} must be an integer ≥ 0, got ${value}`)
  }
  return value
}

function idDifficulty(value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 32) {
    throw new InvalidInputError(`idDifficulty must be an integer from 0 to 32, got ${value}`)
  }
  return value
}

function durabilityOf(value: unknown): 'sync' | 'none' {
  if (value === undefined || value === 'sync' || value === 'none') return value ?? 'sync'
  throw new InvalidInputError(`durability must be 'sync' or 'none', got ${String(value)}`)
}

/**
 * `value` when it is a whole number above zero; otherwise an InvalidInputError naming the
 * option. The one check behind every count and duration option, of a peer and a client.
 */
export function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new InvalidInputError(`${name} must be a positive integer, got ${value}`)
  }
  return value
}
