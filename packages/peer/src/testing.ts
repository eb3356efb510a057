/**
 * @packageDocumentation
 *
 * `@ringdht/peer/testing`: a whole ring in one process, for the tests of apps that embed
 * ringdht (and for ours). Kept out of the main entry so production code does not pull it.
 */
import { fingerStart, RING_BITS, SortedRing } from '@ringdht/ring'
import { type CreatePeerInit, createPeer } from './create-peer.js'
import type { RingPeer } from './peer.js'

export interface TestRing {
  peers: RingPeer[]
  /** Add one more peer (bootstrapping from the first) and wait for convergence. */
  add(init?: CreatePeerInit): Promise<RingPeer>
  /**
   * Kill peer `index` as SIGKILL would: its transport and timers stop, its store is
   * dropped, nothing is handed off and no neighbour is told. It leaves `peers`.
   */
  crash(index: number): Promise<RingPeer>
  /** Wait until successors, predecessors (and fingers, unless `fingers: false`) match the ring order. */
  converged(options?: { timeoutMs?: number; fingers?: boolean }): Promise<void>
  stop(): Promise<void>
}

export interface TestRingInit extends CreatePeerInit {
  /** Give up waiting for convergence after this long. Default 30000. */
  convergeTimeoutMs?: number
  /** Peer i bootstraps from peer i-1 ('chain') or from peer 0 ('star'). Default 'chain'. */
  topology?: 'chain' | 'star'
  /**
   * Register the ring's teardown with your test runner, e.g. node:test's `after` or
   * `t.after`: it is called once, before the first peer starts, so the ring is stopped
   * even when starting it fails half-way. Default: none (call `stop()` yourself).
   */
  teardown?: (stop: () => Promise<void>) => void
  /**
   * What peer i adds to the shared init, e.g. its own listen address: listening on
   * /ip4/127.0.0.2, .3 and .4 puts a ring on three loopback "hosts" as replica placement
   * sees them (Linux routes all of 127.0.0.0/8 to lo). Default: nothing.
   */
  perPeer?: (index: number) => CreatePeerInit
}

const FAST_TIMERS = {
  stabilizeMs: 100,
  fixFingersMs: 200,
  checkPredecessorMs: 300,
  antiEntropyMs: 1000,
}

/**
 * Start `size` in-memory peers on 127.0.0.1 and wait until the ring has converged:
 * every successor, predecessor and finger is what the global ring order says. Timers
 * default to fast values (stabilize every 100 ms) and the id puzzle to difficulty 0. Hand your test runner's teardown in
 * (`teardown: after`) so the ring is always stopped; `stop()` is idempotent.
 *
 * @example
 * ```ts
 * import { after, it } from 'node:test'
 * import { createTestRing } from '@ringdht/peer/testing'
 *
 * it('reads what it wrote', async (t) => {
 *   const ring = await createTestRing(5, { teardown: (stop) => t.after(stop) })
 *   await ring.peers[0].put('k', 'v')
 *   await ring.peers[3].get('k')
 * })
 * ```
 */
export async function createTestRing(size: number, init: TestRingInit = {}): Promise<TestRing> {
  const {
    convergeTimeoutMs = 30_000,
    topology = 'chain',
    teardown,
    perPeer = () => ({}),
    ...peerInit
  } = init
  const base: CreatePeerInit = {
    // new identities in every test: the id puzzle would only slow them down
    idDifficulty: 0,
    ...peerInit,
    timers: { ...FAST_TIMERS, ...peerInit.timers },
  }
  const peers: RingPeer[] = []
  const ring: TestRing = {
    peers,
    async add(extra: CreatePeerInit = {}) {
      const bootstrap =
        peers[0] === undefined ? [] : [peers[0].getMultiaddrs()[0]?.toString() ?? '']
      const peer = await createPeer({ ...base, bootstrap, ...extra })
      peers.push(peer)
      await peer.ready
      await ring.converged({ timeoutMs: convergeTimeoutMs })
      return peer
    },
    async crash(index: number) {
      const [peer] = peers.splice(index, 1)
      if (peer === undefined) throw new RangeError(`no peer ${index}`)
      await peer.crash()
      return peer
    },
    async converged(options = {}) {
      await waitForConvergence(
        peers,
        options.timeoutMs ?? convergeTimeoutMs,
        options.fingers ?? true,
      )
    },
    async stop() {
      await Promise.allSettled(peers.map((p) => p.stop()))
    },
  }
  teardown?.(() => ring.stop())
  try {
    for (let i = 0; i < size; i++) {
      const from = topology === 'chain' ? peers[i - 1] : peers[0]
      const bootstrap = from === undefined ? [] : [String(from.getMultiaddrs()[0])]
      const peer = await createPeer({ ...base, bootstrap, ...perPeer(i) })
      peers.push(peer)
      await peer.ready
    }
    await ring.converged()
  } catch (err) {
    await ring.stop()
    throw err
  }
  return ring
}

/** Why `peers` have not converged yet, or undefined when they have. */
export function convergenceProblem(peers: readonly RingPeer[], fingers = true): string | undefined {
  const order = new SortedRing(peers.map((p) => p.ringId))
  for (const peer of peers) {
    const view = peer.routingSnapshot()
    const successor = peers.length === 1 ? undefined : order.nextAfter(peer.ringId)
    if (view.successors[0] !== successor) return `${peer.peerId}: successor not yet right`
    const predecessor = peers.length === 1 ? undefined : order.predecessor(peer.ringId)
    if (peers.length > 1 && view.predecessor !== predecessor)
      return `${peer.peerId}: predecessor not yet right`
    if (!fingers || peers.length === 1) continue
    for (let i = 0; i < RING_BITS; i++) {
      const expected = order.successor(fingerStart(peer.ringId, i))
      const actual = view.fingers[i]
      if (actual !== expected && !(expected === peer.ringId && actual === undefined)) {
        return `${peer.peerId}: finger ${i} not yet right`
      }
    }
  }
  return undefined
}

export async function waitForConvergence(
  peers: readonly RingPeer[],
  timeoutMs: number,
  fingers = true,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let problem = convergenceProblem(peers, fingers)
  while (problem !== undefined) {
    if (Date.now() > deadline)
      throw new Error(`ring did not converge within ${timeoutMs} ms: ${problem}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
    problem = convergenceProblem(peers, fingers)
  }
}
