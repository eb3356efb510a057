import type { Libp2p } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import {
  DEFAULT_LIMITS,
  MessageType,
  type Request,
  type Response,
  RPC_PROTOCOL,
} from '@ringdht/protocol'
import { ringIdFromHex } from '@ringdht/ring'
import type { Logger } from 'pino'
import { pino } from 'pino'
import { errorFromWire, InvalidInputError, PeerUnreachableError } from './errors.js'
import { createNode } from './libp2p-node.js'
import type { GetResult, KeyInput, OperationOptions, WriteResult } from './peer.js'
import { toBytes } from './peer.js'
import { fromWireRecord } from './records.js'
import type { MemberInfo } from './ring-node.js'
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

/**
 * A connection to one ring member that joins nothing: the member routes every request.
 * Built with `createClient`; the CLI and the benchmarks use it.
 */
export class RingClient {
  readonly #libp2p: Libp2p
  readonly #channel: RpcChannel
  readonly #timeoutMs: number
  readonly #maxHops: number

  constructor(libp2p: Libp2p, channel: RpcChannel, timeoutMs: number, maxHops: number) {
    this.#libp2p = libp2p
    this.#channel = channel
    this.#timeoutMs = timeoutMs
    this.#maxHops = maxHops
  }

  async get(key: KeyInput, options: OperationOptions = {}): Promise<GetResult | undefined> {
    const response = await this.#call({ type: MessageType.GET, key: bytes(key, 'key') }, options)
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
    const response = await this.#call(
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
    const response = await this.#call({ type: MessageType.DELETE, key: bytes(key, 'key') }, options)
    return { hops: response.hops, ...(options.trace ? { path: response.path } : {}) }
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

  /** Every live key in the ring once: each member streams its primary range in pages. */
  async *scan(
    options: { signal?: AbortSignal; pageSize?: number } = {},
  ): AsyncGenerator<{ key: Uint8Array; value: Uint8Array }> {
    for (const member of await this.ring(options)) {
      if (member.health !== 'ok')
        throw new PeerUnreachableError(`member ${member.peerId} is unreachable`)
      let after: { position: bigint; key: Uint8Array<ArrayBuffer> } | undefined
      for (;;) {
        const response = await this.#call(
          {
            type: MessageType.SCAN,
            relayTo: memberToWire(member),
            rangeStart: ringIdFromHex(member.range.start),
            rangeEnd: ringIdFromHex(member.range.end),
            limit: options.pageSize ?? DEFAULT_LIMITS.maxPageRecords,
            ...(after === undefined ? {} : { afterPosition: after.position, afterKey: after.key }),
          },
          options,
        )
        for (const record of response.records) {
          if (record.value !== undefined) yield { key: record.key, value: record.value }
        }
        const last = response.records.at(-1)
        if (response.done || last === undefined) break
        after = { position: fromWireRecord(last).position, key: last.key }
      }
    }
  }

  async close(): Promise<void> {
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
  return new RingClient(libp2p, channel, timeoutMs, init.maxHops ?? DEFAULT_LIMITS.maxHops)
}
