import { type ClientConfig, type Resolved, resolveClientConfig } from './config.js'
import { CliError, isUserFacing, UnreachableError, UsageError } from './errors.js'
import { createClient, type RingClient } from './peer.js'
import { isPrivateRing } from './private-ring.js'
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
    ).catch(async (err: unknown) => {
      throw await explainPrivate(explain(err, config.peer, config.psk), config.peer, config.psk)
    })
    const deadlineMs = options.taskDeadlineMs ?? config.timeoutMs + 2_000
    return await withDeadline(
      task(client, config),
      deadlineMs,
      `timed out after ${deadlineMs} ms waiting for ${config.peer}`,
    ).catch(async (err: unknown) => {
      throw await explainPrivate(explain(err, config.peer, config.psk), config.peer, config.psk)
    })
  } finally {
    await client?.close().catch(() => {})
  }
}

/** Rejects with an UnreachableError when `work` takes longer than `ms`; Infinity means no deadline. */
async function withDeadline<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  if (!Number.isFinite(ms)) return work
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new UnreachableError(message, { code: 'ERR_TIMEOUT' })), ms)
  })
  try {
    return await Promise.race([work, deadline])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * A peer that cannot be reached may be a private ring's member refusing us: ask it (see
 * `isPrivateRing`) and say so, rather than "timed out" or "connection reset".
 */
export async function explainPrivate(
  err: unknown,
  peer: string,
  pskFile?: string,
): Promise<unknown> {
  if (!(err instanceof UnreachableError)) return err
  const isPrivate = await isPrivateRing(peer)
  if (isPrivate === true && pskFile == null) {
    return new UnreachableError(
      `cannot reach ${peer}: the ring is private: pass its swarm key with --psk FILE (or RINGDHT_PSK)`,
      { code: 'ERR_PRIVATE_RING', cause: err },
    )
  }
  const opening = err.code === 'ERR_PRIVATE_RING' || /cannot open stream/.test(err.message)
  if (isPrivate === true && pskFile != null && opening) {
    return new UnreachableError(
      `cannot reach ${peer}: the ring is private with another swarm key than ${pskFile}`,
      { code: 'ERR_PRIVATE_RING', cause: err },
    )
  }
  if (isPrivate === false && pskFile != null && opening) {
    return new UnreachableError(
      `cannot reach ${peer}: it does not guard a private ring (it sent no pre-shared-key nonce), but --psk ${pskFile} was given: leave out --psk`,
      { code: 'ERR_PRIVATE_RING', cause: err },
    )
  }
  return err
}

const UNREACHABLE =
  /ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|dial|unreachable|no valid addresses|connection/i

/**
 * A private ring's members drop a connection that does not open with their swarm key,
 * mid-handshake: the dialler sees a reset or bytes that are not a protocol negotiation.
 */
const HANDSHAKE_BROKEN =
  /ECONNRESET|EPIPE|Message length|invalid (multistream|varint)|unexpected end|stream (reset|ended)|decrypt|ciphertext|handshake/i

const IDENTITY_MISMATCH = /identity key (\S+) does not match expected remote identity key (\S+)/

/**
 * Network failures become "cannot reach PEER: why" (exit 3), told in the user's terms: a
 * private ring, a wrong `/p2p/` id in --peer. Request errors keep their own message.
 */
export function explain(err: unknown, peer: string, pskFile?: string): unknown {
  if (err instanceof CliError || !isUserFacing(err)) return err
  const text = `${err.name} ${err.message} ${(err as { code?: string }).code ?? ''}`
  const mismatch = IDENTITY_MISMATCH.exec(text)
  if (mismatch != null) {
    return new UsageError(
      `--peer ${peer}: the peer at that address is ${mismatch[1]}, not ${mismatch[2]}; fix the /p2p/ id (or leave it out)`,
      err,
    )
  }
  // only while opening the first stream: a reset later is a peer that went away
  if (/cannot open stream/i.test(text) && HANDSHAKE_BROKEN.test(text)) {
    const why =
      pskFile == null
        ? 'the ring is private: pass its swarm key with --psk FILE (or RINGDHT_PSK)'
        : `the ring is private with another swarm key than ${pskFile}, or not private at all (then leave out --psk)`
    return new UnreachableError(
      `cannot reach ${peer}: the connection was closed during the handshake; ${why}`,
      { code: 'ERR_PRIVATE_RING', cause: err },
    )
  }
  if (UNREACHABLE.test(text)) {
    return new UnreachableError(`cannot reach ${peer}: ${err.message.split('\n')[0]}`, {
      cause: err,
    })
  }
  return err
}
