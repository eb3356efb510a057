import type { ClientFlags } from '../../client.js'
import { withClient } from '../../client.js'
import { textBytes, toJson, writeOut } from '../../io.js'
import { printTrace } from '../trace.js'

export interface DelFlags extends ClientFlags {
  trace?: boolean
  json?: boolean
}

export async function delHandler(key: string, flags: DelFlags): Promise<void> {
  const result = await withClient(flags, (client) =>
    client.delete(textBytes(key), { trace: flags.trace === true }),
  )
  if (flags.trace === true) printTrace('del', key, result)
  if (flags.json === true) await writeOut(`${toJson({ key, ...result })}\n`)
}
