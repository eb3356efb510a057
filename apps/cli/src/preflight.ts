import { mkdir, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { multiaddr } from '@multiformats/multiaddr'
import { ConfigError } from './errors.js'

/**
 * Checks that fail fast with a one-line reason, before libp2p would fail later with a
 * less direct one: the data folder is usable, the TCP ports are free.
 */
export async function checkDataDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true })
    const probe = join(dir, `.write-test-${process.pid}`)
    await writeFile(probe, '')
    await rm(probe)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    const reason =
      code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'ENOTDIR' || code === 'EEXIST'
          ? 'a file is in the way'
          : (err as Error).message
    throw new ConfigError(`data dir ${dir} is not usable: ${reason}`, err)
  }
}

export async function checkListenPorts(addrs: string[]): Promise<void> {
  for (const addr of addrs) {
    const parts = multiaddr(addr).getComponents()
    const host = parts[0]
    const tcp = parts.find((part) => part.name === 'tcp')
    if (host == null || tcp?.value == null || tcp.value === '0') continue
    if (host.name !== 'ip4' && host.name !== 'ip6') continue
    await new Promise<void>((resolve, reject) => {
      const server = createServer()
      server.once('error', (err: NodeJS.ErrnoException) => {
        const reason =
          err.code === 'EADDRINUSE'
            ? 'port in use'
            : err.code === 'EADDRNOTAVAIL'
              ? 'address not available on this host'
              : err.code === 'EACCES'
                ? 'permission denied'
                : err.message
        reject(new ConfigError(`cannot listen on ${addr}: ${reason}`, err))
      })
      server.listen({ host: host.value, port: Number(tcp.value), exclusive: true }, () =>
        server.close(() => resolve()),
      )
    })
  }
}
