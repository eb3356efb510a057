import type { MemberInfo } from '../core/ring-node.js'
import type { PeerStatus } from '../core/status.js'

/** Upper bound on members walked, against a looping or endless successor chain. */
export const MAX_RING_WALK = 4096

/** The status of `member`, or of the dialled member when `member` is undefined. */
export type StatusOf = (
  member: MemberInfo | undefined,
  options: { signal?: AbortSignal },
) => Promise<PeerStatus>

/** How a walk asks: `signal` bounds the whole walk, not one member. */
export interface RingWalkOptions {
  signal?: AbortSignal
  /**
   * true: ask every member for its own status (`ring()` reports each one's key counts).
   * false: a routing view needs only who is where, so ask just the farthest member each
   * successor list names and pass over the others: about n / (successor list length)
   * statuses for a ring of n.
   */
  everyMember: boolean
}

/**
 * One member met on the walk: `answered` with its own status, `listed` by a predecessor's
 * successor list and passed over (walks that are not `everyMember`), or asked and
 * `unreachable`.
 */
export type WalkedMember =
  | { readonly kind: 'answered'; readonly member: MemberInfo; readonly status: PeerStatus }
  | { readonly kind: 'listed' | 'unreachable'; readonly member: MemberInfo }

/**
 * The ring's members in ring order, starting at the dialled member, found by following
 * successor lists until they lead back to it. A member that does not answer is reported
 * as unreachable and the walk goes on past it through the last list that named it, so
 * one dead member does not hide the rest of the ring; the walk ends early only when every
 * member that list names is unreachable. Caller mistakes and an aborted `signal` throw;
 * so does a dialled member that does not answer, since nothing is known then.
 */
export async function walkRing(
  statusOf: StatusOf,
  options: RingWalkOptions,
): Promise<WalkedMember[]> {
  const ask = options.signal === undefined ? {} : { signal: options.signal }
  const first = await statusOf(undefined, ask)
  const walked: WalkedMember[] = [{ kind: 'answered', member: memberOf(first), status: first }]
  const seen = new Set([first.peerId])
  // the latest status that answered: its successor list leads the walk on
  let current = first
  while (walked.length < MAX_RING_WALK) {
    const { ahead, wrapped } = unseenSuccessors(current, seen, first.peerId)
    if (ahead.length === 0) break
    if (wrapped && !options.everyMember) {
      // this list closes the ring: asking anyone on it would only repeat it
      for (const member of ahead) walked.push({ kind: 'listed', member })
      break
    }
    // nearest first to meet every member; farthest first to pass over as many as it can
    const order = options.everyMember ? ahead : [...ahead].reverse()
    const unreachable = new Set<string>()
    let reached: { peerId: string; status: PeerStatus } | undefined
    for (const candidate of order) {
      try {
        reached = { peerId: candidate.peerId, status: await statusOf(candidate, ask) }
        break
      } catch {
        // a deadline for the whole walk is not a member's failure
        options.signal?.throwIfAborted()
        unreachable.add(candidate.peerId)
      }
    }
    // record what this list told us, in ring order, up to the farthest member it reached
    for (const member of ahead) {
      if (walked.length >= MAX_RING_WALK) break
      seen.add(member.peerId)
      if (unreachable.has(member.peerId)) walked.push({ kind: 'unreachable', member })
      else if (member.peerId === reached?.peerId) {
        walked.push({ kind: 'answered', member: memberOf(reached.status), status: reached.status })
        // members after it come again, in order, from its own successor list
        if (options.everyMember) break
      } else walked.push({ kind: 'listed', member })
    }
    if (reached === undefined) break
    current = reached.status
  }
  return walked
}

/** The members `status` names as its successors that the walk has not met, up to `first`. */
function unseenSuccessors(
  status: PeerStatus,
  seen: ReadonlySet<string>,
  first: string,
): { ahead: MemberInfo[]; wrapped: boolean } {
  const ahead: MemberInfo[] = []
  for (const successor of status.successors) {
    if (successor.peerId === first) return { ahead, wrapped: true }
    if (!seen.has(successor.peerId) && !ahead.some((m) => m.peerId === successor.peerId)) {
      ahead.push(successor)
    }
  }
  return { ahead, wrapped: false }
}

function memberOf(status: PeerStatus): MemberInfo {
  return { peerId: status.peerId, ringId: status.ringId, multiaddrs: status.multiaddrs }
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

/** A walked member as `ring()` reports it; one that did not answer has an empty range. */
export function ringMemberInfoOf(walked: WalkedMember): RingMemberInfo {
  if (walked.kind === 'answered') {
    const status = walked.status
    return {
      ...memberOf(status),
      range: status.range,
      keyCount: status.keyCount,
      replicaKeyCount: Math.max(0, status.storedCount - status.keyCount),
      health: 'ok',
    }
  }
  const member = walked.member
  return {
    ...member,
    range: { start: member.ringId, end: member.ringId },
    keyCount: 0,
    replicaKeyCount: 0,
    health: 'unreachable',
  }
}
