import { createStore, createTable } from '@ringdht/store'
import type { Libp2pOptions } from 'libp2p'
import { type RingPeerInit, resolveConfig } from './config.js'
import type { CapabilityFactory } from './core/capability.js'
import { identityExists, loadOrCreateIdentity } from './core/identity.js'
import { createNode } from './core/libp2p-node.js'
import { RingPeer } from './peer.js'

/** What `createPeer` takes: the member's options, and the capabilities to run on it. */
export interface CreatePeerInit extends RingPeerInit {
  /**
   * Capabilities to run beside the key/value store, in this order, each built from what
   * the ring core offers (`CapabilityContext`). Default: none.
   */
  capabilities?: readonly CapabilityFactory[]
  /** libp2p's metrics for the node, e.g. `prometheusMetrics()` from @libp2p/prometheus-metrics. Default: none. */
  metrics?: Libp2pOptions['metrics']
}

/**
 * Start a ring member: open (or create) its identity and store, start libp2p, build the
 * ring core with the key/value store and `init.capabilities` on it, and join the ring
 * through `bootstrap` in the background; `await peer.ready` to know it joined. This is
 * the composition root: everything a member is made of is put together here and in the
 * RingPeer constructor, in the order it is stopped in reverse.
 */
export async function createPeer(init: CreatePeerInit = {}): Promise<RingPeer> {
  const config = resolveConfig(init)
  const identityIsNew = !(await identityExists(config.dataDir))
  const privateKey = await loadOrCreateIdentity(config.dataDir, config.idDifficulty, config.logger)
  const store =
    init.store ??
    (await createStore(
      config.dataDir === undefined
        ? {}
        : { dataDir: config.dataDir, durability: config.durability },
    ))
  let coordinationTable: Awaited<ReturnType<typeof createTable>>
  try {
    // the coordination acceptor's promises, in a keyspace (and an LMDB environment) of their own
    coordinationTable = await createTable({
      dataDir: config.dataDir,
      name: 'coordination',
      durability: config.durability,
    })
  } catch (err) {
    await store.close()
    throw err
  }
  let homesTable: Awaited<ReturnType<typeof createTable>>
  try {
    // replicas of home logs (topics, queues), in an LMDB environment of their own
    homesTable = await createTable({
      dataDir: config.dataDir,
      name: 'homes',
      durability: config.durability,
    })
  } catch (err) {
    await store.close()
    await coordinationTable.close()
    throw err
  }
  let libp2p: Awaited<ReturnType<typeof createNode>>
  try {
    libp2p = await createNode({
      privateKey,
      listen: config.listen,
      announce: config.announce,
      psk: config.psk,
      muxer: config.muxer,
      maxStreamBufferBytes: config.limits.maxFrameBytes,
      connectionLimits: config.limits,
      ...(init.metrics === undefined ? {} : { metrics: init.metrics }),
    })
  } catch (err) {
    await store.close()
    await coordinationTable.close()
    await homesTable.close()
    throw err
  }
  let peer: RingPeer
  try {
    peer = new RingPeer(
      {
        libp2p,
        store,
        coordinationTable,
        homesTable,
        identityIsNew,
        capabilities: init.capabilities ?? [],
      },
      config,
    )
  } catch (err) {
    // a capability refused to register: nothing has started but the node and the store
    await libp2p.stop()
    await store.close()
    await coordinationTable.close()
    await homesTable.close()
    throw err
  }
  try {
    await peer.start()
  } catch (err) {
    await peer.stop()
    throw err
  }
  return peer
}
