import type { ClientFlags } from '../client.js'
import { withClient } from '../client.js'
import { ExitCode } from '../errors.js'
import { writeOut } from '../io.js'
import type { RingClient } from '../peer.js'

/**
 * Print the lines `lines` yields, one per line, until SIGINT or SIGTERM (which abort the
 * signal it is given) or `count` lines: `ringdht sub` and `ringdht watch`. Exits 0.
 */
export async function printUntilStopped(
  flags: ClientFlags,
  count: number | undefined,
  lines: (client: RingClient, signal: AbortSignal) => AsyncIterable<string>,
): Promise<void> {
  const stop = new AbortController()
  const onSignal = () => stop.abort()
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    await withClient(
      flags,
      async (client) => {
        let printed = 0
        for await (const line of lines(client, stop.signal)) {
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
