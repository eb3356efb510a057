/**
 * Child process: one ringdht daemon peer, in memory, bootstrapping from the
 * member it is given. Reports its addresses when it has joined the ring.
 */
import { failChild, guardChildLifetime, serveCommands } from '../harness/child-runtime.js'
import { readMemberArgs } from '../harness/member-args.js'
import { loadRingdht, type RingdhtPeer, type RingdhtStatus, toRingHex } from './contract.js'

let peer: RingdhtPeer | undefined
const stop = async (): Promise<void> => {
  await peer?.stop()
}
guardChildLifetime(stop)

/** The status with ring positions as hex strings, so it prints and serializes plainly. */
function plainStatus(status: RingdhtStatus): Record<string, unknown> {
  return {
    peerId: String(status.peerId),
    ringId: toRingHex(status.ringId),
    keyCount: status.keyCount,
    storedCount: status.storedCount,
    range:
      status.range === undefined
        ? undefined
        : { start: toRingHex(status.range.start), end: toRingHex(status.range.end) },
    successors: status.successors?.length,
    fingers: status.fingers?.length,
  }
}

try {
  const ringdht = await loadRingdht()
  if (!ringdht.available) throw new Error(ringdht.reason)
  const { bootstrap } = readMemberArgs()
  const self = await ringdht.module.createPeer({
    listen: ['/ip4/127.0.0.1/tcp/0'],
    bootstrap: bootstrap === undefined ? [] : [bootstrap],
  })
  peer = self
  await self.ready
  serveCommands({
    info: {
      peerId: self.peerId.toString(),
      ringId: toRingHex(self.ringId),
      multiaddrs: self.getMultiaddrs().map((ma) => ma.toString()),
    },
    stop,
    commands: {
      status: async () => plainStatus(await self.status()),
      records: async () => {
        const status = await self.status()
        return status.storedCount ?? status.keyCount
      },
      rss: async () => process.memoryUsage().rss,
    },
  })
} catch (err) {
  failChild(err)
}
