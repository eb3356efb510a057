/**
 * Child process: one ringdht daemon peer, bootstrapping from the member it is given.
 * Reports its addresses when it has joined the ring. In memory, unless
 * RINGDHT_BENCH_DURABILITY is 'sync' or 'none': then on disk (LMDB in a temporary
 * folder, removed on stop), acknowledging writes after their flush or before it.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createPeer, type PeerStatus, type RingPeer } from '@ringdht/peer'
import { ringIdToHex } from '@ringdht/ring'
import { failChild, guardChildLifetime, serveCommands } from '../harness/child-runtime.js'
import { readMemberArgs } from '../harness/member-args.js'

const durability = process.env.RINGDHT_BENCH_DURABILITY
const onDisk = durability === 'sync' || durability === 'none'
const dataDir = onDisk ? mkdtempSync(join(tmpdir(), 'ringdht-bench-member-')) : undefined

let peer: RingPeer | undefined
const stop = async (): Promise<void> => {
  await peer?.stop()
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true })
}
guardChildLifetime(stop)

/** The status with ring positions as hex strings, so it prints and serializes plainly. */
function plainStatus(status: PeerStatus): Record<string, unknown> {
  return {
    peerId: status.peerId,
    ringId: status.ringId,
    keyCount: status.keyCount,
    storedCount: status.storedCount,
    range: status.range,
    successors: status.successors.length,
    fingers: status.fingers.length,
  }
}

try {
  const { bootstrap } = readMemberArgs()
  const self = await createPeer({
    listen: ['/ip4/127.0.0.1/tcp/0'],
    bootstrap: bootstrap === undefined ? [] : [bootstrap],
    // every member and every load client is on 127.0.0.1: one host, far more connections
    // a second than the per-host default lets in
    limits: { maxInboundConnectionsPerHostPerSecond: 10_000 },
    ...(onDisk ? { dataDir, durability } : {}),
  })
  peer = self
  await self.ready
  serveCommands({
    info: {
      peerId: self.peerId.toString(),
      ringId: ringIdToHex(self.ringId),
      multiaddrs: self.getMultiaddrs().map((ma) => ma.toString()),
    },
    stop,
    commands: {
      status: async () => plainStatus(await self.status()),
      records: async () => {
        const status = await self.status()
        return status.storedCount
      },
      rss: async () => process.memoryUsage().rss,
    },
  })
} catch (err) {
  failChild(err)
}
