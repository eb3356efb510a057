/**
 * A @libp2p/gossipsub node on the stack every system of the bench shares (TCP + Noise +
 * mplex on 127.0.0.1, src/stack.ts), with gossipsub's defaults: signed messages, mesh
 * degree 6, flood publishing, 1 s heartbeats; one change: 127.0.0.1 is exempt from the
 * IP-colocation penalty of peer scoring (P6), which graylists every peer once more than 10
 * share an address, as every peer on one host does (the bench's counterpart of
 * LOOPBACK_ALLOW; distinct machines have distinct addresses). @libp2p/gossipsub is
 * @chainsafe/libp2p-gossipsub as it moved into js-libp2p for libp2p 3 (the @chainsafe
 * package stops at 14.x, on libp2p 2's interfaces).
 */
import { type GossipSub, gossipsub } from '@libp2p/gossipsub'
import { identify } from '@libp2p/identify'
import { createLibp2p, type Libp2p } from 'libp2p'
import { benchStack } from '../stack.js'

export type GossipNode = Libp2p<{ pubsub: GossipSub; identify: unknown }>

export async function createGossipNode(): Promise<GossipNode> {
  return createLibp2p({
    ...benchStack(),
    services: {
      identify: identify(),
      pubsub: gossipsub({ scoreParams: { IPColocationFactorWhitelist: new Set(['127.0.0.1']) } }),
    },
  }) as Promise<GossipNode>
}
