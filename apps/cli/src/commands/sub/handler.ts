import type { ClientFlags } from '../../client.js'
import { asUtf8, textBytes, toJson } from '../../io.js'
import { toBase64 } from '../../records.js'
import { positiveIntegerFlag } from '../hold.js'
import { printUntilStopped } from '../streamed-lines.js'

export interface SubFlags extends ClientFlags {
  from?: string
  count?: string
  json?: boolean
}

/**
 * `ringdht sub TOPIC [--from N] [--json]`: print the topic's messages as they are
 * published (from N when asked: replay), one line each, in order, until SIGINT or
 * SIGTERM (or `--count` messages). It survives a failover of the topic's home: it asks
 * again from the last sequence number it printed, so nothing acknowledged is skipped.
 */
export async function subHandler(topic: string, flags: SubFlags): Promise<void> {
  const from = flags.from === undefined ? undefined : positiveIntegerFlag('--from', flags.from)
  const count = flags.count === undefined ? undefined : positiveIntegerFlag('--count', flags.count)
  await printUntilStopped(flags, count, async function* (client, signal) {
    const messages = client.subscribe(textBytes(topic), {
      signal,
      ...(from === undefined ? {} : { from }),
    })
    for await (const m of messages) {
      const text = asUtf8(m.message)
      yield flags.json === true
        ? toJson({
            topic,
            seq: m.seq,
            message: text ?? toBase64(m.message),
            ...(text === undefined ? { messageEncoding: 'base64' } : {}),
            publishedAt: m.publishedAt,
          })
        : (text ?? `base64:${toBase64(m.message)}`)
    }
  })
}
