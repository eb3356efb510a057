import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import type { ClientFlags } from '../../client.js'
import { withClient } from '../../client.js'
import { CliError, UsageError } from '../../errors.js'
import { toJson, writeOut } from '../../io.js'
import { formatBytes, ProgressBar } from '../../output.js'
import {
  NotReadyError,
  OutcomeUnknownError,
  PeerBusyError,
  PeerUnreachableError,
  QuorumNotReachedError,
  RequestTimeoutError,
  type RingClient,
} from '../../peer.js'
import { type DecodedLine, decodeLine, InvalidRecordError } from '../../records.js'

export interface ImportFlags extends ClientFlags {
  concurrency?: string
  retries?: string
  json?: boolean
  skipInvalid?: boolean
  /** No progress bar. */
  quiet?: boolean
}

export async function importHandler(file: string, flags: ImportFlags): Promise<void> {
  const concurrency = Number(flags.concurrency ?? 16)
  if (!Number.isSafeInteger(concurrency) || concurrency < 1 || concurrency > 1024) {
    throw new UsageError('--concurrency must be an integer from 1 to 1024')
  }
  const retries = Number(flags.retries ?? 3)
  if (!Number.isSafeInteger(retries) || retries < 0 || retries > 20) {
    throw new UsageError('--retries must be an integer from 0 to 20')
  }
  const total = file === '-' ? undefined : await countLines(file)
  const started = performance.now()
  const skipInvalid = flags.skipInvalid === true
  const summary = await withClient(
    flags,
    (client) =>
      importLines(client, file, total, {
        concurrency,
        retries,
        skipInvalid,
        quiet: flags.quiet === true,
      }),
    {
      taskDeadlineMs: Number.POSITIVE_INFINITY,
    },
  )
  const seconds = (performance.now() - started) / 1000
  if (flags.json === true) {
    await writeOut(`${toJson({ ...summary, seconds: Number(seconds.toFixed(3)) })}\n`)
  } else {
    const skipped = skipInvalid ? `, ${summary.skipped} invalid lines skipped` : ''
    const retried = summary.retried > 0 ? `, ${summary.retried} retried` : ''
    const expired = summary.expired > 0 ? `, ${summary.expired} already expired` : ''
    await writeOut(
      `imported ${summary.imported} keys (${formatBytes(summary.bytes)}) in ${seconds.toFixed(1)} s, ${summary.failed} failed${skipped}${retried}${expired}\n`,
    )
  }
  if (summary.failed > 0) {
    throw new CliError(
      `${summary.failed} of ${summary.imported + summary.failed} keys failed; first: ${summary.firstError}`,
    )
  }
}

interface ImportSummary {
  imported: number
  failed: number
  /** Invalid lines passed over (`--skip-invalid`). */
  skipped: number
  /** Lines whose expiresAt had passed: nothing to write. */
  expired: number
  /** Writes that failed transiently and were sent again (each counted once). */
  retried: number
  bytes: number
  firstError?: string
}

interface ImportOptions {
  concurrency: number
  /** How often a write that failed transiently is sent again. */
  retries: number
  skipInvalid: boolean
  quiet: boolean
}

/**
 * Failures that say nothing about the line itself: the ring was changing, a replica was
 * busy or out of reach. Sending the same key and value again is safe (the newer version
 * carries the same value), so the import does, with a growing pause.
 */
function isTransient(err: unknown): boolean {
  return (
    err instanceof QuorumNotReachedError ||
    err instanceof RequestTimeoutError ||
    err instanceof PeerUnreachableError ||
    err instanceof OutcomeUnknownError ||
    err instanceof PeerBusyError ||
    err instanceof NotReadyError
  )
}

async function putWithRetries(
  client: RingClient,
  record: DecodedLine,
  retries: number,
  summary: ImportSummary,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      // the time left, taken again at each attempt so a retry never extends the key's life
      const ttlMs = record.expiresAt === undefined ? undefined : record.expiresAt - Date.now()
      if (ttlMs !== undefined && ttlMs < 1) return
      await client.put(record.key, record.value, ttlMs === undefined ? {} : { ttlMs })
      return
    } catch (err) {
      if (attempt >= retries || !isTransient(err)) throw err
      if (attempt === 0) summary.retried++
      const pauseMs = 100 * 2 ** attempt * (0.5 + Math.random())
      await new Promise((resolve) => setTimeout(resolve, pauseMs))
    }
  }
}

async function importLines(
  client: RingClient,
  file: string,
  total: number | undefined,
  { concurrency, retries, skipInvalid, quiet }: ImportOptions,
): Promise<ImportSummary> {
  const summary: ImportSummary = {
    imported: 0,
    failed: 0,
    skipped: 0,
    expired: 0,
    retried: 0,
    bytes: 0,
  }
  const progress = new ProgressBar('importing', total, { quiet })
  const inFlight = new Set<Promise<void>>()
  const input = file === '-' ? process.stdin : createReadStream(file)
  const opened = new Promise<void>((resolve, reject) => {
    input.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new UsageError(
          `cannot read ${file}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`,
          err,
        ),
      ),
    )
    input.once('readable', () => resolve())
    input.once('end', () => resolve())
  })
  await opened
  let lineNumber = 0
  try {
    for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
      lineNumber++
      const current = lineNumber
      if (line.trim() === '') continue
      let record: DecodedLine
      try {
        record = decodeLine(line, `${file} line ${lineNumber}`)
      } catch (err) {
        if (!(err instanceof InvalidRecordError)) throw err
        if (!skipInvalid) {
          // say what the store holds now: the lines before this one, and nothing after
          await Promise.all(inFlight)
          progress.finish()
          const failed = summary.failed > 0 ? ` (${summary.failed} of them failed)` : ''
          throw new InvalidRecordError(
            `${err.message}; stopped there: ${summary.imported} keys from the lines before it were written${failed}, none after it (--skip-invalid skips bad lines)`,
          )
        }
        summary.skipped++
        progress.finish()
        process.stderr.write(`skipped: ${err.message}\n`)
        continue
      }
      if (record.expiresAt !== undefined && record.expiresAt <= Date.now()) {
        summary.expired++
        continue
      }
      const put = putWithRetries(client, record, retries, summary)
        .then(
          () => {
            summary.imported++
            summary.bytes += record.key.byteLength + record.value.byteLength
          },
          (err: unknown) => {
            summary.failed++
            const reason = `line ${current} (key ${JSON.stringify(record.keyText)}): ${(err as Error).message.split('\n')[0]}`
            summary.firstError ??= reason
            // every failure is listed so a script can retry exactly the unacknowledged keys
            progress.finish()
            process.stderr.write(`failed: ${reason}\n`)
          },
        )
        .finally(() => {
          inFlight.delete(put)
          progress.update(summary.imported + summary.failed, summary.failed)
        })
      inFlight.add(put)
      if (inFlight.size >= concurrency) await Promise.race(inFlight)
    }
  } finally {
    // never leave requests running behind a parse error: the client closes right after
    await Promise.all(inFlight)
    progress.finish()
  }
  return summary
}

async function countLines(file: string): Promise<number | undefined> {
  try {
    if (!(await stat(file)).isFile()) return undefined
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new UsageError(
      `cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
      err,
    )
  }
  let lines = 0
  let last = 10
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    for (const byte of chunk) if (byte === 10) lines++
    last = chunk.at(-1) ?? last
  }
  return last === 10 ? lines : lines + 1
}
