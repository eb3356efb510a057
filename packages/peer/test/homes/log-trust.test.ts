import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { ErrorCode, MessageType } from '@ringdht/protocol'
import { SortedRing } from '@ringdht/ring'
import { logKey, logPosition } from '../../src/homes/log-keys.js'
import { logOpOf } from '../../src/homes/log-wire.js'
import type { RingPeer } from '../../src/index.js'
import { createTestRing, type TestRing } from '../../src/testing.js'
import { Attacker } from '../trust/attacker.js'

const bytes = (s: string) => new TextEncoder().encode(s) as Uint8Array<ArrayBuffer>

describe('home log replica messages from a client (ring of 4, r = 3)', () => {
  let ring: TestRing
  let client: Attacker

  before(async () => {
    ring = await createTestRing(4, { replicas: 3 })
    client = await Attacker.start()
  })
  after(async () => {
    await client?.stop()
    await ring?.stop()
  })

  it('refuses a seal and an append from a client, and changes nothing', async () => {
    const id = { space: 'topic', name: bytes('guarded') }
    const order = new SortedRing(ring.peers.map((p) => p.ringId))
    const replica = ring.peers.find(
      (p) => p.ringId === order.successors(logPosition(id), 2)[1],
    ) as RingPeer
    const seal = await client.ask(replica, {
      type: MessageType.LOG_SEAL,
      logOp: logOpOf({ space: id.space, name: id.name, epoch: 1_000_000n }),
    })
    assert.equal(seal.error, ErrorCode.FORBIDDEN)
    const append = await client.ask(replica, {
      type: MessageType.LOG_APPEND,
      logOp: logOpOf({
        space: id.space,
        name: id.name,
        epoch: 1_000_000n,
        entries: [{ seq: 1n, epoch: 1_000_000n, publishedAt: 0n, data: bytes('forged') }],
      }),
    })
    assert.equal(append.error, ErrorCode.FORBIDDEN)
    assert.deepEqual(replica.homeLogs.replicas.state(logKey(id)).promised, 0)
    assert.equal(replica.homeLogs.replicas.state(logKey(id)).lastSeq, 0)
  })
})
