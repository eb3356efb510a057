import { ProtocolError } from '../errors.js'
import type { QueueEntry, QueueSnapshot, TaskRecord } from './queue-entries.js'

/**
 * Queue entries as bytes for the home log: JSON, with payloads in base64. JSON keeps
 * the entries readable in a log dump and lets later versions add fields; the payload is
 * the only bulk and base64 costs a third more of it.
 */

const utf8 = new TextEncoder()
const text = new TextDecoder('utf-8', { fatal: true })

type Wire = Record<string, unknown>

export function encodeEntry(entry: QueueEntry): Uint8Array {
  return utf8.encode(JSON.stringify(toWire(entry)))
}

/** The entry in `bytes`; throws ProtocolError for anything that is not one. */
export function decodeEntry(bytes: Uint8Array): QueueEntry {
  let wire: unknown
  try {
    wire = JSON.parse(text.decode(bytes))
  } catch (err) {
    throw malformed(`not JSON (${(err as Error).message})`)
  }
  if (typeof wire !== 'object' || wire === null) throw malformed('not an object')
  return fromWire(wire as Wire)
}

function toWire(entry: QueueEntry): Wire {
  switch (entry.kind) {
    case 'enqueue':
      return { ...entry, payload: base64(entry.payload) }
    case 'snapshot':
      return { ...entry, state: { ...entry.state, tasks: entry.state.tasks.map(taskToWire) } }
    default:
      return { ...entry }
  }
}

function fromWire(wire: Wire): QueueEntry {
  const at = num(wire, 'at')
  switch (wire.kind) {
    case 'enqueue': {
      const dedupeId = optionalString(wire, 'dedupeId')
      return {
        kind: 'enqueue',
        at,
        payload: bytesOf(wire, 'payload'),
        priority: num(wire, 'priority'),
        notBefore: num(wire, 'notBefore'),
        ...(dedupeId === undefined ? {} : { dedupeId }),
      }
    }
    case 'lease':
      return {
        kind: 'lease',
        at,
        taskId: num(wire, 'taskId'),
        worker: str(wire, 'worker'),
        token: num(wire, 'token'),
        deadline: num(wire, 'deadline'),
      }
    case 'extend':
      return {
        kind: 'extend',
        at,
        taskId: num(wire, 'taskId'),
        token: num(wire, 'token'),
        deadline: num(wire, 'deadline'),
      }
    case 'ack':
    case 'expire':
      return { kind: wire.kind, at, taskId: num(wire, 'taskId'), token: num(wire, 'token') }
    case 'nack':
      return {
        kind: 'nack',
        at,
        taskId: num(wire, 'taskId'),
        token: num(wire, 'token'),
        reason: str(wire, 'reason'),
      }
    case 'replay':
      return { kind: 'replay', at, taskIds: numbers(wire.taskIds, 'taskIds') }
    case 'configure':
      return { kind: 'configure', at, settings: wire.settings as never }
    case 'snapshot':
      return { kind: 'snapshot', at, state: snapshotFromWire(wire.state) }
    default:
      throw malformed(`unknown entry kind ${String(wire.kind)}`)
  }
}

function taskToWire(task: TaskRecord): Wire {
  return { ...task, payload: base64(task.payload) }
}

function snapshotFromWire(value: unknown): QueueSnapshot {
  if (typeof value !== 'object' || value === null) throw malformed('snapshot is not an object')
  const wire = value as Wire
  if (!Array.isArray(wire.tasks)) throw malformed('snapshot without tasks')
  const tasks = wire.tasks.map((task: Wire) => ({ ...task, payload: bytesOf(task, 'payload') }))
  return { ...(wire as unknown as QueueSnapshot), tasks: tasks as unknown as TaskRecord[] }
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
}

function bytesOf(wire: Wire, field: string): Uint8Array {
  return new Uint8Array(Buffer.from(str(wire, field), 'base64'))
}

function num(wire: Wire, field: string): number {
  const value = wire[field]
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw malformed(`${field} is not a number`)
  return value
}

function numbers(value: unknown, field: string): number[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'number')) {
    throw malformed(`${field} is not a list of numbers`)
  }
  return value
}

function str(wire: Wire, field: string): string {
  const value = wire[field]
  if (typeof value !== 'string') throw malformed(`${field} is not a string`)
  return value
}

function optionalString(wire: Wire, field: string): string | undefined {
  return wire[field] === undefined ? undefined : str(wire, field)
}

function malformed(message: string): ProtocolError {
  return new ProtocolError('MALFORMED_MESSAGE', `queue log entry: ${message}`)
}
