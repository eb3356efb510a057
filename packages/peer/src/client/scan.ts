import { DEFAULT_LIMITS, MessageType } from '@ringdht/protocol'
import { clockwiseDistance, compareRingIds, ringIdFromHex } from '@ringdht/ring'
import { compareVersions, type StoredRecord } from '@ringdht/store'
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
 * not a silently short export. A write is acknowledged once W of the r replicas hold it,
 * not all: the range of an unreachable member is read from every reachable member among
 * its r-1 successors, and each key's newest version kept.
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
  const ordered = [...walk].sort((a, b) =>
    compareRingIds(ringIdFromHex(a.ringId), ringIdFromHex(b.ringId)),
  )
  const reachable = ordered.filter((member) => member.health === 'ok')
  for (const [index, member] of reachable.entries()) {
    const previous = reachable.at(index - 1) as RingMemberInfo
    const rangeStart = ringIdFromHex(previous.ringId)
    const holders = holdersOfRange(ordered, previous, member, replicas)
    if (holders.length === 1) {
      yield* liveRecords(scanRange(dialled, member, rangeStart, options))
      continue
    }
    // a range with unreachable owners: merged from the copies, newest version wins
    const newest = new Map<string, StoredRecord>()
    for (const holder of holders) {
      for await (const record of scanRange(dialled, holder, rangeStart, options, member)) {
        const name = Buffer.from(record.key).toString('hex')
        const known = newest.get(name)
        if (known === undefined || compareVersions(record.version, known.version) > 0) {
          newest.set(name, record)
        }
      }
    }
    const merged = [...newest.values()].sort((a, b) =>
      compareRingIds(
        clockwiseDistance(rangeStart, a.position),
        clockwiseDistance(rangeStart, b.position),
      ),
    )
    yield* liveRecords(merged)
  }
}

/**
 * The reachable members that hold copies of (previous, member]: `member` alone when every
 * member in between answered; otherwise also the reachable ones among the r-1 successors
 * of the unreachable members in the range (their replicas).
 */
export function holdersOfRange(
  ordered: readonly RingMemberInfo[],
  previous: RingMemberInfo,
  member: RingMemberInfo,
  replicas: number,
): RingMemberInfo[] {
  const from = ordered.indexOf(previous)
  const to = ordered.indexOf(member)
  const n = ordered.length
  const unreachableBetween = (to - from - 1 + n) % n
  if (unreachableBetween === 0 || n === 1) return [member]
  const holders = [member]
  // the last unreachable member sits just before `member`; its r-1 successors start there
  for (let step = 1; step < replicas && step < n; step++) {
    const candidate = ordered[(to + step) % n] as RingMemberInfo
    if (candidate === previous || candidate === member) break
    if (candidate.health === 'ok') holders.push(candidate)
  }
  return holders
}

async function* liveRecords(
  records: AsyncIterable<StoredRecord> | Iterable<StoredRecord>,
): AsyncGenerator<ScannedRecord> {
  for await (const { key, value, expiresAt } of records) {
    if (value === undefined) continue
    yield expiresAt === undefined ? { key, value } : { key, value, expiresAt }
  }
}

/** The records `holder` keeps in (rangeStart, rangeEnd's member], tombstones included, page by page. */
async function* scanRange(
  dialled: Pick<DialledMember, 'call'>,
  holder: RingMemberInfo,
  rangeStart: bigint,
  options: ScanOptions,
  rangeEndAt: RingMemberInfo = holder,
): AsyncGenerator<StoredRecord> {
  let after: PageCursor | undefined
  for (;;) {
    const response = await dialled.call(
      {
        type: MessageType.SCAN,
        relayTo: memberToWire(holder),
        rangeStart,
        rangeEnd: ringIdFromHex(rangeEndAt.ringId),
        limit: options.pageSize ?? DEFAULT_LIMITS.maxPageRecords,
        ...(after === undefined
          ? {}
          : { afterPosition: after.position, afterKey: after.key as Uint8Array<ArrayBuffer> }),
      },
      options,
    )
    // decoded once: the page both yields its records and moves the cursor
    const page = response.records.map(fromWireRecord)
    yield* page
    after = advancePageCursor(rangeStart, after, page)
    if (response.done || response.records.length === 0) break
  }
}
