import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import type { PeerInfo, Status } from '@ringdht/protocol'
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
