import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { ringIdOf } from '@ringdht/ring'
import { compareVersions, type StoredRecord } from '@ringdht/store'
import { createTestRing, type TestRing } from '../src/testing.js'
import { inBatches, replicaSetOf, text, waitFor } from './helpers.js'

const N = 5
const R = 3
const KEYS = 200
const encoder = new TextEncoder()

describe('concurrent writers and tombstones', () => {
  let ring: TestRing | undefined

  after(async () => {
    await ring?.stop()
  })

  it('replicas agree on the newest version; a delete is not undone by a stale replica; tombstones are collected', async () => {
    ring = await createTestRing(N, {
      replicas: R,
      tombstoneGraceMs: 15_000,
      convergeTimeoutMs: 60_000,
    })
    const peers = ring.peers
    const keys = Array.from({ length: KEYS }, (_, i) => `race-${i}`)
    // every key is written by 4 peers at once, 3 rounds
    for (let round = 0; round < 3; round++) {
      await inBatches(KEYS, 50, async (i) => {
        await Promise.all(
          [0, 1, 2, 3].map((w) =>
            peers[(i + w) % N]?.put(keys[i] as string, `r${round}-w${w}-${i}`),
          ),
        )
      })
    }
    // half the keys are deleted, from yet another peer
    const deleted = new Set(keys.filter((_, i) => i % 2 === 0))
    await Promise.all([...deleted].map((key, i) => peers[(i + 4) % N]?.delete(key)))

    const replicasAgree = (): string[] => {
      const problems: string[] = []
      for (const key of keys) {
        const copies = replicaSetOf(peers, key, R).map((p) => p.store.getSync(encoder.encode(key)))
        const first = copies[0]
        if (first === undefined || copies.some((c) => c === undefined)) {
          problems.push(`${key}: missing copy`)
          continue
        }
        if (copies.some((c) => compareVersions((c as StoredRecord).version, first.version) !== 0))
          problems.push(`${key}: versions differ`)
        else if (deleted.has(key) !== (first.value === undefined))
          problems.push(`${key}: deleted ${deleted.has(key)} but value ${text(first.value)}`)
      }
      return problems
    }
    await waitFor(() => replicasAgree().length === 0, `replicas to agree (${replicasAgree()[0]})`)
    // the agreed version is the newest any peer ever held: no replica holds a newer one
    for (const key of keys) {
      const agreed =
        peers[0]?.store && replicaSetOf(peers, key, R)[0]?.store.getSync(encoder.encode(key))
      assert.ok(agreed, key)
      for (const [p, peer] of peers.entries()) {
        const copy = peer.store.getSync(encoder.encode(key))
        if (copy !== undefined)
          assert.ok(
            compareVersions(copy.version, agreed.version) <= 0,
            `${key} on peer ${p} is newer than the agreed copy`,
          )
      }
    }

    // a stale replica: one holder of a deleted key loses its tombstone and gets the old value back
    const victimKey = [...deleted][0] as string
    const [owner, replica] = replicaSetOf(peers, victimKey, R)
    assert.ok(owner && replica)
    const tombstone = owner.store.getSync(encoder.encode(victimKey))
    assert.ok(tombstone && tombstone.value === undefined, 'the owner holds the tombstone')
    const position = ringIdOf(encoder.encode(victimKey))
    await replica.store.removeRange(position - 1n, position)
    await replica.store.apply({
      key: encoder.encode(victimKey),
      position,
      value: encoder.encode('stale'),
      version: { timestamp: tombstone.version.timestamp - 1n, writer: 1n },
    })
    assert.equal(text(replica.store.getSync(encoder.encode(victimKey))?.value), 'stale')
    await owner.repair()
    await waitFor(
      () => replica.store.getSync(encoder.encode(victimKey))?.value === undefined,
      'the stale replica to get the tombstone back',
    )
    for (const [p, peer] of peers.entries()) {
      for (const key of keys) {
        const found = await peer.get(key)
        if (deleted.has(key)) assert.equal(found, undefined, `${key} through peer ${p}`)
        else assert.ok(found, `${key} through peer ${p}`)
      }
    }

    // after the grace period, tombstones are collected everywhere
    await waitFor(
      () => peers.every((p) => p.store.stats().tombstones === 0),
      'tombstones collected',
      40_000,
    )
    let collected = 0
    for (const p of peers) collected += (await p.status()).counters.tombstonesCollected ?? 0
    assert.ok(collected >= deleted.size, `collected ${collected}`)
  })
})
