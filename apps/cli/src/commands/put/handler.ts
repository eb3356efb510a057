import type { ClientFlags } from '../../client.js'
import { withClient } from '../../client.js'
import { UsageError } from '../../errors.js'
import { readValue, textBytes, toJson, writeOut } from '../../io.js'
import { printTrace } from '../trace.js'

export interface PutFlags extends ClientFlags {
  file?: string
  trace?: boolean
  json?: boolean
  /** Time to live: a number with a unit, e.g. 30s. */
  ttl?: string
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/** `--ttl` as ms: a whole number with a unit (ms, s, m, h, d); a bare number is refused as ambiguous. */
export function parseTtl(text: string): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(text.trim())
  const ms = match === null ? Number.NaN : Number(match[1]) * (UNIT_MS[match[2] as string] ?? 0)
  if (!Number.isSafeInteger(ms) || ms < 1) {
    throw new UsageError(
      `--ttl must be a whole number with a unit (ms, s, m, h, d), e.g. 30s or 2h; got ${JSON.stringify(text)}`,
    )
  }
  return ms
}

export async function putHandler(
  key: string,
  value: string | undefined,
  flags: PutFlags,
): Promise<void> {
  const ttlMs = flags.ttl === undefined ? undefined : parseTtl(flags.ttl)
  const bytes = await readValue(value, flags.file)
  const result = await withClient(flags, (client) =>
    client.put(textBytes(key), bytes, {
      trace: flags.trace === true,
      ...(ttlMs === undefined ? {} : { ttlMs }),
    }),
  )
  if (flags.trace === true) printTrace('put', key, result)
  if (flags.json === true)
    await writeOut(`${toJson({ key, bytes: bytes.byteLength, ...result })}\n`)
}
