import type { LogEntry, TopicResult } from '@ringdht/protocol'
import {
  ForbiddenError,
  InvalidInputError,
  KeyTooLargeError,
  TrimmedError,
  ValueTooLargeError,
} from '../errors.js'

/** One read of a home log from `fromSeq` (0: only where the log ends), at its home. */
export type LogRead = (
  read: { fromSeq: number; limit: number; waitMs: number },
  signal: AbortSignal | undefined,
) => Promise<TopicResult>

export interface PullOptions {
  /**
   * The first sequence number to deliver; 'oldest': the first one the log retains;
   * undefined: only entries appended after the pull starts.
   */
  from?: number | 'oldest'
  /** Ends the pull (the iteration returns). */
  signal?: AbortSignal
  /** Most entries fetched at once. */
  batch: number
  /** How long one fetch waits at the home for a new entry, ms. */
  waitMs: number
}

/** Errors a reader cannot get past by asking again: the caller must decide. */
const FATAL = [
  InvalidInputError,
  TrimmedError,
  KeyTooLargeError,
  ValueTooLargeError,
  ForbiddenError,
]

const MAX_BACKOFF_MS = 1000

/**
 * A home log's entries in sequence order, live, pulled from its home one bounded batch at
 * a time (the home keeps no queue per reader, so a slow one costs it nothing). When the
 * home fails or moves, the pull asks again from the next seq it has not delivered, so it
 * sees every committed entry, in order, without gaps, at least once. Topics' subscribe
 * and key watches both read this way.
 */
export async function* pullLog(read: LogRead, options: PullOptions): AsyncGenerator<LogEntry> {
  const { signal, batch, waitMs } = options
  let next = typeof options.from === 'number' ? options.from : undefined
  let failures = 0
  const stopped = () => signal?.aborted === true
  while (!stopped()) {
    let result: TopicResult
    try {
      // without a start, the first fetch (from 0) only asks where the log begins and ends
      result = await read(
        { fromSeq: next ?? 0, limit: batch, waitMs: next === undefined ? 0 : waitMs },
        signal,
      )
      failures = 0
    } catch (err) {
      if (stopped()) return
      if (FATAL.some((type) => err instanceof type)) throw err
      failures++
      await pause(Math.min(MAX_BACKOFF_MS, 20 * 2 ** failures), signal)
      continue
    }
    if (next === undefined) {
      next =
        options.from === 'oldest'
          ? Math.max(1, Number(result.firstSeq))
          : Number(result.lastSeq) + 1
      continue
    }
    for (const entry of result.entries) {
      const seq = Number(entry.seq)
      // a repeated answer (a retry that reached a home twice) never goes backwards
      if (seq < next) continue
      if (seq !== next) break
      next = seq + 1
      yield entry
      if (stopped()) return
    }
  }
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, { once: true })
  })
}
