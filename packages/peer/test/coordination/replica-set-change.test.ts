import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { checkHistory, formatHistory, type HistoryEntry } from '@ringdht/consensus'
import { ringIdOf, SortedRing } from '@ringdht/ring'
import type { RingPeer } from '../../src/index.js'
import { createTestRing, type TestRing } from '../../src/testing.js'
import { text, waitFor } from '../helpers.js'

const R = 3
const bytes = (s: string) => new TextEncoder().encode(s)
const hex = (value: Uint8Array | undefined) =>
  value === undefined ? undefined : Buffer.from(value).toString('hex')

describe('coordination keys while replica sets move (ring of 4 + 1, r = 3)', () => {
  let ring: TestRing

  before(async () => {
    ring = await createTestRing(4, { replicas: R })
  })
  after(async () => {
    await ring?.stop()
  })

  const ownerOf = (key: string): RingPeer => {
    const order = new SortedRing(ring.peers.map((p) => p.ringId))
    const id = order.successor(ringIdOf(bytes(key)))
    return ring.peers.find((p) => p.ringId === id) as RingPeer
  }

  it('carries the keys of a joiner’s range over to its replica set, and stays linearizable meanwhile', async () => {
    const keys = Array.from({ length: 40 }, (_, i) => `moving-${i}`)
    for (const key of keys) {
      assert.equal(
        (await (ring.peers[0] as RingPeer).cas(key, undefined, `v-${key}`)).succeeded,
        true,
      )
    }
    // a workload on a few keys runs through the join
    const hot = keys.slice(0, 4)
    const history: HistoryEntry[] = []
    const t0 = performance.now()
    const at = () => Math.round((performance.now() - t0) * 1000)
    let stop = false
    let id = 0
    const worker = async (peer: RingPeer, name: string) => {
      for (let n = 0; !stop; n++) {
        const key = hot[n % hot.length] as string
        let expected: Uint8Array | undefined
        try {
          expected = (await peer.read(key)).value
        } catch {
          continue
        }
        const next = `${name}-${n}`
        const invokedAt = at()
        const operation = { kind: 'cas', expected: hex(expected), next: hex(bytes(next)) } as const
        try {
          const result = await peer.cas(key, expected, next)
          history.push({
            id: id++,
            process: name,
            key,
            operation,
            invokedAt,
            completedAt: at(),
            status: 'ok',
            output: {
              state: { value: hex(result.value), version: result.version },
              succeeded: result.succeeded,
            },
          })
        } catch (err) {
          const code = (err as { code?: string }).code
          history.push({
            id: id++,
            process: name,
            key,
            operation,
            invokedAt,
            completedAt: at(),
            status: code === 'QUORUM_NOT_REACHED' ? 'fail' : 'indeterminate',
          })
        }
      }
    }
    // the initial values of the hot keys are part of the history (one writer, before all)
    for (const key of hot) {
      history.push({
        id: id++,
        process: 'setup',
        key,
        operation: { kind: 'cas', expected: undefined, next: hex(bytes(`v-${key}`)) },
        invokedAt: -2,
        completedAt: -1,
        status: 'ok',
        output: { state: { value: hex(bytes(`v-${key}`)), version: 1 }, succeeded: true },
      })
    }
    const running = ring.peers.slice(0, 2).map((p, i) => worker(p, `w${i}`))
    await waitFor(() => history.length >= 20, 'a first stretch of operations')
    const joiner = await ring.add({ replicas: R })
    await waitFor(() => history.length >= 60, 'operations after the join')
    stop = true
    await Promise.all(running)

    // every key the joiner now owns reached its acceptor without anyone writing it there
    const taken = keys.filter((key) => !hot.includes(key) && ownerOf(key) === joiner)
    await waitFor(
      () => taken.every((key) => text(joiner.acceptedState(key).value) === `v-${key}`),
      `the joiner's acceptor to hold its ${taken.length} keys`,
    )
    // and every key still reads what was written
    for (const key of keys.filter((k) => !hot.includes(k))) {
      assert.equal(text((await joiner.read(key)).value), `v-${key}`, key)
    }
    const verdict = checkHistory(history)
    assert.equal(verdict.verdict, 'linearizable', formatHistory(history))
    console.log(
      `# ${taken.length} keys carried over to the joiner; ${history.length} operations checked`,
    )
  })
})
