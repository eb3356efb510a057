import type { ClientFlags } from '../../client.js'
import { withClient } from '../../client.js'
import { NotFoundError } from '../../errors.js'
import { asUtf8, textBytes, toJson, writeOut } from '../../io.js'
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
    const text = asUtf8(result.value)
    const value = text ?? Buffer.from(result.value).toString('base64')
    await writeOut(
      `${toJson({ key, value, encoding: text != null ? 'utf8' : 'base64', hops: result.hops })}\n`,
    )
    return
  }
  await writeOut(result.value)
}
