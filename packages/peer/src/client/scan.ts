import { DEFAULT_LIMITS, MessageType } from '@ringdht/protocol'
import { compareRingIds, ringIdFromHex } from '@ringdht/ring'
import { memberToWire } from '../core/status.js'
import { PeerUnreachableError } from '../errors.js'
import { advancePageCursor, fromWireRecord, type PageCursor } from '../kv/records.js'
import type { DialledMember } from './dialled-member.js'
import type { RingMemberInfo } from './ring-walk.js'

export interface ScanOptions {
  signal?: AbortSignal
  /** Records per page. Default the wire limit, DEFAULT_LIMITS.maxPageRecords. */
  pageSize?: number
}

/**
 * Every live key in the ring once, read through the dialled member (which relays each
 * page to the member that holds it). The ring is tiled from the walk itself, each
 * reachable member serving (previous reachable member, member], not from the members'
 * own predecessor pointers: those lag behind joins, leaves and failures and would leave
 * gaps. A member holds replicas of the r-1 ranges before its own, so it also serves the
 * range of an unreachable predecessor; more unreachable in a row than that is an error,
 * not a silently short export.
 */
/** A live key a scan found; `expiresAt` (ms since the epoch) when it was put with a TTL. */
export interface ScannedRecord {
  key: Uint8Array
  value: Uint8Array
  expiresAt?: number
}

export async function* scanRing(
  dialled: Pick<DialledMember, 'call'>,
  walk: readonly RingMemberInfo[],
  replicas: number,
  options: ScanOptions = {},
): AsyncGenerator<ScannedRecord> {
  let unreachableInARow = 0
  // twice round, so a run that wraps past the dialled member is counted whole
  for (const member of [...walk, ...walk]) {
    unreachableInARow = member.health === 'ok' ? 0 : unreachableInARow + 1
    if (unreachableInARow >= replicas)
      throw new PeerUnreachableError(
        `${unreachableInARow} members in a row are unreachable (${member.peerId} among them): their keys may have no reachable copy`,
      )
  }
  const reachable = walk
    .filter((member) => member.health === 'ok')
    .sort((a, b) => compareRingIds(ringIdFromHex(a.ringId), ringIdFromHex(b.ringId)))
  for (const [index, member] of reachable.entries()) {
    const previous = reachable.at(index - 1) as RingMemberInfo
    const rangeStart = ringIdFromHex(previous.ringId)
    let after: PageCursor | undefined
    for (;;) {
      const response = await dialled.call(
        {
          type: MessageType.SCAN,
          relayTo: memberToWire(member),
          rangeStart,
          rangeEnd: ringIdFromHex(member.ringId),
          limit: options.pageSize ?? DEFAULT_LIMITS.maxPageRecords,
          ...(after === undefined
            ? {}
            : { afterPosition: after.position, afterKey: after.key as Uint8Array<ArrayBuffer> }),
        },
        options,
      )
      // decoded once: the page both yields its live records and moves the cursor
      const page = response.records.map(fromWireRecord)
      for (const { key, value, expiresAt } of page) {
        if (value === undefined) continue
        yield expiresAt === undefined ? { key, value } : { key, value, expiresAt }
      }
      after = advancePageCursor(rangeStart, after, page)
      if (response.done || response.records.length === 0) break
    }
  }
}
