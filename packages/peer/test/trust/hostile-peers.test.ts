import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  ErrorCode,
  MessageType,
  type PeerInfo,
  type Request,
  TRANSFER_PROTOCOL,
} from '@ringdht/protocol'
import { ringIdOf, SortedRing } from '@ringdht/ring'
import { compareValueHashes, timestampMillis, valueHash } from '@ringdht/store'
import { peerInfoOf, ringNode } from '../../src/core/ring-node.js'
import { type RingPeer, VersionConflictError } from '../../src/index.js'
import { toWireRecord } from '../../src/kv/records.js'
import { createTestRing, type TestRing } from '../../src/testing.js'
import { tempDir, text, waitFor } from '../helpers.js'
import { Attacker, identityIn, peerIdOf } from './attacker.js'

const bytes = (s: string) => new TextEncoder().encode(s) as Uint8Array<ArrayBuffer>
const now = () => BigInt(Date.now()) << 16n
const R = 3

describe('hostile peers against a ring of 6 (r = 3)', () => {
  let ring: TestRing
  let client: Attacker
  /** A member of the ring whose key the test holds, to misbehave as a member. */
  let member: RingPeer
  let asMember: Attacker
  let removeDir: () => Promise<void>

  before(async () => {
    ring = await createTestRing(5, { replicas: R })
    const dir = await tempDir()
    removeDir = dir.remove
    const key = await identityIn(dir.path)
    member = await ring.add({ dataDir: dir.path, replicas: R })
    assert.equal(member.peerId.toString(), peerIdOf(key))
    client = await Attacker.start()
    asMember = await Attacker.start(key)
  })
  after(async () => {
    await client?.stop()
    await asMember?.stop()
    await ring?.stop()
    await removeDir?.()
  })

  /** The members in ring order from the owner of `key` on. */
  const holdersOf = (key: string): RingPeer[] => {
    const order = new SortedRing(ring.peers.map((p) => p.ringId))
    return order
      .successors(ringIdOf(bytes(key)), ring.peers.length)
      .map((id) => ring.peers.find((p) => p.ringId === id) as RingPeer)
  }
  /** A key for which `pick` says yes, searched among k-0, k-1, ... */
  const keyWhere = (pick: (holders: RingPeer[]) => boolean): string => {
    for (let i = 0; i < 10_000; i++) if (pick(holdersOf(`k-${i}`))) return `k-${i}`
    throw new Error('no such key')
  }
  const stored = (peer: RingPeer, key: string) => peer.store.getSync(bytes(key))

  it('ignores a version a client puts in its request: the ring assigns it', async () => {
    const owner = holdersOf('versioned')[0] as RingPeer
    for (const version of [
      { timestamp: (1n << 63n) - 1n, writer: 1n },
      { timestamp: (1n << 64n) - 1n, writer: (1n << 64n) - 1n },
    ]) {
      const answer = await client.ask(owner, {
        type: MessageType.PUT,
        key: bytes('versioned'),
        value: bytes('from a client'),
        version,
      })
      assert.equal(answer.error, 0)
      const kept = stored(owner, 'versioned')
      assert.ok(kept !== undefined)
      assert.ok(
        Math.abs(timestampMillis(kept.version.timestamp) - Date.now()) < 60_000,
        `version ${kept.version.timestamp} is the ring's, not the client's`,
      )
    }
    // the key and every member stay writable, with later writes winning
    for (let i = 0; i < 10; i++) {
      const writer = ring.peers[i % ring.peers.length] as RingPeer
      await writer.put('versioned', `honest ${i}`)
      assert.equal(text((await ring.peers[(i + 1) % 6]?.get('versioned'))?.value), `honest ${i}`)
    }
  })

  it('refuses every replica and repair message from a client, and changes nothing', async () => {
    await ring.peers[0]?.put('guarded', 'original')
    const [owner, second] = holdersOf('guarded') as [RingPeer, RingPeer]
    const outsider = holdersOf('guarded')[5] as RingPeer
    const record = toWireRecord({
      key: bytes('guarded'),
      position: ringIdOf(bytes('guarded')),
      value: bytes('planted'),
      version: { timestamp: now(), writer: 7n },
    })
    const attempts: Array<[string, RingPeer, Partial<Request>, string?]> = [
      [
        'local PUT',
        owner,
        {
          type: MessageType.PUT,
          local: true,
          key: record.key,
          value: record.value,
          version: record.version,
        },
      ],
      [
        'local DELETE',
        second,
        { type: MessageType.DELETE, local: true, key: record.key, version: record.version },
      ],
      ['local GET', owner, { type: MessageType.GET, local: true, key: record.key }],
      ['STORE_BATCH', outsider, { type: MessageType.STORE_BATCH, records: [record] }],
      [
        'FETCH_RANGE (0, 0]',
        owner,
        { type: MessageType.FETCH_RANGE, rangeStart: 0n, rangeEnd: 0n, limit: 512 },
      ],
      ['DIGEST', owner, { type: MessageType.DIGEST, rangeStart: 0n, rangeEnd: 0n, buckets: 4 }],
      [
        'TRANSFER',
        owner,
        { type: MessageType.TRANSFER, rangeStart: 0n, rangeEnd: 0n, limit: 512 },
        TRANSFER_PROTOCOL,
      ],
    ]
    for (const [what, target, request, protocol] of attempts) {
      const answer = await client.ask(target, request, protocol)
      assert.equal(answer.error, ErrorCode.FORBIDDEN, `${what} from a client`)
      assert.equal(answer.records.length, 0, `${what} returned no records`)
    }
    for (const peer of ring.peers) {
      const copy = stored(peer, 'guarded')
      if (copy !== undefined) assert.equal(text(copy.value), 'original', `${peer.peerId}`)
    }
    assert.equal(stored(outsider, 'guarded'), undefined, 'nothing planted outside the replica set')
    assert.equal(text((await ring.peers[3]?.get('guarded'))?.value), 'original')
    assert.ok(((await owner.status()).counters.refused ?? 0) > 0)
  })

  it('refuses NOTIFY and LEAVE that name another sender, and relays only to members', async () => {
    const target = ring.peers[1] as RingPeer
    const victim = ring.peers[2] as RingPeer
    const before = target.routingSnapshot()
    const spoofed = peerInfoOf(ringNode(victim.peerId, victim.getMultiaddrs()))
    const madeUp: PeerInfo = { peerId: client.peerId, multiaddrs: [] }
    for (const type of [MessageType.LEAVE, MessageType.NOTIFY]) {
      const answer = await client.ask(target, { type, sender: spoofed, successors: [madeUp] })
      assert.equal(answer.error, ErrorCode.FORBIDDEN, `spoofed ${type}`)
    }
    assert.deepEqual(target.routingSnapshot().successors, before.successors)
    assert.equal(target.routingSnapshot().predecessor, before.predecessor)
    for (const relayTo of [madeUp, { peerId: victim.peerId.toString(), multiaddrs: [] }]) {
      const answer = await client.ask(target, {
        type: MessageType.STATUS,
        relayTo:
          relayTo.peerId === client.peerId
            ? {
                peerId: client.peerId,
                multiaddrs: [victim.getMultiaddrs()[0]?.bytes as Uint8Array<ArrayBuffer>],
              }
            : relayTo,
      })
      if (relayTo.peerId === client.peerId) assert.equal(answer.error, ErrorCode.FORBIDDEN)
      else
        assert.equal(answer.status?.self?.peerId, victim.peerId.toString(), 'members are relayed')
    }
  })

  it('takes copies from a member only for keys whose replica set it is in', async () => {
    const mine = member.peerId.toString()
    // a key that `member` has nothing to do with (not among its first r + 1 holders)
    const foreign = keyWhere((h) => !h.slice(0, R + 1).some((p) => p.peerId.toString() === mine))
    const target = holdersOf(foreign)[0] as RingPeer
    const copy = {
      type: MessageType.PUT,
      local: true,
      key: bytes(foreign),
      value: bytes('planted by a member'),
      version: { timestamp: now(), writer: member.ringId },
    }
    assert.equal((await asMember.ask(target, copy)).error, ErrorCode.FORBIDDEN)
    assert.equal(stored(target, foreign), undefined)
    // ... and one where it is the owner: its copy is taken, as replication needs
    const own = keyWhere((h) => h[0]?.peerId.toString() === mine)
    const replica = holdersOf(own)[1] as RingPeer
    const answer = await asMember.ask(replica, { ...copy, key: bytes(own), value: bytes('fine') })
    assert.equal(answer.error, 0)
    assert.equal(answer.applied, 1)
    assert.equal(text(stored(replica, own)?.value), 'fine')
  })

  it('refuses versions from beyond the clock drift, even from a member in the replica set', async () => {
    const mine = member.peerId.toString()
    const own = keyWhere((h) => h[0]?.peerId.toString() === mine)
    const replica = holdersOf(own)[1] as RingPeer
    const future = { timestamp: BigInt(Date.now() + 3_600_000) << 16n, writer: member.ringId }
    const before = stored(replica, own)
    const answer = await asMember.ask(replica, {
      type: MessageType.PUT,
      local: true,
      key: bytes(own),
      value: bytes('from the future'),
      version: future,
    })
    assert.equal(answer.error, ErrorCode.INVALID_INPUT)
    assert.match(answer.message, /ahead of this member's clock/)
    const batch = await asMember.ask(replica, {
      type: MessageType.STORE_BATCH,
      records: [
        toWireRecord({
          key: bytes(own),
          position: ringIdOf(bytes(own)),
          value: bytes('x'),
          version: future,
        }),
      ],
    })
    assert.equal(batch.applied, 0)
    assert.deepEqual(stored(replica, own), before)
  })

  it('does not acknowledge a write a poisoned record would swallow', async () => {
    // a record from far in the future, as a member without these checks could have stored
    const holders = holdersOf('poisoned').slice(0, R)
    const poison = {
      key: bytes('poisoned'),
      position: ringIdOf(bytes('poisoned')),
      value: bytes('poison'),
      version: { timestamp: (1n << 64n) - 1n, writer: (1n << 64n) - 1n },
    }
    for (const holder of holders) await holder.store.apply(poison)
    let acknowledged = 0
    for (let i = 0; i < 10; i++) {
      try {
        await (ring.peers[i % 6] as RingPeer).put('poisoned', `write ${i}`)
        acknowledged++
        assert.equal(text((await ring.peers[(i + 2) % 6]?.get('poisoned'))?.value), `write ${i}`)
      } catch (err) {
        assert.ok(
          err instanceof VersionConflictError,
          `${(err as Error).name}: ${(err as Error).message}`,
        )
      }
    }
    assert.equal(acknowledged, 0, 'no write was acknowledged and then lost')
    // every other key is still writable by the same members
    await (holders[0] as RingPeer).put('after-poison', 'fine')
    assert.equal(text((await ring.peers[4]?.get('after-poison'))?.value), 'fine')
  })

  it('brings replicas that hold equal versions with different values to one value', async () => {
    const holders = holdersOf('tied').slice(0, R)
    const version = { timestamp: now(), writer: 42n }
    const values = ['red', 'green', 'blue']
    for (const [i, holder] of holders.entries()) {
      await holder.store.apply({
        key: bytes('tied'),
        position: ringIdOf(bytes('tied')),
        value: bytes(values[i] as string),
        version,
      })
    }
    const winner = [...values].sort((a, b) =>
      compareValueHashes(valueHash(bytes(b)), valueHash(bytes(a))),
    )[0]
    // a pass already running when the values were planted may have missed them: repair
    // until the replicas agree, with a deadline
    await waitFor(
      async () => {
        await (holders[0] as RingPeer).repair()
        return holders.every((h) => text(stored(h, 'tied')?.value) === winner)
      },
      'the replicas of a tied key to agree on the greater value hash',
      10_000,
    )
  })

  it('refuses a traced path that is already full instead of answering one entry too long', async () => {
    const answer = await client.ask(ring.peers[0] as RingPeer, {
      type: MessageType.GET,
      key: bytes(keyWhere((h) => h[0] !== ring.peers[0])),
      trace: true,
      path: Array.from({ length: 256 }, (_, i) => `hop-${i}`),
    })
    assert.equal(answer.error, ErrorCode.INVALID_INPUT)
    assert.match(answer.message, /traced path/)
  })
})
