import type { ClientFlags } from '../../client.js'
import { withClient } from '../../client.js'
import { readValue, textBytes, toJson, writeOut } from '../../io.js'
import { printTrace } from '../trace.js'

export interface PutFlags extends ClientFlags {
  file?: string
  trace?: boolean
  json?: boolean
}

export async function putHandler(
  key: string,
  value: string | undefined,
  flags: PutFlags,
): Promise<void> {
  const bytes = await readValue(value, flags.file)
  const result = await withClient(flags, (client) =>
    client.put(textBytes(key), bytes, { trace: flags.trace === true }),
  )
  if (flags.trace === true) printTrace('put', key, result)
  if (flags.json === true)
    await writeOut(`${toJson({ key, bytes: bytes.byteLength, ...result })}\n`)
}
