import type { ClientFlags } from '../../client.js'
import { withClient } from '../../client.js'
import { UsageError } from '../../errors.js'
import { readValue, toJson, writeOut } from '../../io.js'

export interface EnqueueFlags extends ClientFlags {
  file?: string
  delay?: string
  priority?: string
  dedupe?: string
  json?: boolean
}

/**
 * `ringdht enqueue QUEUE [PAYLOAD|-]`: add a task (the payload from the argument, --file
 * or stdin) and print its place in the queue once a write quorum of the queue's replicas
 * holds it.
 */
export async function enqueueHandler(
  queue: string,
  payload: string | undefined,
  flags: EnqueueFlags,
): Promise<void> {
  const delayMs = flags.delay === undefined ? 0 : parseDuration('--delay', flags.delay, 0)
  const priority = flags.priority === undefined ? 0 : parsePriority(flags.priority)
  const bytes = await readValue(
    payload === '-' ? undefined : payload,
    payload === '-' ? '-' : flags.file,
  )
  const options = {
    delayMs,
    priority,
    ...(flags.dedupe === undefined ? {} : { dedupeId: flags.dedupe }),
  }
  const result = await withClient(flags, (client) => client.enqueue(queue, bytes, options))
  await writeOut(
    flags.json === true
      ? `${toJson({ queue, taskId: result.taskId, duplicate: result.duplicate, bytes: bytes.byteLength })}\n`
      : `${result.taskId}\n`,
  )
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/** A duration flag as ms: a whole number with a unit (ms, s, m, h, d), at least `min`. */
export function parseDuration(flag: string, text: string, min = 1): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(text.trim())
  const ms = match === null ? Number.NaN : Number(match[1]) * (UNIT_MS[match[2] as string] ?? 0)
  if (text.trim() === '0' && min === 0) return 0
  if (!Number.isSafeInteger(ms) || ms < min) {
    throw new UsageError(
      `${flag} must be a whole number with a unit (ms, s, m, h, d), e.g. 30s; got ${JSON.stringify(text)}`,
    )
  }
  return ms
}

function parsePriority(text: string): number {
  const value = Number(text)
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(value)) {
    throw new UsageError(
      `--priority must be a whole number (higher runs first), got ${JSON.stringify(text)}`,
    )
  }
  return value
}
