/**
 * Replication figures on a ring of in-process peers on 127.0.0.1 (r = 3, W = 2):
 * put latency p50/p99, time from a kill to full re-replication, and records moved by a
 * join, a graceful leave and a failure, relative to K/N and r·K/N.
 *
 *   node_modules/.bin/tsc -b packages/peer && \
 *     node_modules/.bin/node packages/peer/dist/scripts/measure-replication.js [peers=8] [keys=5000] [puts=2000]
 *
 * Timers are the test ring's fast ones (stabilize 100 ms, check_predecessor 300 ms,
 * anti-entropy 1000 ms, failureThreshold 2). "Fully replicated" means every key is held
 * by each of the r peers of its replica set (owner + r-1 successors), checked in the
 * stores every 200 ms. "Moved" counts records sent between peers: join hand-over pulls,
 * hand-off on leave and anti-entropy pushes and pulls, summed over all peers.
 */
import { ringIdOf, SortedRing } from '@ringdht/ring'
import { createPeer, type RingPeer } from '../src/index.js'
import { createTestRing } from '../src/testing.js'

const [peerCount = 8, keyCount = 5000, putCount = 2000] = process.argv.slice(2).map(Number)
const R = 3
const encoder = new TextEncoder()

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN
}

const positions = new Map<Uint8Array, bigint>()

function underReplicated(peers: readonly RingPeer[], keys: readonly Uint8Array[]): number {
  const order = new SortedRing(peers.map((p) => p.ringId))
  const byId = new Map(peers.map((p) => [p.ringId, p]))
  let missing = 0
  for (const key of keys) {
    let position = positions.get(key)
    if (position === undefined) {
      position = ringIdOf(key)
      positions.set(key, position)
    }
    for (const id of order.successors(position, R)) {
      if (byId.get(id)?.store.getSync(key)?.value === undefined) {
        missing++
        break
      }
    }
  }
  return missing
}

async function moved(peers: readonly RingPeer[]): Promise<number> {
  let total = 0
  for (const p of peers) {
    const c = (await p.status()).counters
    total +=
      (c.keysReceived ?? 0) + (c.keysHandedOff ?? 0) + (c.repairPushed ?? 0) + (c.repairPulled ?? 0)
  }
  return total
}

async function untilReplicated(peers: readonly RingPeer[], keys: readonly Uint8Array[]) {
  const started = Date.now()
  for (;;) {
    if (underReplicated(peers, keys) === 0) return Date.now() - started
    if (Date.now() - started > 300_000) throw new Error('not re-replicated within 300 s')
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

const ring = await createTestRing(peerCount, {
  replicas: R,
  writeQuorum: 2,
  convergeTimeoutMs: 120_000,
})
const extra: RingPeer[] = []
try {
  const keys = Array.from({ length: keyCount }, (_, i) => encoder.encode(`key-${i}`))
  // put latency: sequential puts through random peers, after a warm-up
  const latencies: number[] = []
  for (let i = 0; i < Math.min(putCount, keyCount) + 200; i++) {
    const peer = ring.peers[Math.floor(Math.random() * peerCount)] as RingPeer
    const started = process.hrtime.bigint()
    await peer.put(keys[i % keyCount] as Uint8Array, `value-${i}`)
    if (i >= 200) latencies.push(Number(process.hrtime.bigint() - started) / 1e3)
  }
  latencies.sort((a, b) => a - b)
  // bulk-load the rest
  for (let start = 0; start < keyCount; start += 250) {
    await Promise.all(
      keys
        .slice(start, start + 250)
        .map((key, j) => ring.peers[(start + j) % peerCount]?.put(key, `value-${start + j}`)),
    )
  }
  await untilReplicated(ring.peers, keys)

  // a graceful leave (events run on a clean ring: leftover copies of one would hide
  // the moves of the next, as nothing drops records outside a peer's replica ranges yet)
  const leaving = ring.peers[1] as RingPeer
  let before = await moved(ring.peers)
  let handedOff = 0
  leaving.addEventListener('keys:handed-off', (e) => {
    handedOff += e.detail.count
  })
  const leaverHeld = (await leaving.status()).storedCount
  let started = Date.now()
  await leaving.stop()
  const stopMs = Date.now() - started
  ring.peers.splice(1, 1)
  const leaveMs = await untilReplicated(ring.peers, keys)
  // the leaver's hand-off plus whatever anti-entropy still moved afterwards
  const leaveMoved = handedOff + (await moved(ring.peers)) - before

  // a kill
  before = await moved(ring.peers)
  const victim = ring.peers[Math.floor(ring.peers.length / 2)] as RingPeer
  const victimHeld = (await victim.status()).storedCount
  await ring.crash(ring.peers.indexOf(victim))
  const recoveryMs = await untilReplicated(ring.peers, keys)
  const killMoved = (await moved(ring.peers)) - before

  // a join
  before = await moved(ring.peers)
  started = Date.now()
  const joiner = await createPeer({
    bootstrap: [String(ring.peers[0]?.getMultiaddrs()[0])],
    replicas: R,
    timers: { stabilizeMs: 100, fixFingersMs: 200, checkPredecessorMs: 300, antiEntropyMs: 1000 },
  })
  extra.push(joiner)
  await joiner.ready
  const members = [...ring.peers, joiner]
  const joinMs = await untilReplicated(members, keys)
  const joinMoved = (await moved(members)) - before
  const joinerHolds = (await joiner.status()).storedCount

  // held: records the peer that left / died held (or the joiner holds after): each needs
  // exactly one copy moved, the ideal for a replica set
  const ratio = (n: number, n0: number, held: number) => ({
    held,
    perHeld: Number((n / held).toFixed(2)),
    records: n,
    perKN: Number((n / (keyCount / n0)).toFixed(2)),
    perRKN: Number((n / ((R * keyCount) / n0)).toFixed(2)),
  })
  console.log(
    JSON.stringify(
      {
        peers: peerCount,
        keys: keyCount,
        replicas: R,
        writeQuorum: 2,
        putLatency: {
          puts: latencies.length,
          p50Micros: Math.round(percentile(latencies, 50)),
          p99Micros: Math.round(percentile(latencies, 99)),
        },
        killToFullReplicationMs: recoveryMs,
        movedOnKill: ratio(killMoved, peerCount - 1, victimHeld),
        movedOnJoin: { ...ratio(joinMoved, peerCount - 2, joinerHolds), untilReplicatedMs: joinMs },
        movedOnLeave: {
          ...ratio(leaveMoved, peerCount, leaverHeld),
          untilReplicatedMs: leaveMs,
          stopMs,
        },
      },
      null,
      2,
    ),
  )
} finally {
  await Promise.allSettled(extra.map((p) => p.stop()))
  await ring.stop()
}
