import { CliError, ExitCode } from './errors.js'
import { asUtf8, textBytes } from './io.js'

/**
 * The import/export line format, one JSON object per line:
 *
 *   {"key": "...", "value": "...", "keyEncoding": "base64", "valueEncoding": "base64", "expiresAt": 1767225600000}
 *
 * Key and value each have their own encoding, "utf8" (the default, may be left out) or
 * "base64" (standard alphabet, `=` padding, canonical: what `Buffer#toString('base64')`
 * writes). `export` writes each as UTF-8 text when the bytes are valid UTF-8 and as base64
 * otherwise, so export → import is an exact round trip of the bytes. Invalid base64 is an
 * error, never decoded leniently. The field "encoding" of earlier versions (which applied
 * to key and value at once) is refused, so an old file is never read with another meaning.
 * "expiresAt" (ms since the epoch) is there for a key put with a TTL; import gives it the
 * time left, and passes over a key whose time is already up.
 */
export interface KeyValue {
  key: Uint8Array
  value: Uint8Array
  expiresAt?: number
}

export type Encoding = 'utf8' | 'base64'

/** A decoded line, with the key as written in the file (for error messages). */
export interface DecodedLine extends KeyValue {
  keyText: string
}

/** A line that is not a valid record: the CLI's usage error (exit 2). */
export class InvalidRecordError extends CliError {
  constructor(message: string) {
    super(message, { code: 'ERR_INVALID_RECORD', exitCode: ExitCode.USAGE })
    this.name = 'InvalidRecordError'
  }
}

// "hops" is what `get --json` adds to a line; import reads such a line and ignores it
const FIELDS = new Set(['key', 'value', 'keyEncoding', 'valueEncoding', 'expiresAt', 'hops'])
const SHAPE = '{"key": "...", "value": "..."}'

export function decodeLine(line: string, where: string): DecodedLine {
  let parsed: unknown
  try {
    parsed = JSON.parse(line)
  } catch {
    throw new InvalidRecordError(`${where}: not JSON (expected ${SHAPE})`)
  }
  if (parsed == null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InvalidRecordError(`${where}: expected an object ${SHAPE}`)
  }
  const fields = parsed as Record<string, unknown>
  if ('encoding' in fields) {
    throw new InvalidRecordError(
      `${where}: "encoding" is ambiguous and no longer read; say "keyEncoding" and/or "valueEncoding" ("utf8" or "base64")`,
    )
  }
  for (const name of Object.keys(fields)) {
    if (!FIELDS.has(name)) {
      throw new InvalidRecordError(
        `${where}: unknown field "${name}" (known: ${[...FIELDS].join(', ')})`,
      )
    }
  }
  const { key, value } = fields
  if (typeof key !== 'string') throw new InvalidRecordError(`${where}: "key" must be a string`)
  if (typeof value !== 'string') throw new InvalidRecordError(`${where}: "value" must be a string`)
  const keyBytes = decodeField(
    key,
    encodingOf(fields.keyEncoding, 'keyEncoding', where),
    'key',
    where,
  )
  if (keyBytes.byteLength === 0) throw new InvalidRecordError(`${where}: "key" is empty`)
  const valueEncoding = encodingOf(fields.valueEncoding, 'valueEncoding', where)
  const { expiresAt } = fields
  if (expiresAt !== undefined && !(Number.isSafeInteger(expiresAt) && (expiresAt as number) >= 0)) {
    throw new InvalidRecordError(
      `${where}: "expiresAt" must be a whole number of ms since the epoch, got ${JSON.stringify(expiresAt)}`,
    )
  }
  return {
    key: keyBytes,
    value: decodeField(value, valueEncoding, 'value', where),
    keyText: key,
    ...(expiresAt === undefined ? {} : { expiresAt: expiresAt as number }),
  }
}

/** One line; each field as UTF-8 text when it is valid UTF-8, else base64 (or always base64). */
export function encodeLine(record: KeyValue, force?: Encoding): string {
  const out: Record<string, string | number> = {}
  const key = force === 'base64' ? undefined : asUtf8(record.key)
  const value = force === 'base64' ? undefined : asUtf8(record.value)
  out.key = key ?? toBase64(record.key)
  out.value = value ?? toBase64(record.value)
  if (key === undefined) out.keyEncoding = 'base64'
  if (value === undefined) out.valueEncoding = 'base64'
  if (record.expiresAt !== undefined) out.expiresAt = record.expiresAt
  return JSON.stringify(out)
}

function encodingOf(raw: unknown, field: string, where: string): Encoding {
  if (raw === undefined || raw === 'utf8') return 'utf8'
  if (raw === 'base64') return 'base64'
  throw new InvalidRecordError(
    `${where}: "${field}" must be "utf8" or "base64", got ${JSON.stringify(raw)}`,
  )
}

function decodeField(text: string, encoding: Encoding, field: string, where: string): Uint8Array {
  if (encoding === 'utf8') return textBytes(text)
  const bytes = fromBase64(text)
  if (bytes === undefined) {
    throw new InvalidRecordError(
      `${where}: "${field}" is not valid base64 (standard alphabet with = padding): ${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text)}`,
    )
  }
  return bytes
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
}

/** Strict base64: only the canonical form decodes; anything else is undefined. */
export function fromBase64(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined
  const bytes = Buffer.from(text, 'base64')
  return bytes.toString('base64') === text ? new Uint8Array(bytes) : undefined
}
