import type { ClientFlags } from '../../client.js'
import { withClient } from '../../client.js'
import { toJson, writeOut } from '../../io.js'
import type { QueueHomeStatus } from '../../peer.js'

export interface StatusFlags extends ClientFlags {
  json?: boolean
}

export async function statusHandler(flags: StatusFlags): Promise<void> {
  const status = await withClient(flags, (client) => client.status())
  if (flags.json === true) {
    await writeOut(`${toJson(status, 2)}\n`)
    return
  }
  const { queues, ...rest } = status
  const lines = [formatStatus(rest)]
  if (queues !== undefined) lines.push(...formatQueues(queues))
  await writeOut(`${lines.join('\n')}\n`)
}

/** The queues a member is home of: one line each, then its workers indented below. */
export function formatQueues(queues: readonly QueueHomeStatus[]): string[] {
  const lines = [`queues:${queues.length === 0 ? ' (none served here)' : ''}`]
  for (const q of queues) {
    lines.push(
      `  - ${q.queue} (${q.policy}): ready ${q.ready}, leased ${q.leased}, delayed ${q.delayed}, dead ${q.dead}; enqueued ${q.enqueued}, acked ${q.acked}; workers connected ${q.connected}`,
    )
    for (const w of q.workers)
      lines.push(`      ${w.worker} in-flight ${w.inFlight} done ${w.done}`)
  }
  return lines
}

/** `name: value` lines; lists one item per line, nested objects as compact JSON. */
export function formatStatus(status: object): string {
  const plain = JSON.parse(toJson(status)) as Record<string, unknown>
  const width = Math.max(...Object.keys(plain).map((name) => name.length)) + 1
  const lines: string[] = []
  for (const [name, value] of Object.entries(plain)) {
    const label = `${name}:`.padEnd(width)
    if (Array.isArray(value)) {
      lines.push(`${label} ${value.length === 0 ? '(none)' : ''}`.trimEnd())
      for (const item of value)
        lines.push(`  - ${typeof item === 'string' ? item : JSON.stringify(item)}`)
    } else if (value != null && typeof value === 'object') {
      lines.push(`${label} ${JSON.stringify(value)}`)
    } else {
      lines.push(`${label} ${value ?? '-'}`)
    }
  }
  return lines.join('\n')
}
