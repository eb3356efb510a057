import type { MemberInfo } from './ring-node.js'

/** Detail of every event a peer emits (as `CustomEvent.detail`). */
export interface PeerEventMap {
  /** This peer has joined a ring (or started a new one): `ready` resolved. */
  'peer:joined': { successor: MemberInfo; bootstrap: boolean }
  /** A neighbour was dropped after failing `failureThreshold` requests in a row. */
  'peer:left': { peer: MemberInfo; role: 'successor' | 'predecessor' | 'finger' }
  'successor:changed': { successor: MemberInfo; previous: MemberInfo | undefined }
  'predecessor:changed': { predecessor: MemberInfo | undefined; previous: MemberInfo | undefined }
  /** This peer sent a range's records to a peer that took it over (join hand-over). */
  'keys:transferred': { to: string; count: number }
  /** This peer pulled the records of the range it took over from its successor. */
  'keys:received': { from: string; count: number; start: string; end: string }
}

export type PeerEventName = keyof PeerEventMap

export type Emit = <K extends PeerEventName>(name: K, detail: PeerEventMap[K]) => void
