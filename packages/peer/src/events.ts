import type { MemberInfo } from './member-info.js'

/** Detail of every event a peer emits (as `CustomEvent.detail`). */
export interface PeerEventMap {
  /** This peer has joined a ring (or started a new one): `ready` resolved. */
  'peer:joined': { successor: MemberInfo; bootstrap: boolean }
  /**
   * A neighbour is gone: it failed `failureThreshold` requests in a row (`reason:
   * 'failed'`) or announced a graceful leave (`reason: 'left'`).
   */
  'peer:left': {
    peer: MemberInfo
    role: 'successor' | 'predecessor' | 'finger'
    reason?: 'failed' | 'left'
  }
  'successor:changed': { successor: MemberInfo; previous: MemberInfo | undefined }
  'predecessor:changed': { predecessor: MemberInfo | undefined; previous: MemberInfo | undefined }
  /** This peer sent a range's records to a peer that took it over (join hand-over). */
  'keys:transferred': { to: string; count: number }
  /** This peer pulled the records of the range it took over from its successor. */
  'keys:received': { from: string; count: number; start: string; end: string }
  /** A graceful leave handed the records of range (start, end] to `to` (count: records it lacked). */
  'keys:handed-off': { to: string; count: number; start: string; end: string }
  /** Anti-entropy found (start, end] differing with `peer` and exchanged records. */
  'replicas:repaired': { peer: string; pulled: number; pushed: number; start: string; end: string }
  /** Records of (start, end], outside every range this peer replicates, were dropped after its holders confirmed them. */
  'keys:dropped': { count: number; start: string; end: string }
  /** A write reached fewer replicas than its write quorum. */
  'quorum:failed': { acknowledged: number; required: number }
}

export type PeerEventName = keyof PeerEventMap

export type Emit = <K extends PeerEventName>(name: K, detail: PeerEventMap[K]) => void

/** The events of a peer as `TypedEventEmitter` wants them: one CustomEvent per name. */
export type PeerEvents = { [K in PeerEventName]: CustomEvent<PeerEventMap[K]> }
