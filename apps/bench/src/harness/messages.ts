/**
 * The IPC vocabulary between the driver and the processes it starts. Messages
 * travel with Node's `advanced` serialization, so bigints and Uint8Arrays pass
 * through unchanged.
 */

/** Sent once by a child when it is ready to take commands. */
export interface ReadyMessage {
  kind: 'ready'
  info: Record<string, unknown>
}

/** A command from the driver; answered by exactly one {@link ResponseMessage}. */
export interface RequestMessage {
  kind: 'request'
  id: number
  command: string
  args: unknown
}

export interface ResponseMessage {
  kind: 'response'
  id: number
  ok: boolean
  result?: unknown
  error?: string
}

/** Sent by a child that cannot start; the driver fails fast instead of timing out. */
export interface FatalMessage {
  kind: 'fatal'
  error: string
}

export type ChildMessage = ReadyMessage | ResponseMessage | FatalMessage

export function isChildMessage(value: unknown): value is ChildMessage {
  if (typeof value !== 'object' || value === null) return false
  const kind = (value as { kind?: unknown }).kind
  return kind === 'ready' || kind === 'response' || kind === 'fatal'
}

export function isRequestMessage(value: unknown): value is RequestMessage {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'request' &&
    typeof (value as { id?: unknown }).id === 'number'
  )
}

/** Environment variable carrying a child's maximum lifetime in ms. */
export const MAX_LIFETIME_ENV = 'RINGDHT_BENCH_MAX_LIFETIME_MS'
