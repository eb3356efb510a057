import { createPeer, type RingPeer, type RingPeerInit } from '@ringdht/peer'

/** A ring of real peers on 127.0.0.1 in this process, built on the public `createPeer` only. */
export interface LocalRing {
  peers: RingPeer[]
  stop(): Promise<void>
}

const FAST_TIMERS = {
  stabilizeMs: 100,
  fixFingersMs: 200,
  checkPredecessorMs: 300,
  antiEntropyMs: 1000,
}

/**
 * Start `size` in-memory peers (the first starts the ring, the rest join through it) and
 * wait until every successor and predecessor is the one the ring order says.
 */
export async function startRing(
  size: number,
  init: RingPeerInit = {},
  timeoutMs = 30_000,
): Promise<LocalRing> {
  const peers: RingPeer[] = []
  const ring: LocalRing = {
    peers,
    async stop() {
      await Promise.allSettled(peers.map((peer) => peer.stop()))
    },
  }
  try {
    for (let index = 0; index < size; index++) {
      const first = peers[0]
      const peer = await createPeer({
        ...init,
        timers: { ...FAST_TIMERS, ...init.timers },
        bootstrap: first === undefined ? [] : [String(first.getMultiaddrs()[0])],
      })
      peers.push(peer)
      await peer.ready
    }
    const deadline = Date.now() + timeoutMs
    while (!(await converged(peers))) {
      if (Date.now() > deadline) throw new Error(`the ring of ${size} did not converge`)
      await new Promise((done) => setTimeout(done, 50))
    }
  } catch (err) {
    await ring.stop()
    throw err
  }
  return ring
}

async function converged(peers: RingPeer[]): Promise<boolean> {
  if (peers.length < 2) return true
  const statuses = await Promise.all(peers.map((peer) => peer.status()))
  const order = [...statuses].sort((a, b) => (a.ringId < b.ringId ? -1 : 1))
  return order.every((status, index) => {
    const next = order[(index + 1) % order.length]
    const previous = order[(index - 1 + order.length) % order.length]
    return (
      status.successors[0]?.peerId === next?.peerId &&
      status.predecessor?.peerId === previous?.peerId
    )
  })
}
