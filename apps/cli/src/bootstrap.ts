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
