import { connect } from 'node:net'
import { multiaddr } from '@multiformats/multiaddr'

/**
 * Whether the member at `addr` guards a private ring. A libp2p listener with a pre-shared
 * key (pnet) sends its 24-byte nonce as soon as a TCP connection opens; a listener without
 * one waits for the dialler to speak first. So: connect, say nothing, and see whether
 * bytes arrive within `waitMs`. Undefined when the address is not TCP or cannot be reached.
 */
export async function isPrivateRing(addr: string, waitMs = 1_000): Promise<boolean | undefined> {
  let host: string | undefined
  let port: number | undefined
  try {
    for (const part of multiaddr(addr).getComponents()) {
      if (['ip4', 'ip6', 'dns', 'dns4', 'dns6'].includes(part.name)) host ??= part.value
      if (part.name === 'tcp') port = Number(part.value)
    }
  } catch {
    return undefined
  }
  if (host == null || port == null || !Number.isSafeInteger(port)) return undefined
  return new Promise((resolve) => {
    const socket = connect({ host, port })
    const done = (answer: boolean | undefined) => {
      clearTimeout(timer)
      socket.destroy()
      resolve(answer)
    }
    const timer = setTimeout(() => done(false), waitMs)
    socket.once('data', () => done(true))
    socket.once('error', () => done(undefined))
    socket.once('close', () => done(undefined))
  })
}

/**
 * Why joining through `addrs` failed, when the private-ring probe can tell for certain: a
 * private ring and no --psk, or --psk and a ring that is not private. Undefined otherwise.
 */
export async function privateRingMismatch(
  addrs: readonly string[],
  pskFile: string | undefined,
): Promise<string | undefined> {
  for (const addr of addrs) {
    const isPrivate = await isPrivateRing(addr)
    if (isPrivate === true && pskFile == null) {
      return `cannot join through ${addr}: the ring is private: start with its swarm key, --psk FILE (or RINGDHT_PSK)`
    }
    if (isPrivate === false && pskFile != null) {
      return `cannot join through ${addr}: it does not guard a private ring (it sent no pre-shared-key nonce), but --psk ${pskFile} was given: leave out --psk`
    }
  }
  return undefined
}
