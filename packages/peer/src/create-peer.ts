import { createStore } from '@ringdht/store'
import { type RingPeerInit, resolveConfig } from './config.js'
import { loadOrCreateIdentity } from './identity.js'
import { createNode } from './libp2p-node.js'
import { RingPeer } from './peer.js'

export type { RingPeerInit }

/**
 * Start a ring member: open (or create) its identity and store, start libp2p, and join
 * the ring through `bootstrap` in the background; `await peer.ready` to know it joined.
 */
export async function createPeer(init: RingPeerInit = {}): Promise<RingPeer> {
  const config = resolveConfig(init)
  const privateKey = await loadOrCreateIdentity(config.dataDir)
  const store =
    init.store ??
    (await createStore(config.dataDir === undefined ? {} : { dataDir: config.dataDir }))
  let libp2p: Awaited<ReturnType<typeof createNode>>
  try {
    libp2p = await createNode({
      privateKey,
      listen: config.listen,
      announce: config.announce,
      psk: config.psk,
      muxer: config.muxer,
      maxStreamBufferBytes: config.limits.maxFrameBytes,
    })
  } catch (err) {
    await store.close()
    throw err
  }
  const peer = new RingPeer({ libp2p, store }, config)
  try {
    await peer.start()
  } catch (err) {
    await peer.stop()
    throw err
  }
  return peer
}
