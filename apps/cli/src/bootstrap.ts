import { lookup } from 'node:dns/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { multiaddr } from '@multiformats/multiaddr'
import type { Logger } from 'pino'
import { UnreachableError } from './errors.js'
import { createClient } from './peer.js'
import { privateRingMismatch } from './private-ring.js'

/**
 * Turns a bootstrap address an operator can write before the ring exists
 * (`/dns4/seed/tcp/4001`: a name and a port, no peer id) into one the peer can dial
 * (`/ip4/10.0.0.2/tcp/4001/p2p/12D3KooW...`). The name is resolved here and the peer id is
 * learnt by asking the member for its status, both retried until `deadline`, because in
 * docker compose and in a fresh cluster the seed may still be starting.
 */
export async function resolveBootstrapAddr(
  addr: string,
  options: {
    psk?: Uint8Array
    /** The swarm key's file, for messages. */
    pskFile?: string
    deadline: number
    logger: Logger
    signal?: AbortSignal
  },
): Promise<string> {
  let delay = 250
  for (let attempt = 1; ; attempt++) {
    try {
      return await resolveOnce(addr, options.psk)
    } catch (err) {
      if (Date.now() + delay > options.deadline || options.signal?.aborted === true) {
        const mismatch = await privateRingMismatch([addr], options.pskFile)
        throw new UnreachableError(
          mismatch ??
            `cannot reach bootstrap peer ${addr}: ${(err as Error).message.split('\n')[0]}`,
          { cause: err },
        )
      }
      options.logger.info(
        { addr, attempt, reason: (err as Error).message },
        'bootstrap peer not reachable yet; retrying',
      )
      await sleep(delay, undefined, { signal: options.signal })
      delay = Math.min(delay * 2, 4_000)
    }
  }
}

/**
 * Resolves every bootstrap address at once and keeps those that answer: a node restarting
 * while one of them (the seed) is down still joins through another. Once one has answered,
 * the others get `graceMs` more; start fails only when none answers before `deadline`.
 */
export async function resolveBootstrapAddrs(
  addrs: readonly string[],
  options: {
    psk?: Uint8Array
    pskFile?: string
    deadline: number
    logger: Logger
    signal?: AbortSignal
    graceMs?: number
  },
): Promise<string[]> {
  if (addrs.length <= 1) {
    return Promise.all(addrs.map((addr) => resolveBootstrapAddr(addr, options)))
  }
  const giveUp = new AbortController()
  const onAbort = () => giveUp.abort()
  options.signal?.addEventListener('abort', onAbort, { once: true })
  let grace: NodeJS.Timeout | undefined
  try {
    const results = await Promise.allSettled(
      addrs.map(async (addr) => {
        const resolved = await resolveBootstrapAddr(addr, { ...options, signal: giveUp.signal })
        grace ??= setTimeout(() => giveUp.abort(), options.graceMs ?? 3_000)
        return resolved
      }),
    )
    options.signal?.throwIfAborted()
    const resolved: string[] = []
    for (const [index, result] of results.entries()) {
      if (result.status === 'fulfilled') resolved.push(result.value)
      else if (grace !== undefined)
        options.logger.warn(
          { addr: addrs[index] },
          'bootstrap peer not reachable; joining without it',
        )
    }
    if (resolved.length === 0) throw (results[0] as PromiseRejectedResult).reason
    return resolved
  } finally {
    clearTimeout(grace)
    options.signal?.removeEventListener('abort', onAbort)
  }
}

async function resolveOnce(addr: string, psk: Uint8Array | undefined): Promise<string> {
  const components = multiaddr(addr).getComponents()
  const head = components[0]
  let resolved = addr
  if (
    head != null &&
    (head.name === 'dns4' || head.name === 'dns6' || head.name === 'dns') &&
    head.value != null
  ) {
    const family = head.name === 'dns6' ? 6 : 4
    const { address } = await lookup(head.value, { family })
    resolved = `/ip${family}/${address}${addr.slice(`/${head.name}/${head.value}`.length)}`
  }
  if (components.some((component) => component.name === 'p2p')) return resolved
  const client = await createClient({ peer: resolved, psk, timeoutMs: 5_000 })
  try {
    const status = await client.status()
    const peerId = status.peerId
    return `${resolved}/p2p/${peerId}`
  } finally {
    await client.close().catch(() => {})
  }
}
