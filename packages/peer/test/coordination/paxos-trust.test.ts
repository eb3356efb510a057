import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { ErrorCode, MessageType, type Paxos } from '@ringdht/protocol'
import { ringIdOf, SortedRing } from '@ringdht/ring'
import { PAXOS_KIND } from '../../src/coordination/paxos-wire.js'
import type { RingPeer } from '../../src/index.js'
import { createTestRing, type TestRing } from '../../src/testing.js'
import { tempDir } from '../helpers.js'
import { Attacker, identityIn } from '../trust/attacker.js'

const bytes = (s: string) => new TextEncoder().encode(s) as Uint8Array<ArrayBuffer>
const R = 3

describe('paxos messages from strangers and misbehaving members (ring of 6, r = 3)', () => {
  let ring: TestRing
  let client: Attacker
  let member: RingPeer
  let asMember: Attacker
  let removeDir: () => Promise<void>

  before(async () => {
    ring = await createTestRing(5, { replicas: R })
    const dir = await tempDir()
    removeDir = dir.remove
    const key = await identityIn(dir.path)
    member = await ring.add({ dataDir: dir.path, replicas: R })
    client = await Attacker.start()
    asMember = await Attacker.start(key)
  })
  after(async () => {
    await client?.stop()
    await asMember?.stop()
    await ring?.stop()
    await removeDir?.()
  })

  const holdersOf = (key: string): RingPeer[] => {
    const order = new SortedRing(ring.peers.map((p) => p.ringId))
    return order
      .successors(ringIdOf(bytes(key)), ring.peers.length)
      .map((id) => ring.peers.find((p) => p.ringId === id) as RingPeer)
  }
  const keyWhere = (pick: (holders: RingPeer[]) => boolean): string => {
    for (let i = 0; i < 10_000; i++) if (pick(holdersOf(`p-${i}`))) return `p-${i}`
    throw new Error('no such key')
  }
  const prepare = (counter: bigint, proposer: string, round = 1): Paxos => ({
    kind: PAXOS_KIND.prepare,
    ballot: { counter, proposer },
    epoch: 0n,
    round,
    code: '',
    phase: 0,
  })

  it('refuses a client: only ring members may send paxos messages', async () => {
    const key = 'from-a-client'
    const answer = await client.ask(holdersOf(key)[0] as RingPeer, {
      type: MessageType.PAXOS,
      key: bytes(key),
      paxos: prepare(1n, client.peerId),
    })
    assert.equal(answer.error, ErrorCode.FORBIDDEN)
  })

  it("refuses a member outside the key's replica set", async () => {
    // the member is not among the first r + 1 (slack) holders of this key
    const key = keyWhere((h) => !h.slice(0, R + 1).includes(member))
    const answer = await asMember.ask(holdersOf(key)[0] as RingPeer, {
      type: MessageType.PAXOS,
      key: bytes(key),
      paxos: prepare(1n, asMember.peerId),
    })
    assert.equal(answer.error, ErrorCode.FORBIDDEN)
    assert.match(answer.message, /replica set/)
  })

  it('refuses ballots in another proposer’s name, malformed messages and ballots from the far future, and changes nothing', async () => {
    // the member is the key's owner's first successor: in the set
    const key = keyWhere((h) => h[1] === member)
    const target = holdersOf(key)[0] as RingPeer
    const ask = (paxos: Paxos | undefined) =>
      asMember.ask(target, {
        type: MessageType.PAXOS,
        key: bytes(key),
        ...(paxos === undefined ? {} : { paxos }),
      })
    const impostor = await ask(prepare(5n, target.peerId.toString()))
    assert.equal(impostor.error, ErrorCode.FORBIDDEN)
    const missing = await ask(undefined)
    assert.equal(missing.error, ErrorCode.INVALID_INPUT)
    const zero = await ask(prepare(0n, asMember.peerId))
    assert.equal(zero.error, ErrorCode.INVALID_INPUT)
    const huge = await ask(prepare(1n << 60n, asMember.peerId))
    assert.equal(huge.error, ErrorCode.INVALID_INPUT)
    assert.match(huge.message, /beyond the largest safe integer/)
    const far = await ask(prepare(1n << 40n, asMember.peerId))
    assert.equal(far.error, ErrorCode.INVALID_INPUT)
    assert.match(far.message, /too far above/)
    const kind = await ask({ ...prepare(1n, asMember.peerId), kind: 42 })
    assert.equal(kind.error, ErrorCode.INVALID_INPUT)
    // nothing was promised: an honest prepare at counter 1 is still promised
    const honest = await ask(prepare(1n, asMember.peerId))
    assert.equal(honest.error, 0)
    assert.equal(honest.paxos?.kind, PAXOS_KIND.promise)
    // and the peer still serves the key
    assert.equal((await target.cas(key, undefined, 'fine')).succeeded, true)
  })
})
