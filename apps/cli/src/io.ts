import { readFile } from 'node:fs/promises'
import { UsageError } from './errors.js'

const utf8 = new TextEncoder()
const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

export function textBytes(text: string): Uint8Array {
  return utf8.encode(text)
}

/** The bytes as text when they are valid UTF-8, otherwise undefined. */
export function asUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes)
  } catch {
    return undefined
  }
}

export async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

export async function readInputFile(file: string, what: string): Promise<Uint8Array> {
  try {
    return await readFile(file)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory'
          : (err as Error).message
    throw new UsageError(`cannot read ${what} ${file}: ${reason}`, err)
  }
}

/**
 * `put`'s value: the argument, else `--file`, else stdin (when something is piped in). An
 * empty value must be asked for (`put KEY ''`, or an empty `--file`): stdin that ends
 * before its first byte is far more often a script's mistake (`< /dev/null`, a failed
 * producer) than a wish, so it is an error.
 */
export async function readValue(
  arg: string | undefined,
  file: string | undefined,
): Promise<Uint8Array> {
  if (arg !== undefined && file !== undefined)
    throw new UsageError('give either VALUE or --file, not both')
  if (arg !== undefined) return textBytes(arg)
  if (file !== undefined && file !== '-') return readInputFile(file, 'value file')
  if (file === undefined && process.stdin.isTTY === true) {
    throw new UsageError('no value: give VALUE, --file FILE, or pipe it on stdin')
  }
  const bytes = await readStdin()
  if (bytes.byteLength === 0) {
    throw new UsageError(
      "stdin was empty: nothing stored (to store an empty value, say so: ringdht put KEY '')",
    )
  }
  return bytes
}

/** Writes and waits for the bytes to be flushed, so `get | other` sees everything before exit. */
export async function writeOut(
  bytes: Uint8Array | string,
  stream: NodeJS.WriteStream = process.stdout,
): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    stream.write(bytes, (err) => (err == null ? resolve() : reject(err)))
  })
}

/** JSON with bigints as strings: ring positions as 16 hex digits, other counts in decimal. */
export function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(
    value,
    (key, item: unknown) => {
      if (typeof item !== 'bigint') return item
      return /ring|id$|start|end/i.test(key) ? item.toString(16).padStart(16, '0') : item.toString()
    },
    indent,
  )
}
