import type { ClientFlags } from '../../client.js'
import { withClient } from '../../client.js'
import { CliError, ExitCode } from '../../errors.js'
import { textBytes, toJson, writeOut } from '../../io.js'
import type { RingClient } from '../../peer.js'
import { positiveIntegerFlag, runWhileHeld } from '../hold.js'

export interface ElectFlags extends ClientFlags {
  id?: string
  ttl?: string
  observe?: boolean
  json?: boolean
}

/** The leader's lease of `ringdht elect` when --ttl is not given, ms. */
export const DEFAULT_LEADER_TTL_MS = 5_000

/**
 * `ringdht elect NAME [-- CMD...]`: campaign until leading, print the term, then lead
 * while CMD runs (RINGDHT_LEADER_TERM in its environment) or, without CMD, until SIGINT
 * or SIGTERM, and resign. Losing the lease exits 4. `--observe` prints each leader
 * change instead, until interrupted.
 */
export async function electHandler(
  name: string,
  command: string[],
  flags: ElectFlags,
): Promise<void> {
  const ttlMs =
    flags.ttl === undefined ? DEFAULT_LEADER_TTL_MS : positiveIntegerFlag('--ttl', flags.ttl)
  const stop = new AbortController()
  const onSignal = () => stop.abort()
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    const code = await withClient(
      flags,
      (client) =>
        flags.observe === true
          ? observe(client, name, flags, stop.signal)
          : lead(client, name, command, flags, ttlMs, stop.signal),
      { taskDeadlineMs: Number.POSITIVE_INFINITY },
    )
    process.exitCode = code
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}

async function observe(
  client: RingClient,
  name: string,
  flags: ElectFlags,
  signal: AbortSignal,
): Promise<number> {
  for await (const change of client.observe(textBytes(name), { signal })) {
    const line =
      flags.json === true
        ? toJson({ election: name, leader: change.leader ?? null, term: change.term })
        : `${change.leader ?? '-'} ${change.term}`
    await writeOut(`${line}\n`)
  }
  return ExitCode.OK
}

async function lead(
  client: RingClient,
  name: string,
  command: string[],
  flags: ElectFlags,
  ttlMs: number,
  signal: AbortSignal,
): Promise<number> {
  const leadership = await client.campaign(textBytes(name), {
    ttlMs,
    signal,
    ...(flags.id === undefined ? {} : { id: flags.id }),
  })
  try {
    const line =
      flags.json === true
        ? toJson({ election: name, leader: leadership.id, term: leadership.term })
        : `leading ${name} as ${leadership.id}, term ${leadership.term}`
    await writeOut(`${line}\n`)
    if (command.length > 0) {
      return await runWhileHeld(
        command,
        { RINGDHT_LEADER_ID: leadership.id, RINGDHT_LEADER_TERM: String(leadership.term) },
        leadership,
        `the leadership of ${name}`,
      )
    }
    // lead until interrupted (resign) or until the lease is lost
    const lost = await new Promise<Error | undefined>((resolve) => {
      if (signal.aborted) resolve(undefined)
      signal.addEventListener('abort', () => resolve(undefined), { once: true })
      leadership.onLost(resolve)
    })
    if (lost !== undefined) {
      throw new CliError(`lost the leadership of ${name}: ${lost.message}`, {
        code: 'ERR_LOST',
        exitCode: ExitCode.FAILED,
      })
    }
    return ExitCode.OK
  } finally {
    await leadership.resign().catch(() => {})
  }
}
