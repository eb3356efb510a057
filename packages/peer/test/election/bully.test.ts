import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { ErrorCode, MessageType } from '@ringdht/protocol'
import { BULLY_KIND } from '../../src/election/bully-wire.js'
import {
  type BullyGroup,
  type BullyLeader,
  createPeer,
  InvalidInputError,
  type RingPeer,
} from '../../src/index.js'
import { createTestRing, type TestRing } from '../../src/testing.js'
import { FAST_TIMERS, replicaSetOf, tempDir, waitFor } from '../helpers.js'
import { Attacker } from '../trust/attacker.js'

const R = 3
const TIMERS = {
  heartbeatMs: 200,
  suspectAfter: 2,
  answerTimeoutMs: 300,
  coordinatorTimeoutMs: 1500,
}
/** Crash detection plus an election and a term, with room for a loaded machine. */
const FAILOVER_BOUND_MS = 5_000

describe('Bully elections among 4 members of a ring of 6 (r = 3)', () => {
  let ring: TestRing
  /** Group members by peer id, with their data folders (so they can come back). */
  const dirs = new Map<string, { path: string; remove(): Promise<void> }>()
  let members: string[] = []
  const groups = new Map<string, BullyGroup>()
  /** Every change each member's group reported, in order, across restarts. */
  const seen = new Map<string, BullyLeader[]>()
  /**
   * The group's name, chosen so that the member to crash holds no copy of the group's
   * term register (nor is the slack member of its replica set). When it held one, some
   * runs saw the register take no write (QuorumNotReached, ERR_TIMEOUT) until the crashed
   * member came back, 20 s and more (2 of 12 when it was the owner's first successor): a
   * matter of the coordination layer, left to it; this test measures Bully.
   */
  let groupName = ''
  let outsiderDir: { path: string; remove(): Promise<void> }
  let outsider: RingPeer
  let stranger: Attacker | undefined
  /** Messages the group's members refused because their sender may not send them. */
  const refusedCount = async () => {
    let total = 0
    for (const id of members) total += (await peerOf(id).status()).counters.refused ?? 0
    return total
  }

  const peerOf = (id: string): RingPeer =>
    ring.peers.find((p) => p.peerId.toString() === id) as RingPeer
  /** Group members by ring position, highest first: the order Bully elects in. */
  let byRank: () => string[]
  const open = (peer: RingPeer): BullyGroup => {
    const id = peer.peerId.toString()
    const group = peer.bully(groupName, { members, ...TIMERS })
    groups.set(id, group)
    const log = seen.get(id) ?? []
    seen.set(id, log)
    void (async () => {
      for await (const change of group.changes()) log.push(change)
    })()
    return group
  }
  const agreeOn = (ids: readonly string[], leader: string) =>
    ids.every((id) => groups.get(id)?.leader === leader && (groups.get(id)?.term ?? 0) > 0) &&
    new Set(ids.map((id) => groups.get(id)?.term)).size === 1
  /** Wait until `ids` all follow `leader` with one term; on timeout, say what each saw. */
  const waitForAgreement = async (
    ids: readonly string[],
    leader: string,
    what: string,
    ms?: number,
  ) => {
    try {
      await waitFor(() => agreeOn(ids, leader), what, ms)
    } catch (err) {
      const views = ids.map((id) => `${id.slice(-6)}: ${JSON.stringify(groups.get(id)?.current)}`)
      throw new Error(`${(err as Error).message}; wanted ${leader.slice(-6)}; ${views.join(', ')}`)
    }
  }

  before(async () => {
    ring = await createTestRing(1, { replicas: R })
    outsiderDir = await tempDir()
    outsider = await ring.add({ dataDir: outsiderDir.path, replicas: R })
    for (let i = 0; i < 4; i++) {
      const dir = await tempDir()
      const peer = await ring.add({ dataDir: dir.path, replicas: R })
      dirs.set(peer.peerId.toString(), dir)
    }
    members = [...dirs.keys()]
    const ranked = [...members].sort((a, b) => (peerOf(a).ringId > peerOf(b).ringId ? -1 : 1))
    byRank = () => ranked
    for (let i = 0; groupName === ''; i++) {
      const holders = replicaSetOf(ring.peers, `bully/controllers-${i}/term`, R + 1)
      if (!holders.includes(peerOf(ranked[0] as string))) groupName = `controllers-${i}`
    }
  })
  after(async () => {
    for (const group of groups.values()) await group.close()
    await stranger?.stop()
    await ring?.stop()
    await outsiderDir?.remove()
    for (const dir of dirs.values()) await dir.remove()
  })

  it('elects the member at the highest ring position, with a term', async () => {
    for (const id of members) open(peerOf(id))
    const highest = byRank()[0] as string
    await waitForAgreement(members, highest, 'every member to follow the highest')
    assert.equal(groups.get(highest)?.isLeader, true)
    assert.equal(await groups.get(highest)?.stillLeads(), true)
    assert.equal(
      members.filter((id) => groups.get(id)?.isLeader).length,
      1,
      'one coordinator at a time',
    )
  })

  it('refuses messages from a stranger, from a ring member outside the group and malformed ones', async () => {
    const [highest, next] = byRank() as [string, string]
    const target = peerOf(next)
    const followed = groups.get(next)?.leader
    const coordinator = (term: bigint) => ({
      type: MessageType.BULLY,
      bully: { kind: BULLY_KIND.coordinator, group: groupName, term },
    })
    // a raw node with a fresh identity (a client, as far as the ring can tell)
    stranger = await Attacker.start()
    const fromStranger = await stranger.ask(target, coordinator(1_000n))
    assert.equal(fromStranger.error, ErrorCode.FORBIDDEN)
    assert.match(fromStranger.message, /only ring members of bully group/)
    // a ring member outside the group runs the election too, naming itself: every message
    // it sends is refused, and counted so
    const refusedBefore = await refusedCount()
    const intruding = outsider.bully(groupName, {
      members: [...members, String(outsider.peerId)],
      ...TIMERS,
    })
    await waitFor(() => intruding.isLeader, 'the outsider to declare itself')
    await waitFor(
      async () => (await refusedCount()) >= refusedBefore + members.length,
      'every member to refuse its COORDINATOR',
    )
    await intruding.close()
    const malformed = [
      { type: MessageType.BULLY },
      { type: MessageType.BULLY, bully: { kind: 99, group: groupName, term: 0n } },
      {
        type: MessageType.BULLY,
        bully: { kind: BULLY_KIND.coordinator, group: groupName, term: 0n },
      },
      { type: MessageType.BULLY, bully: { kind: 1, group: 'x'.repeat(300), term: 0n } },
      { type: MessageType.BULLY, bully: { kind: 1, group: groupName, term: 1n << 60n } },
    ]
    // malformed input is refused before the sender's membership is even asked
    for (const request of malformed) {
      const answer = await stranger.ask(target, request)
      assert.equal(
        answer.error,
        ErrorCode.INVALID_INPUT,
        JSON.stringify(request.bully ?? null, replacer),
      )
    }
    const elsewhere = await stranger.ask(target, {
      type: MessageType.BULLY,
      bully: { kind: BULLY_KIND.election, group: 'no-such-group', term: 0n },
    })
    assert.equal(elsewhere.error, ErrorCode.NOT_READY)
    await stranger.stop()
    stranger = undefined
    // (a term may have grown meanwhile: a heartbeat missed on a loaded machine re-elects)
    assert.equal(groups.get(next)?.leader, followed)
    await waitForAgreement(members, highest, 'the group to still follow its coordinator')
  })

  it('elects the next highest within a bound when the coordinator crashes', async () => {
    const [highest, next] = byRank() as [string, string]
    const term = groups.get(highest)?.term as number
    const started = Date.now()
    await ring.crash(ring.peers.indexOf(peerOf(highest)))
    groups.delete(highest)
    const alive = members.filter((id) => id !== highest)
    await waitForAgreement(alive, next, 'the next highest to coordinate', FAILOVER_BOUND_MS)
    const tookMs = Date.now() - started
    assert.ok((groups.get(next)?.term as number) > term, 'a higher term than the crashed one')
    assert.equal(await groups.get(next)?.stillLeads(), true)
    console.log(`bully failover: ${tookMs} ms (heartbeat ${TIMERS.heartbeatMs} ms)`)
  })

  it('lets the old coordinator take over again when it comes back, with a higher term', async () => {
    const [highest, next] = byRank() as [string, string]
    const interimTerm = groups.get(next)?.term as number
    const dir = dirs.get(highest)
    const bootstrap = [String(ring.peers[0]?.getMultiaddrs()[0])]
    const back = await createPeer({
      dataDir: dir?.path,
      bootstrap,
      replicas: R,
      timers: FAST_TIMERS,
      idDifficulty: 0,
    })
    ring.peers.push(back)
    await back.ready
    assert.equal(back.peerId.toString(), highest, 'the same identity')
    open(back)
    await waitForAgreement(members, highest, 'the returning member to take over')
    assert.ok((groups.get(highest)?.term as number) > interimTerm)
    assert.equal(await groups.get(next)?.stillLeads(), false)
  })

  it('never showed two coordinators with one term, nor one outside the group, and terms only grew', () => {
    const holderOf = new Map<number, string>()
    for (const [id, log] of seen) {
      const terms = log.filter((c) => c.leader !== undefined).map((c) => c.term)
      for (let i = 1; i < terms.length; i++) {
        assert.ok((terms[i] as number) > (terms[i - 1] as number), `${id} saw terms ${terms}`)
      }
      for (const change of log) {
        if (change.leader === undefined) continue
        assert.ok(members.includes(change.leader), `${id} followed ${change.leader}, no member`)
        const holder = holderOf.get(change.term) ?? change.leader
        assert.equal(holder, change.leader, `term ${change.term} held by two coordinators`)
        holderOf.set(change.term, change.leader)
      }
    }
  })

  it('checks what it is opened with', () => {
    const peer = peerOf(members[0] as string)
    const self = peer.peerId.toString()
    assert.throws(() => peer.bully(groupName, { members }), InvalidInputError)
    assert.throws(
      () => peer.bully('other', { members: [String(outsider.peerId)] }),
      /not in the group/,
    )
    assert.throws(() => peer.bully('other', { members: [self, 'not-a-peer-id'] }), /not a peer id/)
    assert.throws(() => peer.bully('', { members: [self] }), /needs a name/)
    assert.throws(() => peer.bully('other', { members: [self], heartbeatMs: 0 }), /heartbeatMs/)
  })
})

function replacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value
}
