import type { Libp2p } from '@libp2p/interface'
import {
  ErrorCode,
  MessageType,
  type Request,
  type Response,
  TRANSFER_PROTOCOL,
  type Record as WireRecord,
} from '@ringdht/protocol'
import { inHalfOpenInterval, type RingId, ringIdToHex } from '@ringdht/ring'
import type { HybridLogicalClock, Store, StoredRecord } from '@ringdht/store'
import type { Logger } from 'pino'
import type { RingNode } from '../core/ring-node.js'
import { RpcChannel } from '../core/rpc/channel.js'
import type { RequestContext } from '../core/rpc/server.js'
import type { Counters } from '../counters.js'
import { errorFromWire } from '../errors.js'
import type { Emit } from '../events.js'
import {
  advancePageCursor,
  fromWireRecord,
  type PageCursor,
  toWireRecord,
  wireRecordBytes,
} from './records.js'
import { validSignedCopy } from './signed-keys.js'

export interface TransferComponents {
  libp2p: Pick<Libp2p, 'dialProtocol'>
  store: Store
  /** Versions from beyond the clock drift are refused. */
  clock: Pick<HybridLogicalClock, 'accepts'>
  counters: Counters
  emit: Emit
  logger: Logger
}

export interface TransferInit {
  maxPageRecords: number
  maxPageBytes: number
  maxFrameBytes: number
  maxKeyBytes: number
  maxValueBytes: number
  requestTimeoutMs: number
  idleStreamMs: number
}

/**
 * Moves the records of a ring range between peers in pages, on a stream of its own so
 * bulk data does not queue in front of lookups. The receiver pulls: it asks for the
 * next page only after applying the previous one, which is the back-pressure.
 */
export class TransferService {
  readonly #c: TransferComponents
  readonly #init: TransferInit

  constructor(components: TransferComponents, init: TransferInit) {
    this.#c = components
    this.#init = init
  }

  /** Server side: one page of records in (rangeStart, rangeEnd] after the cursor. */
  async handlePage(request: Request, context: RequestContext): Promise<Partial<Response>> {
    if (request.type !== MessageType.TRANSFER) {
      return { error: ErrorCode.UNKNOWN_REQUEST_TYPE, message: 'only TRANSFER on this protocol' }
    }
    const page = await this.readPage(request, { tombstones: true })
    if ('error' in page) return page
    const sent =
      ((context.streamState.get('sent') as number | undefined) ?? 0) + page.records.length
    context.streamState.set('sent', sent)
    this.#c.counters.keysTransferred += page.records.length
    if (page.done)
      this.#c.emit('keys:transferred', { to: context.remotePeer.toString(), count: sent })
    return page
  }

  /** A page of (rangeStart, rangeEnd] after the cursor; shared with scan. */
  async readPage(
    request: Request,
    options: { tombstones: boolean },
  ): Promise<{ records: WireRecord[]; done: boolean } | { error: number; message: string }> {
    const { rangeStart, rangeEnd } = request
    if (rangeStart === undefined || rangeEnd === undefined) {
      return { error: ErrorCode.INVALID_INPUT, message: 'a range (start, end] is required' }
    }
    const limit = Math.min(
      request.limit > 0 ? request.limit : this.#init.maxPageRecords,
      this.#init.maxPageRecords,
    )
    const after =
      request.afterPosition !== undefined && request.afterKey !== undefined
        ? { position: request.afterPosition, key: request.afterKey }
        : undefined
    const records: WireRecord[] = []
    let bytes = 0
    let full = false
    for await (const record of this.#c.store.range(rangeStart, rangeEnd, {
      ...(after === undefined ? {} : { after }),
      limit,
      tombstones: options.tombstones,
    })) {
      const wire = toWireRecord(record)
      records.push(wire)
      bytes += wireRecordBytes(wire)
      if (records.length >= limit || bytes >= this.#init.maxPageBytes) {
        full = true
        break
      }
    }
    return { records, done: !full }
  }

  /**
   * Client side: pull every record of (start, end] from `source` into the local store,
   * page by page. Returns how many records were applied.
   */
  async pull(source: RingNode, start: RingId, end: RingId, signal: AbortSignal): Promise<number> {
    const channel = new RpcChannel(
      {
        openStream: (openSignal) =>
          this.#c.libp2p.dialProtocol([...source.multiaddrs], TRANSFER_PROTOCOL, {
            signal: AbortSignal.any([openSignal, signal]),
          }),
        logger: this.#c.logger,
      },
      {
        maxInFlight: 1,
        maxFrameBytes: this.#init.maxFrameBytes,
        idleStreamMs: this.#init.idleStreamMs,
        openTimeoutMs: this.#init.requestTimeoutMs,
      },
    )
    let applied = 0
    let received = 0
    let after: PageCursor | undefined
    try {
      for (;;) {
        const response = await channel.request(
          {
            type: MessageType.TRANSFER,
            rangeStart: start,
            rangeEnd: end,
            limit: this.#init.maxPageRecords,
            ...(after === undefined
              ? {}
              : { afterPosition: after.position, afterKey: after.key as Uint8Array<ArrayBuffer> }),
          },
          { signal, timeoutMs: this.#init.requestTimeoutMs },
        )
        if (response.error !== 0) throw errorFromWire(response.error, response.message)
        const records = response.records.map(fromWireRecord)
        received += records.length
        const valid: StoredRecord[] = []
        for (const record of records) {
          if (!this.#acceptable(record, start, end)) continue
          if (await validSignedCopy(record, this.#c.store.getSync(record.key))) valid.push(record)
        }
        if (valid.length > 0) applied += await this.#c.store.applyBatch(valid)
        after = advancePageCursor(start, after, records)
        if (response.done || records.length === 0) break
      }
    } finally {
      channel.close()
    }
    this.#c.counters.keysReceived += applied
    this.#c.emit('keys:received', {
      from: source.key,
      count: received,
      start: ringIdToHex(start),
      end: ringIdToHex(end),
    })
    return applied
  }

  #acceptable(record: StoredRecord, start: RingId, end: RingId): boolean {
    return (
      record.key.byteLength > 0 &&
      record.key.byteLength <= this.#init.maxKeyBytes &&
      (record.value?.byteLength ?? 0) <= this.#init.maxValueBytes &&
      this.#c.clock.accepts(record.version.timestamp) &&
      inHalfOpenInterval(record.position, start, end)
    )
  }
}
