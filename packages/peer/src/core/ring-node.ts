import type { PeerId } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr'
import type { PeerInfo } from '@ringdht/protocol'
import { type RingId, ringIdOf, ringIdToHex } from '@ringdht/ring'
import type { MemberInfo } from '../member-info.js'

/** A ring member as this peer knows it: where it sits and how to reach it. */
export interface RingNode {
  readonly id: RingId
  readonly peerId: PeerId
  /** peerId.toString(), the key of maps and the form used on the wire. */
  readonly key: string
  readonly multiaddrs: readonly Multiaddr[]
}

/** The ring position of a peer: the hash of its peer id's multihash bytes. */
export function ringIdOfPeer(peerId: PeerId): RingId {
  return ringIdOf(peerId.toMultihash().bytes)
}

export function ringNode(peerId: PeerId, multiaddrs: readonly Multiaddr[]): RingNode {
  const key = peerId.toString()
  return Object.freeze({
    id: ringIdOfPeer(peerId),
    peerId,
    key,
    // dial by address but insist on the peer id, so a reused port cannot impersonate
    multiaddrs: Object.freeze(
      multiaddrs.map((ma) =>
        ma.getComponents().some((c) => c.name === 'p2p') ? ma : ma.encapsulate(`/p2p/${key}`),
      ),
    ),
  })
}

export function peerInfoOf(node: RingNode): PeerInfo {
  return { peerId: node.key, multiaddrs: node.multiaddrs.map((ma) => ma.bytes) }
}

export type { MemberInfo }

export function memberInfoOf(node: RingNode): MemberInfo {
  return {
    peerId: node.key,
    ringId: ringIdToHex(node.id),
    multiaddrs: node.multiaddrs.map((ma) => ma.toString()),
  }
}

/**
 * Parse a member description received from the network. Untrusted: returns undefined
 * instead of throwing when the peer id is invalid; unparsable addresses are skipped.
 * Results are cached by peer id so the hot path does not re-parse addresses.
 */
export class RingNodeCache {
  readonly #nodes = new Map<string, RingNode>()
  readonly #maxEntries: number

  constructor(maxEntries = 4096) {
    this.#maxEntries = maxEntries
  }

  add(node: RingNode): RingNode {
    const known = this.#nodes.get(node.key)
    if (known !== undefined && (node.multiaddrs.length === 0 || sameAddrs(known, node)))
      return known
    if (this.#nodes.size >= this.#maxEntries) this.#nodes.clear()
    this.#nodes.set(node.key, node)
    return node
  }

  get(key: string): RingNode | undefined {
    return this.#nodes.get(key)
  }

  /** Every member heard of, most recently added last. */
  values(): IterableIterator<RingNode> {
    return this.#nodes.values()
  }

  fromInfo(info: PeerInfo | undefined): RingNode | undefined {
    if (info === undefined || info.peerId === '') return undefined
    const known = this.#nodes.get(info.peerId)
    if (known !== undefined && sameAddrBytes(known, info.multiaddrs)) return known
    let peerId: PeerId
    try {
      peerId = peerIdFromString(info.peerId)
    } catch {
      return undefined
    }
    const addrs: Multiaddr[] = []
    for (const bytes of info.multiaddrs) {
      try {
        addrs.push(multiaddr(bytes))
      } catch {
        // skip addresses we cannot parse; the member may still be reachable by others
      }
    }
    if (addrs.length === 0 && known !== undefined) return known
    return this.add(ringNode(peerId, addrs))
  }
}

function sameAddrBytes(node: RingNode, addrs: readonly Uint8Array[]): boolean {
  if (node.multiaddrs.length !== addrs.length) return false
  return node.multiaddrs.every((ma, i) => bytesEqual(ma.bytes, addrs[i] as Uint8Array))
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false
  return true
}

function sameAddrs(a: RingNode, b: RingNode): boolean {
  return (
    a.multiaddrs.length === b.multiaddrs.length &&
    a.multiaddrs.every((ma, i) => ma.equals(b.multiaddrs[i] as Multiaddr))
  )
}
