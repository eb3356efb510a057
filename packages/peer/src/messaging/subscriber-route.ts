import type { TopicOp, TopicResult } from '@ringdht/protocol'
import { ForbiddenError, InvalidInputError, TrimmedError } from '../errors.js'
import type { LogRead } from './log-pull.js'

/** After its relay failed, a subscriber reads the home (no_redirect) this long, ms. */
export const RELAY_RETRY_MS = 5_000

/** One read of a topic, to its home or (`op.viaRelay`) through a relay. */
export type TopicRead = (op: TopicOp, signal: AbortSignal | undefined) => Promise<TopicResult>

/**
 * Where one subscription's reads go: to the topic's home until the home says `use_relay`,
 * then `via_relay` (to the subscribing member itself, or to the member a client dialled).
 * When a read through the relay fails (the relay died, stopped or is unreachable), the
 * subscription reads the home again with `no_redirect` for RELAY_RETRY_MS, so it goes on
 * from its last seq whatever became of the relay (pullLog asks again from there), then
 * lets the home send it to a relay again. Errors a relay passes on from the home
 * (TrimmedError, "from in the future") are the home's own and reach the caller as before.
 */
export function subscriberRoute(
  read: TopicRead,
  op: (fields: Partial<TopicOp>) => TopicOp,
  now: () => number = Date.now,
): LogRead {
  let viaRelay = false
  let homeOnlyUntil = 0
  return async (r, signal) => {
    const relayed = viaRelay
    const noRedirect = !relayed && now() < homeOnlyUntil
    try {
      const result = await read(
        op({
          fromSeq: BigInt(r.fromSeq),
          limit: r.limit,
          waitMs: r.waitMs,
          viaRelay: relayed,
          noRedirect,
        }),
        signal,
      )
      if (result.useRelay && !relayed && !noRedirect) viaRelay = true
      return result
    } catch (err) {
      const homeSaid = [InvalidInputError, TrimmedError, ForbiddenError].some(
        (type) => err instanceof type,
      )
      if (relayed && !homeSaid && signal?.aborted !== true) {
        viaRelay = false
        homeOnlyUntil = now() + RELAY_RETRY_MS
      }
      throw err
    }
  }
}
