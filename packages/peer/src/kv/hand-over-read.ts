import { MessageType, type Request } from '@ringdht/protocol'
import type { HybridLogicalClock, StoredRecord } from '@ringdht/store'
import { compareRecords } from '@ringdht/store'
import type { Logger } from 'pino'
import type { RingNode } from '../core/ring-node.js'
import type { MemberRequests } from '../core/rpc/member-requests.js'
import { fromWireRecord } from './records.js'

export interface HandOverReadComponents {
  pool: MemberRequests
  clock: Pick<HybridLogicalClock, 'accepts'>
  logger: Logger
  read(key: Uint8Array): Promise<StoredRecord | undefined>
  write(record: StoredRecord): Promise<unknown>
}

/**
 * While a new member still pulls its range from its successor (`source`), a local miss
 * may only mean "not transferred yet": read the key from the source, and keep what it
 * gave (the hand-over would bring it anyway; the newer copy wins). Undefined when the
 * source has nothing, does not answer, or answers beyond the clock drift.
 */
export async function readFromHandOverSource(
  c: HandOverReadComponents,
  request: Request,
  source: RingNode,
  options: { signal: AbortSignal | undefined; timeoutMs: number },
): Promise<StoredRecord | undefined> {
  try {
    const response = await c.pool.request(
      source,
      {
        type: MessageType.GET,
        key: request.key,
        local: true,
        hops: request.hops,
        maxHops: request.maxHops,
      },
      {
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        timeoutMs: options.timeoutMs,
      },
    )
    if (response.error !== 0 || response.record === undefined) return undefined
    const record = fromWireRecord(response.record)
    if (!c.clock.accepts(record.version.timestamp)) return undefined
    const local = await c.read(record.key)
    if (local === undefined || compareRecords(record, local) > 0) await c.write(record)
    return record
  } catch (err) {
    c.logger.debug({ err }, 'hand-over read from successor failed')
    return undefined
  }
}
