import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import type { PeerInfo, Status, WireQueueStats } from '@ringdht/protocol'
import { ringIdToHex } from '@ringdht/ring'
import { type MemberInfo, ringIdOfPeer } from './ring-node.js'

/** A member's own view of the ring, as `peer.status()` and `client.status()` report it. */
export interface PeerStatus {
  peerId: string
  /** 16 hex digits */
  ringId: string
  multiaddrs: string[]
  predecessor: MemberInfo | undefined
  successors: MemberInfo[]
  /** Distinct finger targets, in finger order. */
  fingers: MemberInfo[]
  /** Keys in this peer's primary range (predecessor, self]; deleted keys (tombstones) are not counted. */
  keyCount: number
  /** Every record in the local store, including replicas and hand-over leftovers. */
  storedCount: number
  /** The primary range (start, end], hex; start === end when the predecessor is unknown. */
  range: { start: string; end: string }
  counters: Record<string, number>
  /** The work queues this member is home of, by name (reported by the tasks capability). */
  queues?: QueueHomeStatus[]
}

/** A queue as its home reports it in status (the fields of `queue stats`). */
export interface QueueHomeStatus {
  queue: string
  policy: string
  ready: number
  delayed: number
  leased: number
  dead: number
  /** Tasks ever added, and acked, since the queue began. */
  enqueued: number
  acked: number
  /** Workers registered with the home now. */
  connected: number
  workers: Array<{ worker: string; inFlight: number; done: number }>
}

function queueToWire(queue: QueueHomeStatus): WireQueueStats {
  return {
    queue: queue.queue,
    settings: {
      policy: queue.policy,
      maxAttempts: 0,
      leaseMs: 0n,
      backoffMs: 0n,
      maxBackoffMs: 0n,
    },
    ready: BigInt(queue.ready),
    delayed: BigInt(queue.delayed),
    leased: BigInt(queue.leased),
    dead: BigInt(queue.dead),
    enqueued: BigInt(queue.enqueued),
    acked: BigInt(queue.acked),
    connected: queue.connected,
    workers: queue.workers.map((w) => ({ ...w, done: BigInt(w.done) })),
  }
}

function queueFromWire(wire: WireQueueStats): QueueHomeStatus {
  return {
    queue: wire.queue,
    policy: wire.settings?.policy ?? '',
    ready: Number(wire.ready),
    delayed: Number(wire.delayed),
    leased: Number(wire.leased),
    dead: Number(wire.dead),
    enqueued: Number(wire.enqueued),
    acked: Number(wire.acked),
    connected: wire.connected,
    workers: wire.workers.map((w) => ({ ...w, done: Number(w.done) })),
  }
}

export function statusToWire(
  status: PeerStatus,
  self: PeerInfo,
  toInfo: (m: MemberInfo) => PeerInfo,
): Status {
  return {
    self,
    ...(status.predecessor === undefined ? {} : { predecessor: toInfo(status.predecessor) }),
    successors: status.successors.map(toInfo),
    fingers: status.fingers.map(toInfo),
    keyCount: BigInt(status.keyCount),
    storedCount: BigInt(status.storedCount),
    rangeStart: BigInt(`0x${status.range.start}`),
    rangeEnd: BigInt(`0x${status.range.end}`),
    counters: new Map(Object.entries(status.counters).map(([k, v]) => [k, BigInt(v)])),
    queues: (status.queues ?? []).map(queueToWire),
  }
}

/** Decode a status from the wire; undefined when it does not describe a valid peer. */
export function statusFromWire(status: Status | undefined): PeerStatus | undefined {
  if (status === undefined) return undefined
  const self = memberFromWire(status.self)
  if (self === undefined) return undefined
  const members = (infos: PeerInfo[]): MemberInfo[] =>
    infos.map(memberFromWire).filter((m): m is MemberInfo => m !== undefined)
  return {
    ...self,
    predecessor: status.predecessor === undefined ? undefined : memberFromWire(status.predecessor),
    successors: members(status.successors),
    fingers: members(status.fingers),
    keyCount: Number(status.keyCount),
    storedCount: Number(status.storedCount),
    range: { start: ringIdToHex(status.rangeStart), end: ringIdToHex(status.rangeEnd) },
    counters: Object.fromEntries([...status.counters].map(([k, v]) => [k, Number(v)])),
    queues: status.queues.map(queueFromWire),
  }
}

export function memberFromWire(info: PeerInfo | undefined): MemberInfo | undefined {
  if (info === undefined) return undefined
  try {
    const peerId = peerIdFromString(info.peerId)
    const multiaddrs: string[] = []
    for (const bytes of info.multiaddrs) {
      try {
        multiaddrs.push(multiaddr(bytes).toString())
      } catch {
        // skip
      }
    }
    return { peerId: info.peerId, ringId: ringIdToHex(ringIdOfPeer(peerId)), multiaddrs }
  } catch {
    return undefined
  }
}

export function memberToWire(member: MemberInfo): PeerInfo {
  return { peerId: member.peerId, multiaddrs: member.multiaddrs.map((ma) => multiaddr(ma).bytes) }
}
