/**
 * Child process: one ringdht daemon peer, in memory, bootstrapping from the
 * member it is given. Reports its addresses when it has joined the ring.
 */
import { createPeer, type PeerStatus, type RingPeer } from '@ringdht/peer'
import { ringIdToHex } from '@ringdht/ring'
import { failChild, guardChildLifetime, serveCommands } from '../harness/child-runtime.js'
import { readMemberArgs } from '../harness/member-args.js'

let peer: RingPeer | undefined
const stop = async (): Promise<void> => {
  await peer?.stop()
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
