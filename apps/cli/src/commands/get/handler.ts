import type { ClientFlags } from '../../client.js'
import { withClient } from '../../client.js'
import { NotFoundError } from '../../errors.js'
import { asUtf8, textBytes, toJson, writeOut } from '../../io.js'
import { toBase64 } from '../../records.js'
import { printTrace } from '../trace.js'

export interface GetFlags extends ClientFlags {
  trace?: boolean
  json?: boolean
  consistency?: 'quorum' | 'one'
}

export async function getHandler(key: string, flags: GetFlags): Promise<void> {
  const result = await withClient(flags, (client) =>
    client.get(textBytes(key), {
      trace: flags.trace === true,
      consistency: flags.consistency ?? 'quorum',
    }),
  )
  if (result === undefined) throw new NotFoundError(key)
  if (flags.trace === true) printTrace('get', key, result)
  if (flags.json === true) {
    // the fields of an import/export line: `get --json` output can be fed to `import`
    const text = asUtf8(result.value)
    const value = text ?? toBase64(result.value)
    const encoding = text != null ? {} : { valueEncoding: 'base64' }
    const expiry = result.expiresAt === undefined ? {} : { expiresAt: result.expiresAt }
    await writeOut(`${toJson({ key, value, ...encoding, ...expiry, hops: result.hops })}\n`)
    return
  }
  await writeOut(result.value)
  if (needsNewline(result.value, process.stdout.isTTY === true)) await writeOut('\n')
}

/** On a terminal the prompt must not land after the value; in a pipe the bytes stay exact. */
export function needsNewline(value: Uint8Array, terminal: boolean): boolean {
  return terminal && value.byteLength > 0 && value[value.byteLength - 1] !== 0x0a
}
