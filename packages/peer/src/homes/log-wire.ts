import { ErrorCode, type LogOp, type Response } from '@ringdht/protocol'
import type { LogId } from './log-keys.js'
import { type AppendMessage, entryToWire } from './replica-log.js'

/** A LogOp with every field at its default, then `fields`. */
export function logOpOf(fields: Partial<LogOp>): LogOp {
  return {
    space: '',
    name: new Uint8Array(),
    epoch: 0n,
    prevSeq: 0n,
    prevEpoch: 0n,
    entries: [],
    commit: 0n,
    retainFrom: 0n,
    fromSeq: 0n,
    limit: 0,
    ...fields,
  }
}

export function wireId(id: LogId): Partial<LogOp> {
  return { space: id.space, name: id.name as Uint8Array<ArrayBuffer> }
}

export function appendToWire(id: LogId, m: AppendMessage): Partial<LogOp> {
  return {
    ...wireId(id),
    epoch: BigInt(m.epoch),
    prevSeq: BigInt(m.prevSeq),
    prevEpoch: BigInt(m.prevEpoch),
    entries: m.entries.map(entryToWire),
    commit: BigInt(m.commit),
    retainFrom: BigInt(m.retainFrom),
  }
}

export function fenced(promised: number): Partial<Response> {
  return {
    error: ErrorCode.FENCED,
    message: `this replica promised epoch ${promised} of the log to a newer home; nothing changed`,
  }
}
