import { once } from 'node:events'
import { createWriteStream, type WriteStream } from 'node:fs'
import type { ClientFlags } from '../../client.js'
import { withClient } from '../../client.js'
import { UsageError } from '../../errors.js'
import { formatBytes, ProgressBar } from '../../output.js'
import { encodeLine } from '../../records.js'

export interface ExportFlags extends ClientFlags {
  output?: string
  encoding?: 'auto' | 'base64'
  /** No progress bar. */
  quiet?: boolean
}

export async function exportHandler(flags: ExportFlags): Promise<void> {
  const out: NodeJS.WritableStream | WriteStream =
    flags.output != null ? createWriteStream(flags.output) : process.stdout
  if (flags.output != null) {
    await Promise.race([
      once(out as WriteStream, 'open'),
      once(out as WriteStream, 'error').then(([err]) => {
        throw new UsageError(`cannot write ${flags.output}: ${(err as Error).message}`, err)
      }),
    ])
  }
  const started = performance.now()
  const progress = new ProgressBar('exporting', undefined, { quiet: flags.quiet === true })
  let count = 0
  let bytes = 0
  await withClient(
    flags,
    async (client) => {
      for await (const record of client.scan()) {
        const line = `${encodeLine(record, flags.encoding === 'base64' ? 'base64' : undefined)}\n`
        if (!out.write(line)) await once(out, 'drain')
        count++
        bytes += record.key.byteLength + record.value.byteLength
        progress.update(count)
      }
    },
    { taskDeadlineMs: Number.POSITIVE_INFINITY },
  )
  progress.finish()
  if (flags.output != null) {
    const file = out as WriteStream
    file.end()
    await once(file, 'close')
  }
  const seconds = (performance.now() - started) / 1000
  process.stderr.write(
    `exported ${count} keys (${formatBytes(bytes)}) in ${seconds.toFixed(1)} s\n`,
  )
}
