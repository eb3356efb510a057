import type { Libp2p, Stream } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import {
  DEFAULT_LIMITS,
  ErrorCode,
  MessageType,
  type Request,
  type Response,
  RPC_PROTOCOL,
} from '@ringdht/protocol'
import { compareRingIds, type RingId, ringIdFromHex, ringIdOf } from '@ringdht/ring'
import type { Logger } from 'pino'
import { pino } from 'pino'
import { positiveInteger } from './config.js'
import {
  errorFromWire,
  InvalidInputError,
  PeerUnreachableError,
  RequestTimeoutError,
} from './errors.js'
import { createNode } from './libp2p-node.js'
import type { GetResult, KeyInput, OperationOptions, WriteResult } from './operations.js'
import { toBytes } from './operations.js'
import { advancePageCursor, fromWireRecord, type PageCursor } from './records.js'
import type { MemberInfo } from './ring-node.js'
import { RingView, type ViewMember } from './ring-view.js'
import { RpcChannel } from './rpc/channel.js'
import { memberToWire, type PeerStatus, statusFromWire } from './status.js'

export interface RingClientInit {
  /** Multiaddr of any ring member; `/p2p/<id>` is checked when present. */
  peer: string
  /** Swarm key of a private ring. */
  psk?: Uint8Array
  /** Deadline of each request. Default 10000. */
  timeoutMs?: number
  /** Hop limit of requests. Default 32. */
  maxHops?: number
  muxer?: 'mplex' | 'yamux'
  /** Largest frame accepted. Default 4 MiB. */
  maxFrameBytes?: number
  /** Requests in flight at once; more wait. Default 64. */
  maxInFlight?: number
  logger?: Logger
  /**
   * `'direct'` (default): learn the ring's members and send each get/put/delete straight
   * to the key's owner (a get tries the owner's replicas next when the owner cannot be
   * reached), falling back to the dialled member whenever that fails or the ring is not
   * known yet. `'via-peer'`: the dialled member routes every request.
   */
  routing?: 'direct' | 'via-peer'
  /** How often the direct routing view is refreshed (jittered ±20%). Default 30000. */
  refreshMs?: number
  /** Members the client keeps a connection to at once (direct routing). Default 64. */
  maxDirectPeers?: number
  /** Copies of each key in the ring, the replicas a get may try. Default 3. */
  replicas?: number
}

/** One member of the ring as `client.ring()` reports it, in ring order. */
export interface RingMemberInfo extends MemberInfo {
  /** This member's primary range (start, end], hex. */
  range: { start: string; end: string }
  keyCount: number
  /** Records held beyond the primary range (replicas, hand-over leftovers). */
  replicaKeyCount: number
  health: 'ok' | 'unreachable'
}

/** Upper bound on members walked by ring() and scan(), against a looping successor chain. */
const MAX_RING_WALK = 4096

/** Least time between two view refreshes triggered by misses or errors. */
const MIN_REFRESH_INTERVAL_MS = 1_000

/** How the client reaches the members other than the one it dialled (direct routing). */
export interface DirectRoutingInit {
  /** Open an RPC stream to a member, by its addresses. */
  openStream(member: ViewMember, signal: AbortSignal): Promise<Stream>
  /** Drop the connection to a member the client no longer keeps a channel to. */
  hangUp(member: ViewMember): Promise<void>
  refreshMs: number
  maxPeers: number
  replicas: number
  maxInFlight: number
  maxFrameBytes: number
  logger: Logger
}

/** Wire errors after which a direct request is retried elsewhere rather than reported. */
const RETRYABLE_CODES: ReadonlySet<number> = new Set([
  ErrorCode.TIMEOUT,
  ErrorCode.PEER_UNREACHABLE,
  ErrorCode.NOT_READY,
  ErrorCode.BUSY,
])

/** An answer a member gave, or the failure that means "try elsewhere". */
type Attempt = { response: Response } | { retry: Error }

/**
 * A connection to ring members that joins nothing. With direct routing (the default) it
 * learns the ring and sends each request to the key's owner (one request, no forwards);
 * the member it dialled routes everything else and anything the view gets wrong.
 * Built with `createClient`; the CLI and the benchmarks use it.
 */
