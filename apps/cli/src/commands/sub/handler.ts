import type { ClientFlags } from '../../client.js'
import { withClient } from '../../client.js'
import { ExitCode } from '../../errors.js'
import { asUtf8, textBytes, toJson, writeOut } from '../../io.js'
import { toBase64 } from '../../records.js'
import { positiveIntegerFlag } from '../hold.js'

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
  const stop = new AbortController()
  const onSignal = () => stop.abort()
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    await withClient(
      flags,
      async (client) => {
        let printed = 0
        const messages = client.subscribe(textBytes(topic), {
          signal: stop.signal,
          ...(from === undefined ? {} : { from }),
        })
        for await (const m of messages) {
          const text = asUtf8(m.message)
          const line =
            flags.json === true
              ? toJson({
                  topic,
                  seq: m.seq,
                  message: text ?? toBase64(m.message),
                  ...(text === undefined ? { messageEncoding: 'base64' } : {}),
                  publishedAt: m.publishedAt,
                })
              : (text ?? `base64:${toBase64(m.message)}`)
          await writeOut(`${line}\n`)
          if (count !== undefined && ++printed >= count) break
        }
      },
      { taskDeadlineMs: Number.POSITIVE_INFINITY },
    )
    process.exitCode = ExitCode.OK
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}
