import { CliError } from './errors.js'
import { asUtf8, textBytes } from './io.js'

/**
 * The import/export line format: `{"key": "...", "value": "..."}`, one JSON object per
 * line. Key and value are UTF-8 text unless the line says `"encoding": "base64"`, then
 * both are base64. `export` picks base64 only for records that are not valid UTF-8, so
 * text stays readable and binary data round-trips exactly.
 */
export interface KeyValue {
  key: Uint8Array
  value: Uint8Array
}

export type Encoding = 'utf8' | 'base64'

/** A decoded line, with the key as written in the file (for error messages). */
export interface DecodedLine extends KeyValue {
  keyText: string
}

export function decodeLine(line: string, where: string): DecodedLine {
  let parsed: unknown
  try {
    parsed = JSON.parse(line)
  } catch {
    throw new CliError(`${where}: not JSON (expected {"key": "...", "value": "..."})`)
  }
  if (parsed == null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new CliError(`${where}: expected an object {"key": "...", "value": "..."}`)
  }
  const { key, value, encoding = 'utf8' } = parsed as Record<string, unknown>
  if (typeof key !== 'string' || key === '')
    throw new CliError(`${where}: "key" must be a non-empty string`)
  if (typeof value !== 'string') throw new CliError(`${where}: "value" must be a string`)
  if (encoding === 'utf8') return { key: textBytes(key), value: textBytes(value), keyText: key }
  if (encoding === 'base64') {
    return { key: Buffer.from(key, 'base64'), value: Buffer.from(value, 'base64'), keyText: key }
  }
  throw new CliError(`${where}: "encoding" must be "utf8" or "base64"`)
}

export function encodeLine(record: KeyValue, force?: Encoding): string {
  if (force !== 'base64') {
    const key = asUtf8(record.key)
    const value = asUtf8(record.value)
    if (key != null && value != null) return JSON.stringify({ key, value })
  }
  return JSON.stringify({
    key: Buffer.from(record.key).toString('base64'),
    value: Buffer.from(record.value).toString('base64'),
    encoding: 'base64',
  })
}