export class RingClient {
  readonly #libp2p: Libp2p
  readonly #channel: RpcChannel
  readonly #timeoutMs: number
  readonly #maxHops: number
  readonly #direct: DirectRoutingInit | undefined
  /** Channels to members, least recently used first. */
  readonly #members = new Map<string, RpcChannel>()
  #view: RingView | undefined
  #dialledPeerId: string | undefined
  #refreshing: Promise<void> | undefined
  #lastRefreshAt = 0
  #refreshTimer: NodeJS.Timeout | undefined
  #closed = false

  readonly #replicas: number
  constructor(
    libp2p: Libp2p,
    channel: RpcChannel,
    timeoutMs: number,
    maxHops: number,
    replicas: number,
    direct?: DirectRoutingInit,
  ) {
    this.#libp2p = libp2p
    this.#channel = channel
    this.#timeoutMs = timeoutMs
    this.#maxHops = maxHops
    this.#replicas = replicas
    this.#direct = direct
  }

  async get(key: KeyInput, options: OperationOptions = {}): Promise<GetResult | undefined> {
    const response = await this.#keyCall({ type: MessageType.GET, key: bytes(key, 'key') }, options)
    const record = response.record
    if (record?.value === undefined) return undefined
    return {
      value: record.value,
      hops: response.hops,
      ...(options.trace ? { path: response.path } : {}),
      version: fromWireRecord(record).version,
    }
  }

