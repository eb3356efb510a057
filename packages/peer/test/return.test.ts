import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import type { RingPeer } from '../src/index.js'
import { createTestRing, type TestRing } from '../src/testing.js'
import { inBatches, replicaSetOf, tempDir, text, underReplicated, waitFor } from './helpers.js'

const R = 3
const KEYS = 600
const encoder = new TextEncoder()

describe('a peer that was down while keys changed', () => {
  let ring: TestRing | undefined
  let dir: Awaited<ReturnType<typeof tempDir>> | undefined

  after(async () => {
    await ring?.stop()
    await dir?.remove()
  })

  it('comes back with the same dataDir and converges', async () => {
    dir = await tempDir()
    ring = await createTestRing(4, { replicas: R, convergeTimeoutMs: 60_000 })
    const returning = await ring.add({ dataDir: dir.path })
    const expected = new Map<string, string | undefined>()
    const keys = Array.from({ length: KEYS }, (_, i) => `back-${i}`)
    await inBatches(KEYS, 200, async (i) => {
      await ring?.peers[i % 5]?.put(keys[i] as string, `old-${i}`)
      expected.set(keys[i] as string, `old-${i}`)
    })
    await waitFor(() => underReplicated(ring?.peers ?? [], keys, R).length === 0, 'replication')
    const heldBefore = keys.filter(
      (key) => returning.store.getSync(encoder.encode(key)) !== undefined,
    ).length
    assert.ok(heldBefore > 0, 'the returning peer held keys (test would be vacuous)')

    const index = ring.peers.indexOf(returning)
    await ring.crash(index)
    await ring.converged({ timeoutMs: 30_000, fingers: false })
    // while it is down: updates, deletes and new keys
    const survivors = ring.peers
    await inBatches(KEYS, 200, async (i) => {
      const key = keys[i] as string
      const writer = survivors[i % survivors.length] as RingPeer
      if (i % 3 === 0) {
        await writer.put(key, `new-${i}`)
        expected.set(key, `new-${i}`)
      } else if (i % 3 === 1 && i % 2 === 0) {
        await writer.delete(key)
        expected.set(key, undefined)
      }
    })
    const added = Array.from({ length: 100 }, (_, i) => `added-${i}`)
    for (const [i, key] of added.entries()) {
      await survivors[i % survivors.length]?.put(key, `fresh-${i}`)
      expected.set(key, `fresh-${i}`)
    }

    const back = await ring.add({ dataDir: dir.path })
    assert.equal(back.peerId.toString(), returning.peerId.toString())
    const all = [...expected.keys()]
    const stale = (): string[] => {
      const problems: string[] = []
      for (const key of all) {
        for (const holder of replicaSetOf(ring?.peers ?? [], key, R)) {
          const record = holder.store.getSync(encoder.encode(key))
          const want = expected.get(key)
          if (record === undefined || text(record.value) !== want) {
            problems.push(
              `${key} on ${holder === back ? 'the returned peer' : holder.peerId}: ${text(record?.value)} (want ${want})`,
            )
            break
          }
        }
      }
      return problems
    }
    await waitFor(() => stale().length === 0, `convergence (${stale()[0]})`, 30_000)
    let checked = 0
    for (const key of all) {
      if (!replicaSetOf(ring.peers, key, R).includes(back)) continue
      assert.equal(text(back.store.getSync(encoder.encode(key))?.value), expected.get(key), key)
      checked++
    }
    assert.ok(checked > 0, 'the returned peer replicates some keys')
    for (const key of all) {
      const found = await back.get(key)
      assert.equal(text(found?.value), expected.get(key), `${key} through the returned peer`)
    }
  })
})
