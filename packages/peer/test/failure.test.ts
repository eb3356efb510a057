import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { SortedRing } from '@ringdht/ring'
import type { RingPeer } from '../src/index.js'
import { createTestRing, type TestRing } from '../src/testing.js'
import { copyHistogram, inBatches, text, underReplicated, waitFor } from './helpers.js'

const N = 8
const R = 3
const KEYS = 5000

/** Put KEYS keys through random peers; every put must be acknowledged by ≥ W replicas. */
async function writeKeys(ring: TestRing, prefix: string): Promise<string[]> {
  const keys = Array.from({ length: KEYS }, (_, i) => `${prefix}-${i}`)
  await inBatches(KEYS, 250, async (i) => {
    const writer = ring.peers[Math.floor(Math.random() * ring.peers.length)] as RingPeer
    const result = await writer.put(keys[i] as string, `v-${keys[i]}`)
    assert.ok((result.replicas ?? 0) >= 2, `${keys[i]} acknowledged by ${result.replicas}`)
  })
  return keys
}

/** Every key reads back through every peer (reads of 25 keys × all peers at once). */
async function readAllThroughEveryPeer(peers: readonly RingPeer[], keys: readonly string[]) {
  let reads = 0
  await inBatches(keys.length, 25, async (i) => {
    const key = keys[i] as string
    await Promise.all(
      peers.map(async (peer, p) => {
        const found = await peer.get(key)
        assert.equal(text(found?.value), `v-${key}`, `${key} through surviving peer ${p}`)
        reads++
      }),
    )
  })
  assert.equal(reads, keys.length * peers.length)
  return reads
}

async function recover(ring: TestRing, keys: readonly string[], killedAt: number) {
  await ring.converged({ timeoutMs: 30_000, fingers: false })
  await waitFor(
    () => underReplicated(ring.peers, keys, R).length === 0,
    `every key on its ${R} replicas (${underReplicated(ring.peers, keys, R).slice(0, 3)})`,
    60_000,
  )
  const elapsed = Date.now() - killedAt
  console.log(
    `# ${keys.length} keys back to ${R} copies ${elapsed} ms after the kill; copies per key: ${JSON.stringify(copyHistogram(ring.peers, keys))}`,
  )
}

describe('abrupt failures, 8 peers, r = 3, W = 2', () => {
  let ring: TestRing | undefined

  after(async () => {
    await ring?.stop()
  })

  it('one peer killed: every acknowledged key stays readable everywhere and gets 3 copies again', async () => {
    ring = await createTestRing(N, { replicas: R, writeQuorum: 2, convergeTimeoutMs: 60_000 })
    const keys = await writeKeys(ring, 'one')
    const failures: string[] = []
    for (const p of ring.peers)
      p.addEventListener('peer:left', (e) => {
        if (e.detail.reason === 'failed') failures.push(e.detail.peer.peerId)
      })
    const killedAt = Date.now()
    const victim = await ring.crash(3)
    const reads = await readAllThroughEveryPeer(ring.peers, keys)
    console.log(`# ${reads} reads through the ${ring.peers.length} survivors right after the kill`)
    await recover(ring, keys, killedAt)
    assert.ok(failures.includes(victim.peerId.toString()), 'the failure was detected')
    let detected = 0
    for (const p of ring.peers) detected += (await p.status()).counters.failuresDetected ?? 0
    assert.ok(detected > 0, 'failuresDetected counted')
    await readAllThroughEveryPeer(ring.peers.slice(0, 2), keys)
    await ring.stop()
    ring = undefined
  })

  it('two adjacent peers killed at once: nothing is lost', async () => {
    // the first test's ring, when it failed before stopping it: left running, it kept the
    // process alive until the runner's timeout
    await ring?.stop()
    ring = await createTestRing(N, { replicas: R, writeQuorum: 2, convergeTimeoutMs: 60_000 })
    const keys = await writeKeys(ring, 'two')
    const order = new SortedRing(ring.peers.map((p) => p.ringId))
    const first = ring.peers[5] as RingPeer
    const second = ring.peers.find((p) => p.ringId === order.nextAfter(first.ringId)) as RingPeer
    const killedAt = Date.now()
    await Promise.all([
      ring.crash(ring.peers.indexOf(first)),
      ring.crash(ring.peers.indexOf(second)),
    ])
    assert.equal(ring.peers.length, N - 2)
    const reads = await readAllThroughEveryPeer(ring.peers, keys)
    console.log(`# ${reads} reads through the ${ring.peers.length} survivors after the double kill`)
    await recover(ring, keys, killedAt)
  })
})
