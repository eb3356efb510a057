import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { MessageType, type Request, type Response, requestWithDefaults } from '@ringdht/protocol'
import { ringIdOf, SortedRing } from '@ringdht/ring'
import type { Capability, CapabilityContext, RingPeer } from '../../src/index.js'
import { createPeer } from '../../src/index.js'
import { createTestRing, type TestRing } from '../../src/testing.js'
import { text, waitFor } from '../helpers.js'

/** A request type no built-in capability serves. */
const ECHO = 1000 as MessageType

/**
 * The smallest capability there is: ECHO routed to the owner of the message's ring
 * position, answered with the owner's peer id. It counts its hooks, so the test sees the
 * core call them; it lives only here, so the core cannot know about it.
 */
class EchoCapability implements Capability {
  readonly name = 'echo'
  readonly handles = [ECHO]
  readonly calls = { joined: 0, rangesChanged: 0, leave: 0, stop: 0 }
  readonly #ctx: CapabilityContext

  constructor(context: CapabilityContext) {
    this.#ctx = context
  }

  async handle(request: Request): Promise<Partial<Response>> {
    const key = request.key ?? new Uint8Array()
    return this.#ctx.router.route(request, ringIdOf(key), undefined, async () => ({
      message: `${this.#ctx.self.key}:${text(key)}`,
      hops: request.hops,
    }))
  }

  /** Echo `message` from the member that owns its position. */
  async echo(message: string): Promise<{ owner: string; text: string }> {
    const request = requestWithDefaults({
      type: ECHO,
      maxHops: 32,
      key: new TextEncoder().encode(message),
    })
    const answer = await this.handle(request)
    const [owner = '', echoed = ''] = (answer.message ?? '').split(':')
    return { owner, text: echoed }
  }

  joined(): void {
    this.calls.joined++
  }
  rangesChanged(): void {
    this.calls.rangesChanged++
  }
  async leave(): Promise<void> {
    this.calls.leave++
  }
  async stop(): Promise<void> {
    this.calls.stop++
  }
}

describe('a capability registered from outside the core', () => {
  const echoes = new Map<string, EchoCapability>()
  let ring: TestRing
  const capabilities = [
    (context: CapabilityContext) => {
      const echo = new EchoCapability(context)
      echoes.set(context.self.key, echo)
      return echo
    },
  ]

  before(async () => {
    ring = await createTestRing(4, { capabilities })
  })
  after(async () => {
    await ring.stop()
  })

  const echoOf = (peer: RingPeer): EchoCapability =>
    echoes.get(peer.peerId.toString()) as EchoCapability

  it('serves its own request type, routed by the core to the owner of the position', async () => {
    const order = new SortedRing(ring.peers.map((p) => p.ringId))
    for (const [i, peer] of ring.peers.entries()) {
      for (let k = 0; k < 20; k++) {
        const message = `message-${i}-${k}`
        const owner = order.successor(ringIdOf(new TextEncoder().encode(message)))
        const expected = ring.peers.find((p) => p.ringId === owner)?.peerId.toString()
        const answer = await echoOf(peer).echo(message)
        assert.equal(answer.owner, expected, `${message} from peer ${i}`)
        assert.equal(answer.text, message, `${message} from peer ${i}`)
      }
    }
  })

  it('hears that the member joined and that its ranges moved when a member joins', async () => {
    for (const peer of ring.peers) assert.equal(echoOf(peer).calls.joined, 1)
    const before = ring.peers.map((p) => echoOf(p).calls.rangesChanged)
    const added = await ring.add()
    assert.equal(echoOf(added).calls.joined, 1)
    await waitFor(
      () =>
        ring.peers.slice(0, -1).some((p, i) => echoOf(p).calls.rangesChanged > (before[i] ?? 0)),
      'a neighbour of the new member to hear that its ranges moved',
    )
  })

  it('is asked to leave on stop and to stop on crash; the key/value store keeps working', async () => {
    await ring.peers[0]?.put('still', 'here')
    assert.equal(text((await ring.peers[1]?.get('still'))?.value), 'here')
    const leaving = ring.peers.pop() as RingPeer
    await leaving.stop()
    assert.deepEqual(
      { leave: echoOf(leaving).calls.leave, stop: echoOf(leaving).calls.stop },
      { leave: 1, stop: 1 },
    )
    const crashed = await ring.crash(0)
    assert.deepEqual(
      { leave: echoOf(crashed).calls.leave, stop: echoOf(crashed).calls.stop },
      { leave: 0, stop: 1 },
    )
  })

  it('cannot claim a request type the core or another capability serves', async () => {
    for (const type of [MessageType.PING, MessageType.GET]) {
      await assert.rejects(
        createPeer({
          capabilities: [() => ({ name: 'greedy', handles: [type], handle: async () => ({}) })],
        }),
        (err: Error) => err.name === 'InvalidInputError' && /cannot serve/.test(err.message),
      )
    }
  })
})
