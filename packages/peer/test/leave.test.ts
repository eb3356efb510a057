import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import type { RingPeer } from '../src/index.js'
import { createTestRing, type TestRing } from '../src/testing.js'
import { copyHistogram, inBatches, text, underReplicated, waitFor } from './helpers.js'

const N = 8
const R = 3
const KEYS = 1500

describe('graceful leave', () => {
  let ring: TestRing | undefined

  after(async () => {
    await ring?.stop()
  })

  it('a peer leaving under a read load: no read fails, its neighbours know at once, keys keep 3 copies', async () => {
    ring = await createTestRing(N, { replicas: R, convergeTimeoutMs: 60_000 })
    const keys = Array.from({ length: KEYS }, (_, i) => `leave-${i}`)
    await inBatches(KEYS, 250, async (i) => {
      await ring?.peers[i % N]?.put(keys[i] as string, `v${i}`)
    })
    await waitFor(
      () => underReplicated(ring?.peers ?? [], keys, R).length === 0,
      'full replication',
    )

    const leaving = ring.peers[4] as RingPeer
    const readers = ring.peers.filter((p) => p !== leaving)
    const handedOff: number[] = []
    leaving.addEventListener('keys:handed-off', (e) => handedOff.push(e.detail.count))
    const leftNotices: string[] = []
    for (const p of readers)
      p.addEventListener('peer:left', (e) => {
        if (e.detail.reason === 'left') leftNotices.push(e.detail.peer.peerId)
      })

    let stopLoad = false
    let reads = 0
    const failures: string[] = []
    const load = Promise.all(
      readers.map(async (reader, r) => {
        let n = r * 97
        while (!stopLoad) {
          const i = n++ % KEYS
          try {
            const found = await reader.get(keys[i] as string)
            if (text(found?.value) !== `v${i}`)
              failures.push(`${keys[i]} read ${text(found?.value)}`)
          } catch (err) {
            failures.push(`${keys[i]} through reader ${r}: ${(err as Error).message}`)
          }
          reads++
        }
      }),
    )
    await waitFor(() => reads > 300, 'the read load to start')
    const readsBefore = reads
    const started = Date.now()
    await leaving.stop()
    const leaveMs = Date.now() - started
    ring.peers.splice(ring.peers.indexOf(leaving), 1)
    assert.ok(leftNotices.length >= 2, `predecessor and successor told (${leftNotices.length})`)
    await ring.converged({ timeoutMs: 30_000, fingers: false })
    await waitFor(
      () => underReplicated(ring?.peers ?? [], keys, R).length === 0,
      'every key on its 3 replicas after the leave',
    )
    const readsAtConvergence = reads
    await waitFor(() => reads >= readsAtConvergence + 300, 'more reads after the leave')
    stopLoad = true
    await load
    assert.deepEqual(failures, [])
    assert.ok(reads - readsBefore > 300, `only ${reads - readsBefore} reads during the leave`)
    const moved = handedOff.reduce((a, b) => a + b, 0)
    assert.ok(handedOff.length > 0, 'keys:handed-off emitted')
    console.log(
      `# leave took ${leaveMs} ms, handed off ${moved} records (K/N = ${Math.round(KEYS / N)}, r·K/N = ${Math.round((R * KEYS) / N)}); ${reads - readsBefore} reads, none failed; copies: ${JSON.stringify(copyHistogram(ring.peers, keys))}`,
    )
  })
})