  async put(
    key: KeyInput,
    value: KeyInput,
    options: OperationOptions & { writeQuorum?: number } = {},
  ): Promise<WriteResult> {
    const response = await this.#keyCall(
      {
        type: MessageType.PUT,
        key: bytes(key, 'key'),
        value: bytes(value, 'value'),
        writeQuorum: options.writeQuorum ?? 0,
      },
      options,
    )
    return {
      hops: response.hops,
      ...(options.trace ? { path: response.path } : {}),
      replicas: response.replicas,
    }
  }

  async delete(key: KeyInput, options: OperationOptions = {}): Promise<WriteResult> {
    const response = await this.#keyCall(
      { type: MessageType.DELETE, key: bytes(key, 'key') },
      options,
    )
    return { hops: response.hops, ...(options.trace ? { path: response.path } : {}) }
  }

  /**
   * Learn the ring's members now (direct routing does this on first use and then every
   * `refreshMs`); resolves with the number of members known. Via-peer clients: 0.
   */
  async refreshRouting(): Promise<number> {
    if (this.#direct === undefined) return 0
    await this.#refresh(true)
    return this.#view?.size ?? 0
  }

  /**
   * A get/put/delete: straight to the owner when the view knows it (then to the owner's
   * replicas, for a get), through the dialled member otherwise or when that fails.
   */
  async #keyCall(request: Partial<Request>, options: OperationOptions): Promise<Response> {
    const direct = this.#direct
    if (direct === undefined || this.#closed) return this.#call(request, options)
    const view = this.#view
    if (view === undefined) {
      this.#scheduleRefresh()
      return this.#call(request, options)
    }
    const position: RingId = ringIdOf(request.key as Uint8Array)
    const isGet = request.type === MessageType.GET
    const candidates = view.ownerAndSuccessors(position, isGet ? direct.replicas - 1 : 0)
    for (const member of candidates) {
      options.signal?.throwIfAborted()
      const attempt = await this.#tryMember(member, request, options, isGet)
      if ('response' in attempt) {
        // forwards mean the view is out of date (a member joined or left)
        if (attempt.response.hops > 0) this.#scheduleRefresh()
        return attempt.response
      }
      direct.logger.debug({ member: member.peerId, err: attempt.retry }, 'direct request failed')
      this.#scheduleRefresh()
      // a write that timed out may have been applied: report it rather than resend it
      if (!isGet && attempt.retry instanceof RequestTimeoutError) throw attempt.retry
    }
    return this.#call(request, options)
  }

  async #tryMember(
    member: ViewMember,
    request: Partial<Request>,
    options: OperationOptions,
    isGet: boolean,
  ): Promise<Attempt> {
    const channel = this.#channelTo(member)
    try {
      const response = await channel.request(
        {
          hops: 0,
          maxHops: this.#maxHops,
          trace: options.trace ?? false,
          ...request,
          // "you own this": a member that does not hands it back towards the owner
          toOwner: true,
        },
        {
          ...(options.signal === undefined ? {} : { signal: options.signal }),
          // a get keeps half its budget for the replicas and the dialled member
          timeoutMs: isGet ? Math.max(1, Math.floor(this.#timeoutMs / 2)) : this.#timeoutMs,
        },
      )
      if (response.error === 0) return { response }
      const err = errorFromWire(response.error, response.message)
      if (RETRYABLE_CODES.has(response.error)) return { retry: err }
      throw err
    } catch (err) {
      if (err instanceof PeerUnreachableError || err instanceof RequestTimeoutError) {
        return { retry: err }
      }
      throw err
    }
  }

  /** The channel to `member`: the dialled one for the dialled member, else a pooled one. */
  #channelTo(member: ViewMember): RpcChannel {
    if (member.peerId === this.#dialledPeerId) return this.#channel
    const direct = this.#direct as DirectRoutingInit
    let channel = this.#members.get(member.peerId)
    if (channel !== undefined) {
      // most recently used last
      this.#members.delete(member.peerId)
      this.#members.set(member.peerId, channel)
      return channel
    }
    channel = new RpcChannel(
      { openStream: (signal) => direct.openStream(member, signal), logger: direct.logger },
      {
        maxInFlight: direct.maxInFlight,
        maxFrameBytes: direct.maxFrameBytes,
        idleStreamMs: 300_000,
        openTimeoutMs: this.#timeoutMs,
      },
    )
    this.#members.set(member.peerId, channel)
    while (this.#members.size > direct.maxPeers) {
      const [oldestId, oldest] = this.#members.entries().next().value as [string, RpcChannel]
      this.#members.delete(oldestId)
      this.#dropChannel(oldestId, oldest)
    }
    return channel
  }

  #dropChannel(peerId: string, channel: RpcChannel): void {
    channel.close()
    const member = this.#view?.members.find((m) => m.peerId === peerId)
    if (member !== undefined && this.#direct !== undefined) {
      void this.#direct.hangUp(member).catch(() => {})
    }
  }

  /** Refresh soon, unless one ran (or runs) recently. */
  #scheduleRefresh(): void {
    if (this.#closed || this.#refreshing !== undefined) return
    if (Date.now() - this.#lastRefreshAt < MIN_REFRESH_INTERVAL_MS) return
    void this.#refresh(false).catch(() => {})
  }

  #refresh(force: boolean): Promise<void> {
    if (this.#refreshing !== undefined && !force) return this.#refreshing
    const run = (this.#refreshing ?? Promise.resolve())
      .then(() => this.#learnRing())
      .finally(() => {
        if (this.#refreshing === run) this.#refreshing = undefined
      })
    this.#refreshing = run
    return run
  }

  /**
   * Walk the ring through successor lists (each status names several successors, so a
   * few statuses cover it) and keep the view; a failed walk keeps the previous view.
   */
  async #learnRing(): Promise<void> {
    const direct = this.#direct
    if (direct === undefined || this.#closed) return
    this.#lastRefreshAt = Date.now()
    try {
      const signal = AbortSignal.timeout(this.#timeoutMs)
      const first = await this.#statusOf(undefined, { signal })
      this.#dialledPeerId = first.peerId
      const members: MemberInfo[] = [first]
      const seen = new Set([first.peerId])
      let current = first
      for (let walked = 0; walked < MAX_RING_WALK; walked++) {
        let wrapped = current.successors.length === 0
        for (const s of current.successors) {
          if (s.peerId === first.peerId) {
            wrapped = true
            break
          }
          if (!seen.has(s.peerId)) {
            seen.add(s.peerId)
            members.push(s)
          }
        }
        const last = members.at(-1) as MemberInfo
        if (wrapped || last.peerId === current.peerId) break
        current = await this.#statusOf(last, { signal })
      }
      if (this.#closed) return
      const view = new RingView(members)
      const known = new Set(view.members.map((m) => m.peerId))
      for (const [peerId, channel] of [...this.#members]) {
        if (known.has(peerId)) continue
        this.#members.delete(peerId)
        this.#dropChannel(peerId, channel)
      }
      this.#view = view
    } catch (err) {
      direct.logger.debug({ err }, 'ring view refresh failed')
    } finally {
      this.#armRefreshTimer()
    }
  }

  #armRefreshTimer(): void {
    const direct = this.#direct
    if (direct === undefined || this.#closed) return
    clearTimeout(this.#refreshTimer)
    const delay = direct.refreshMs * (0.8 + 0.4 * Math.random())
    this.#refreshTimer = setTimeout(() => {
      this.#refreshTimer = undefined
      void this.#refresh(false).catch(() => {})
    }, delay)
    this.#refreshTimer.unref()
  }

  /** The dialled member's own status. */
  async status(options: { signal?: AbortSignal } = {}): Promise<PeerStatus> {
    return this.#statusOf(undefined, options)
  }

  /** Every member, in ring order, found by walking successors from the dialled member. */
  async ring(options: { signal?: AbortSignal } = {}): Promise<RingMemberInfo[]> {
    const first = await this.status(options)
    const members: RingMemberInfo[] = [memberOf(first)]
    const seen = new Set([first.peerId])
    let current = first
    while (members.length < MAX_RING_WALK) {
      const next = current.successors.find((s) => !seen.has(s.peerId) || s.peerId === first.peerId)
      if (next === undefined || next.peerId === first.peerId) break
      seen.add(next.peerId)
      try {
        current = await this.#statusOf(next, options)
        members.push(memberOf(current))
      } catch {
        members.push({
          ...next,
          range: { start: next.ringId, end: next.ringId },
          keyCount: 0,
          replicaKeyCount: 0,
          health: 'unreachable',
        })
        // skip past it through the last status we had
        const rest = current.successors.filter((s) => !seen.has(s.peerId))
        if (rest.length === 0) break
        current = { ...current, successors: rest }
      }
    }
    return members
  }

  /**
   * Every live key in the ring once. The ring is tiled from the walk itself, each
   * reachable member serving (previous reachable member, member], not from the members'
   * own predecessor pointers: those lag behind joins, leaves and failures and would leave
   * gaps. A member holds replicas of the r-1 ranges before its own, so it also serves the
   * range of an unreachable predecessor; more unreachable in a row than that is an error,
   * not a silently short export.
   */
  async *scan(
    options: { signal?: AbortSignal; pageSize?: number } = {},
  ): AsyncGenerator<{ key: Uint8Array; value: Uint8Array }> {
    const walk = await this.ring(options)
    let unreachableInARow = 0
    for (const member of [...walk, ...walk]) {
      unreachableInARow = member.health === 'ok' ? 0 : unreachableInARow + 1
      if (unreachableInARow >= this.#replicas)
        throw new PeerUnreachableError(
          `${unreachableInARow} members in a row are unreachable (${member.peerId} among them): their keys may have no reachable copy`,
        )
    }
    const reachable = walk
      .filter((member) => member.health === 'ok')
      .sort((a, b) => compareRingIds(ringIdFromHex(a.ringId), ringIdFromHex(b.ringId)))
    for (const [index, member] of reachable.entries()) {
      const previous = reachable.at(index - 1) as RingMemberInfo
      let after: PageCursor | undefined
      for (;;) {
        const response = await this.#call(
          {
            type: MessageType.SCAN,
            relayTo: memberToWire(member),
            rangeStart: ringIdFromHex(previous.ringId),
            rangeEnd: ringIdFromHex(member.ringId),
            limit: options.pageSize ?? DEFAULT_LIMITS.maxPageRecords,
            ...(after === undefined
              ? {}
              : { afterPosition: after.position, afterKey: after.key as Uint8Array<ArrayBuffer> }),
          },
          options,
        )
        for (const record of response.records) {
          if (record.value !== undefined) yield { key: record.key, value: record.value }
        }
        const rangeStart = ringIdFromHex(previous.ringId)
        after = advancePageCursor(rangeStart, after, response.records.map(fromWireRecord))
        if (response.done || response.records.length === 0) break
      }
    }
  }

  async close(): Promise<void> {
    this.#closed = true
    clearTimeout(this.#refreshTimer)
    for (const channel of this.#members.values()) channel.close()
    this.#members.clear()
    this.#channel.close()
    await this.#libp2p.stop()
  }

  async #statusOf(
    member: MemberInfo | undefined,
    options: { signal?: AbortSignal },
  ): Promise<PeerStatus> {
    const response = await this.#call(
      {
        type: MessageType.STATUS,
        ...(member === undefined ? {} : { relayTo: memberToWire(member) }),
      },
      options,
    )
    const status = statusFromWire(response.status)
    if (status === undefined) throw new PeerUnreachableError('the member sent no usable status')
    return status
  }

  async #call(request: Partial<Request>, options: OperationOptions): Promise<Response> {
    const response = await this.#channel.request(
      { hops: 0, maxHops: this.#maxHops, trace: options.trace ?? false, ...request },
      {
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        timeoutMs: this.#timeoutMs,
      },
    )
    if (response.error !== 0) throw errorFromWire(response.error, response.message)
    return response
  }
}

function memberOf(status: PeerStatus): RingMemberInfo {
  return {
    peerId: status.peerId,
    ringId: status.ringId,
    multiaddrs: status.multiaddrs,
    range: status.range,
    keyCount: status.keyCount,
    replicaKeyCount: Math.max(0, status.storedCount - status.keyCount),
    health: 'ok',
  }
}

function bytes(input: KeyInput, what: string): Uint8Array<ArrayBuffer> {
  return toBytes(input, what) as Uint8Array<ArrayBuffer>
}

/** Dial one ring member as a client (no listening, no joining). */
export async function createClient(init: RingClientInit): Promise<RingClient> {
  let target: ReturnType<typeof multiaddr>
  try {
    target = multiaddr(init.peer)
    // /p2p/<id> is optional: without it the Noise handshake tells us who answered,
    // which is what a healthcheck or `--peer /ip4/127.0.0.1/tcp/4001` needs
    const id = target.getComponents().find((c) => c.name === 'p2p')?.value
    if (id !== undefined) peerIdFromString(id)
  } catch (err) {
    throw new InvalidInputError(`bad peer address ${init.peer}: ${(err as Error).message}`)
  }
  const maxFrameBytes = init.maxFrameBytes ?? DEFAULT_LIMITS.maxFrameBytes
  const timeoutMs = init.timeoutMs ?? 10_000
  const routing = init.routing ?? 'direct'
  if (routing !== 'direct' && routing !== 'via-peer') {
    throw new InvalidInputError(`routing must be 'direct' or 'via-peer', not ${String(routing)}`)
  }
  const refreshMs = positiveInteger('refreshMs', init.refreshMs ?? 30_000)
  const maxPeers = positiveInteger('maxDirectPeers', init.maxDirectPeers ?? 64)
  const replicas = positiveInteger('replicas', init.replicas ?? 3)
  const libp2p = await createNode({
    listen: [],
    psk: init.psk,
    muxer: init.muxer ?? 'mplex',
    maxStreamBufferBytes: maxFrameBytes,
  })
  const logger = init.logger ?? pino({ level: 'silent' })
  const channel = new RpcChannel(
    { openStream: (signal) => libp2p.dialProtocol(target, RPC_PROTOCOL, { signal }), logger },
    {
      maxInFlight: init.maxInFlight ?? 64,
      maxFrameBytes,
      idleStreamMs: 300_000,
      openTimeoutMs: timeoutMs,
    },
  )
  const direct: DirectRoutingInit | undefined =
    routing === 'via-peer'
      ? undefined
      : {
          openStream: (member, signal) =>
            libp2p.dialProtocol(
              member.multiaddrs.map((ma) => multiaddr(ma)),
              RPC_PROTOCOL,
              { signal },
            ),
          hangUp: async (member) => {
            await libp2p.hangUp(peerIdFromString(member.peerId))
          },
          refreshMs,
          maxPeers,
          replicas,
          maxInFlight: init.maxInFlight ?? 64,
          maxFrameBytes,
          logger,
        }
  return new RingClient(
    libp2p,
    channel,
    timeoutMs,
    init.maxHops ?? DEFAULT_LIMITS.maxHops,
    replicas,
    direct,
  )
}
