import type { ClientFlags } from '../../client.js'
import { withClient } from '../../client.js'
import { UsageError } from '../../errors.js'
import { asUtf8, toJson, writeOut } from '../../io.js'
import type { DispatchPolicyName } from '../../peer.js'
import { toBase64 } from '../../records.js'
import { parseDuration } from '../enqueue/handler.js'
import { positiveIntegerFlag } from '../hold.js'
import { formatStatus } from '../status/handler.js'

export interface QueueFlags extends ClientFlags {
  json?: boolean
}

/** `ringdht queue stats QUEUE`: counts, settings, and per-worker in-flight and done. */
export async function statsHandler(queue: string, flags: QueueFlags): Promise<void> {
  const stats = await withClient(flags, (client) => client.queues.stats(queue))
  if (flags.json === true) {
    await writeOut(`${toJson({ queue, ...stats }, 2)}\n`)
    return
  }
  const { workers, settings, ...counts } = stats
  const lines = [formatStatus({ queue, ...counts, ...settings })]
  lines.push(`workers:${workers.length === 0 ? ' (none)' : ''}`)
  for (const worker of workers) {
    lines.push(`  - ${worker.worker} in-flight ${worker.inFlight} done ${worker.done}`)
  }
  await writeOut(`${lines.join('\n')}\n`)
}

export interface ConfigFlags extends QueueFlags {
  policy?: string
  maxAttempts?: string
  lease?: string
  backoff?: string
  maxBackoff?: string
}

/** `ringdht queue config QUEUE [--policy …]`: change the settings given, print them all. */
export async function configHandler(queue: string, flags: ConfigFlags): Promise<void> {
  const settings = {
    ...(flags.policy === undefined ? {} : { policy: policyOf(flags.policy) }),
    ...(flags.maxAttempts === undefined
      ? {}
      : { maxAttempts: positiveIntegerFlag('--max-attempts', flags.maxAttempts) }),
    ...(flags.lease === undefined ? {} : { leaseMs: parseDuration('--lease', flags.lease) }),
    ...(flags.backoff === undefined
      ? {}
      : { backoffMs: parseDuration('--backoff', flags.backoff, 0) }),
    ...(flags.maxBackoff === undefined
      ? {}
      : { maxBackoffMs: parseDuration('--max-backoff', flags.maxBackoff, 0) }),
  }
  const stats = await withClient(flags, (client) => client.queues.configure(queue, settings))
  await writeOut(
    flags.json === true
      ? `${toJson({ queue, ...stats.settings })}\n`
      : `${formatStatus({ queue, ...stats.settings })}\n`,
  )
}

/** `ringdht queue dead QUEUE`: the dead letters, oldest first, one line each. */
export async function deadHandler(
  queue: string,
  flags: QueueFlags & { limit?: string },
): Promise<void> {
  const limit = flags.limit === undefined ? 100 : positiveIntegerFlag('--limit', flags.limit)
  const letters = await withClient(flags, (client) => client.queues.deadLetters(queue, { limit }))
  const lines = letters.map((letter) => {
    const text = asUtf8(letter.payload)
    const payload = text ?? `base64:${toBase64(letter.payload)}`
    return flags.json === true
      ? toJson({ taskId: letter.taskId, attempts: letter.attempts, error: letter.error, payload })
      : `${letter.taskId}\t${letter.attempts}\t${letter.error}\t${payload}`
  })
  await writeOut(lines.length === 0 ? '' : `${lines.join('\n')}\n`)
}

/** `ringdht queue replay QUEUE [TASK...]`: offer dead letters again (all when none named). */
export async function replayHandler(
  queue: string,
  ids: string[],
  flags: QueueFlags,
): Promise<void> {
  const taskIds = ids.map((id) => positiveIntegerFlag('TASK', id))
  const replayed = await withClient(flags, (client) => client.queues.replay(queue, taskIds))
  await writeOut(flags.json === true ? `${toJson({ queue, replayed })}\n` : `${replayed}\n`)
}

function policyOf(text: string): DispatchPolicyName {
  if (text !== 'round-robin' && text !== 'least-loaded') {
    throw new UsageError(`--policy is round-robin or least-loaded, not ${JSON.stringify(text)}`)
  }
  return text
}
