/**
 * The one place the CLI touches @ringdht/peer: the daemon embeds `createPeer`, every
 * query command dials a member with `createClient` (joining nothing).
 */
export {
  createClient,
  createPeer,
  type DispatchPolicyName,
  type GetResult,
  type KeyChange,
  NotReadyError,
  OutcomeUnknownError,
  PeerBusyError,
  type PeerStatus,
  PeerUnreachableError,
  type QueueHomeStatus,
  QuorumNotReachedError,
  RequestTimeoutError,
  type RingClient,
  type RingMemberInfo as RingMemberView,
  type RingPeer,
  type RingPeerInit as PeerInit,
  type Task,
  type WriteResult as RequestTrace,
} from '@ringdht/peer'
