import type { TopicOp, TopicResult } from '@ringdht/protocol'
import type { PeerConfig } from '../config.js'
import { InvalidInputError, NotReadyError, TrimmedError } from '../errors.js'
import type { HomeLog } from '../homes/home-log.js'
import { entryToWire } from '../homes/replica-log.js'

/**
 * A reader's fetch at a log's home (topics and key watches): committed entries from
 * `op.fromSeq`, at most one bounded page. At the end of the log it waits, up to
 * `op.waitMs` and well before the asker's deadline, for the next entry to commit. From 0,
 * it only says where the log begins and ends.
 */
export async function readAtHome(
  log: HomeLog,
  op: TopicOp,
  config: Pick<PeerConfig, 'timers' | 'limits'>,
  signal: AbortSignal | undefined,
): Promise<TopicResult> {
  const from = Number(op.fromSeq)
  if (from === 0) return resultOf(log, {})
  if (from > log.lastSeq + 1) {
    throw new InvalidInputError(
      `sequence number ${from} is in the future: the log's last entry is ${log.lastSeq}`,
    )
  }
  const { timers, limits } = config
  if (from === log.lastSeq + 1 && op.waitMs > 0) {
    const waitMs = Math.min(op.waitMs, timers.requestTimeoutMs / 2)
    const waiting = AbortSignal.any([
      AbortSignal.timeout(waitMs),
      log.lost,
      ...(signal === undefined ? [] : [signal]),
    ])
    await log.committed(from, waiting).catch(() => {})
    if (log.lost.aborted) throw new NotReadyError('the log’s home moved; ask again')
  }
  // entries past the retention may wait for the next trim step: to a reader they are gone
  const retained = log.firstRetained
  if (from < retained && from <= log.lastSeq) {
    throw new TrimmedError(
      `sequence number ${from} is older than the log retains: the first retained is ${retained}`,
      retained,
    )
  }
  const limit = Math.min(op.limit || limits.maxPageRecords, limits.maxPageRecords)
  const entries = from > log.lastSeq ? [] : log.read(from, limit)
  return resultOf(log, { entries: entries.map(entryToWire) })
}

/** A result with where the log ends and the first entry it still retains. */
export function resultOf(log: HomeLog, fields: Partial<TopicResult>): TopicResult {
  return {
    seq: 0n,
    entries: [],
    lastSeq: BigInt(log.lastSeq),
    firstSeq: BigInt(log.firstRetained),
    useRelay: false,
    ...fields,
  }
}
