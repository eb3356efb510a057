import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { Libp2p } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { pino } from 'pino'
import { type RingNode, ringNode } from '../../src/core/ring-node.js'
import { ChannelPool, type ChannelPoolInit } from '../../src/core/rpc/pool.js'
import { PeerUnreachableError } from '../../src/errors.js'

const PROTOCOL = '/test/rpc/1'

async function nodeAt(port: number): Promise<RingNode> {
  const peerId = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
  return ringNode(peerId, [multiaddr(`/ip4/127.0.0.1/tcp/${port}`)])
}

/** A pool whose dials never reach the network: each is recorded and refused. */
function stubPool(
  init: Partial<ChannelPoolInit> = {},
  latest: (node: RingNode) => RingNode = (node) => node,
) {
  const dialled: string[] = []
  const evicted: string[] = []
  const dialProtocol: Pick<Libp2p, 'dialProtocol'>['dialProtocol'] = async (target) => {
    dialled.push(String(Array.isArray(target) ? target[0] : target))
    throw new Error('no network in this test')
  }
  const pool = new ChannelPool(
    {
      libp2p: { dialProtocol },
      logger: pino({ level: 'silent' }),
      latest,
      onEvict: (node) => evicted.push(node.key),
    },
    {
      protocol: PROTOCOL,
      maxInFlight: 4,
      maxFrameBytes: 1 << 20,
      idleStreamMs: 60_000,
      openTimeoutMs: 1_000,
      ...init,
    },
  )
  return { pool, dialled, evicted }
}

/** Whether the channel is closed: a closed one refuses at once, before dialling. */
async function refusesAsClosed(pool: ChannelPool, node: RingNode): Promise<boolean> {
  try {
    await pool.channel(node).request({}, { timeoutMs: 1_000 })
  } catch (err) {
    assert.ok(err instanceof PeerUnreachableError, `unexpected ${String(err)}`)
    return err.message.includes('channel closed')
  }
  return false
}

describe('ChannelPool', () => {
  it('keeps one channel per peer, without a limit by default', async () => {
    const { pool, evicted } = stubPool()
    const nodes = await Promise.all([1, 2, 3, 4].map(nodeAt))
    const first = nodes.map((node) => pool.channel(node))
    for (const [i, node] of nodes.entries()) {
      assert.equal(pool.channel(node), first[i], `channel of node ${i} reused`)
    }
    assert.equal(pool.size, 4)
    assert.deepEqual(evicted, [])
  })

  it('with maxChannels, closes the least recently used channel and reports it', async () => {
    const { pool, evicted } = stubPool({ maxChannels: 2 })
    const [a, b, c] = (await Promise.all([1, 2, 3].map(nodeAt))) as [RingNode, RingNode, RingNode]
    const channelA = pool.channel(a)
    const channelB = pool.channel(b)
    // using a again makes b the least recently used
    assert.equal(pool.channel(a), channelA)
    pool.channel(c)
    assert.deepEqual(evicted, [b.key])
    assert.equal(pool.size, 2)
    assert.ok(pool.has(a.key) && pool.has(c.key) && !pool.has(b.key))
    await assert.rejects(channelB.request({}, { timeoutMs: 1_000 }), /channel closed/)
    // a is still open: its request dials (and fails for want of a network)
    await assert.rejects(channelA.request({}, { timeoutMs: 1_000 }), /cannot open stream/)
    // b comes back as a new channel and evicts a, now the least recently used
    const again = pool.channel(b)
    assert.notEqual(again, channelB)
    assert.deepEqual(evicted, [b.key, a.key])
  })

  it('drop and retain close the channels of peers that left, and report them', async () => {
    const { pool, evicted } = stubPool()
    const [a, b, c] = (await Promise.all([1, 2, 3].map(nodeAt))) as [RingNode, RingNode, RingNode]
    for (const node of [a, b, c]) pool.channel(node)
    pool.drop(b.key)
    pool.drop(b.key)
    assert.deepEqual(evicted, [b.key], 'a dropped channel is reported once')
    pool.retain(new Set([c.key]))
    assert.deepEqual(evicted, [b.key, a.key])
    assert.ok(pool.has(c.key))
    assert.equal(pool.size, 1)
  })

  it('dials the latest addresses of a peer', async () => {
    const [old, moved] = (await Promise.all([1, 2].map(nodeAt))) as [RingNode, RingNode]
    const restarted = ringNode(
      old.peerId,
      moved.multiaddrs.map((ma) => ma.decapsulate('/p2p')),
    )
    const { pool, dialled } = stubPool({}, () => restarted)
    await assert.rejects(pool.request(old, {}, { timeoutMs: 1_000 }), PeerUnreachableError)
    assert.deepEqual(dialled, [`/ip4/127.0.0.1/tcp/2/p2p/${old.key}`])
  })

  it('close closes every channel without reporting evictions; later channels are closed', async () => {
    const { pool, evicted } = stubPool({ maxChannels: 8 })
    const [a, b] = (await Promise.all([1, 2].map(nodeAt))) as [RingNode, RingNode]
    pool.channel(a)
    pool.close()
    assert.equal(pool.size, 0)
    assert.deepEqual(evicted, [])
    assert.ok(await refusesAsClosed(pool, a), 'a channel after close is closed')
    assert.ok(await refusesAsClosed(pool, b), 'a new peer after close gets a closed channel')
  })
})
