import { type ClientConfig, type Resolved, resolveClientConfig } from './config.js'
import { CliError, isUserFacing } from './errors.js'
import { createClient, type RingClient } from './peer.js'
import { readSwarmKey } from './psk.js'

/** Flags every query command shares. */
export interface ClientFlags {
  peer?: string
  psk?: string
  timeout?: string
  config?: string
}

/**
 * Dials one member as a client (joins nothing), runs `task`, and always closes. The whole
 * task runs under a deadline so an unreachable or silent peer ends in a clear message
 * instead of a hang.
 */
export async function withClient<T>(
  flags: ClientFlags,
  task: (client: RingClient, config: Resolved<ClientConfig>) => Promise<T>,
  options: { taskDeadlineMs?: number } = {},
): Promise<T> {
  const config = resolveClientConfig({
    flags: { peer: flags.peer, psk: flags.psk, timeoutMs: flags.timeout, config: flags.config },
  })
  const psk = config.psk != null ? await readSwarmKey(config.psk) : undefined
  let client: RingClient | undefined
  try {
    client = await withDeadline(
      createClient({ peer: config.peer, psk, timeoutMs: config.timeoutMs }),
      config.timeoutMs + 2_000,
      `timed out after ${config.timeoutMs} ms connecting to ${config.peer}`,
    ).catch((err: unknown) => {
      throw explain(err, config.peer)
    })
    const deadlineMs = options.taskDeadlineMs ?? config.timeoutMs + 2_000
    return await withDeadline(
      task(client, config),
      deadlineMs,
      `timed out after ${deadlineMs} ms waiting for ${config.peer}`,
    ).catch((err: unknown) => {
      throw explain(err, config.peer)
    })
  } finally {
    await client?.close().catch(() => {})
  }
}

/** Rejects with a CliError when `work` takes longer than `ms`; Infinity means no deadline. */
async function withDeadline<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  if (!Number.isFinite(ms)) return work
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CliError(message, { code: 'ERR_TIMEOUT' })), ms)
  })
  try {
    return await Promise.race([work, deadline])
  } finally {
    clearTimeout(timer)
  }
}

const UNREACHABLE =
  /ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|dial|unreachable|no valid addresses|connection/i

/** Network failures become "cannot reach PEER: why"; request errors keep their own message. */
function explain(err: unknown, peer: string): unknown {
  if (err instanceof CliError || !isUserFacing(err)) return err
  const text = `${err.name} ${err.message} ${(err as { code?: string }).code ?? ''}`
  if (UNREACHABLE.test(text)) {
    return new CliError(`cannot reach ${peer}: ${err.message.split('\n')[0]}`, {
      code: 'ERR_UNREACHABLE',
      cause: err,
    })
  }
  return err
}
