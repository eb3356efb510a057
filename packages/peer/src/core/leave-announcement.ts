import { MessageType } from '@ringdht/protocol'
import type { Logger } from 'pino'
import type { Neighbours } from './neighbours.js'
import { peerInfoOf, type RingNode } from './ring-node.js'
import type { MemberRequests } from './rpc/member-requests.js'

/**
 * Tell the predecessor and the successor that this member leaves (LEAVE), with what
 * they need to close the gap at once: its predecessor and its successor list. Neighbours
 * that do not hear it find out by failure detection instead, so failures are only logged.
 */
export async function announceLeave(
  neighbours: Neighbours,
  pool: MemberRequests,
  logger: Logger,
  options: { signal: AbortSignal; timeoutMs: number },
): Promise<void> {
  const { self, predecessor, successor } = neighbours
  const request = {
    type: MessageType.LEAVE,
    sender: peerInfoOf(self),
    successors: neighbours.successors.filter((s) => s.key !== self.key).map(peerInfoOf),
    ...(predecessor === undefined ? {} : { predecessor: peerInfoOf(predecessor) }),
  }
  const targets = new Map<string, RingNode>()
  if (predecessor !== undefined) targets.set(predecessor.key, predecessor)
  if (successor.key !== self.key) targets.set(successor.key, successor)
  await Promise.allSettled(
    [...targets.values()].map((node) =>
      pool
        .request(node, request, options)
        .catch((err: unknown) => logger.debug({ err, peer: node.key }, 'leave not heard')),
    ),
  )
}
