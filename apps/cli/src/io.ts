import { readFile } from 'node:fs/promises'
import { CliError } from './errors.js'

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
    throw new CliError(`cannot read ${what} ${file}: ${reason}`, { cause: err })
  }
}

/** `put`'s value: the argument, else `--file`, else stdin (when something is piped in). */
export async function readValue(
  arg: string | undefined,
  file: string | undefined,
): Promise<Uint8Array> {
  if (arg !== undefined && file !== undefined)
    throw new CliError('give either VALUE or --file, not both')
  if (arg !== undefined) return textBytes(arg)
  if (file !== undefined) return file === '-' ? readStdin() : readInputFile(file, 'value file')
  if (process.stdin.isTTY === true) {
    throw new CliError('no value: give VALUE, --file FILE, or pipe it on stdin')
  }
  return readStdin()
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
