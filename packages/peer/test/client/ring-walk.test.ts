import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ringIdToHex } from '@ringdht/ring'
import {
  MAX_RING_WALK,
  ringMemberInfoOf,
  type StatusOf,
  type WalkedMember,
  walkRing,
} from '../../src/client/ring-walk.js'
import type { MemberInfo } from '../../src/core/ring-node.js'
import type { PeerStatus } from '../../src/core/status.js'
import { PeerUnreachableError } from '../../src/errors.js'

function member(i: number): MemberInfo {
  return { peerId: `p${i}`, ringId: ringIdToHex(BigInt(i) << 32n), multiaddrs: [] }
}

function status(self: MemberInfo, successors: MemberInfo[]): PeerStatus {
  return {
    ...self,
    predecessor: undefined,
    successors,
    fingers: [],
    keyCount: 1,
    storedCount: 3,
    range: { start: self.ringId, end: self.ringId },
    counters: {},
  }
}

/**
 * A ring of `n` members p0..p(n-1) whose successor lists name the next `listLength`
 * (wrapping); p0 is the dialled member. Members in `down` do not answer. Records who
 * was asked, 'dialled' for the dialled member itself.
 */
function stubRing(n: number, listLength: number, down: ReadonlySet<number> = new Set()) {
  const members = [...Array(n).keys()].map(member)
  const statusOfIndex = (i: number): PeerStatus => {
    const successors: MemberInfo[] = []
    for (let k = 1; k <= Math.min(listLength, n - 1); k++) {
      successors.push(members[(i + k) % n] as MemberInfo)
    }
    return status(members[i] as MemberInfo, successors)
  }
  const asked: string[] = []
  const statusOf: StatusOf = async (target, options) => {
    options.signal?.throwIfAborted()
    asked.push(target?.peerId ?? 'dialled')
    const i = target === undefined ? 0 : Number(target.peerId.slice(1))
    if (down.has(i)) throw new PeerUnreachableError(`${target?.peerId} is down`)
    return statusOfIndex(i)
  }
  return { statusOf, asked }
}

const ids = (walked: readonly WalkedMember[]): string[] => walked.map((w) => w.member.peerId)
const kinds = (walked: readonly WalkedMember[]): string[] =>
  walked.map((w) => `${w.member.peerId}:${w.kind}`)
const inOrder = (n: number): string[] => [...Array(n).keys()].map((i) => `p${i}`)

describe('walkRing', () => {
  it('asks every member once, in ring order, and stops where the ring wraps', async () => {
    const { statusOf, asked } = stubRing(7, 3)
    const walked = await walkRing(statusOf, { everyMember: true })
    assert.deepEqual(ids(walked), inOrder(7))
    for (const w of walked) assert.equal(w.kind, 'answered', `kind of ${w.member.peerId}`)
    assert.deepEqual(asked, ['dialled', ...inOrder(7).slice(1)])
  })

  it('for a view, asks only the farthest member of each successor list', async () => {
    const { statusOf, asked } = stubRing(10, 3)
    const walked = await walkRing(statusOf, { everyMember: false })
    assert.deepEqual(ids(walked), inOrder(10))
    assert.deepEqual(asked, ['dialled', 'p3', 'p6', 'p9'])
    assert.equal(walked.filter((w) => w.kind === 'listed').length, 6)
  })

  it('for a view, does not ask when a successor list already closes the ring', async () => {
    const { statusOf, asked } = stubRing(10, 4)
    const walked = await walkRing(statusOf, { everyMember: false })
    assert.deepEqual(ids(walked), inOrder(10))
    // p8 names p9 then p0: p9 is listed without being asked
    assert.deepEqual(asked, ['dialled', 'p4', 'p8'])
    assert.equal(walked.at(-1)?.kind, 'listed')
  })

  it('reports a member that does not answer and walks on past it', async () => {
    const { statusOf } = stubRing(7, 3, new Set([3]))
    const walked = await walkRing(statusOf, { everyMember: true })
    assert.deepEqual(ids(walked), inOrder(7))
    assert.deepEqual(
      walked.filter((w) => w.kind !== 'answered').map((w) => w.member.peerId),
      ['p3'],
    )
    const reported = walked.map(ringMemberInfoOf)
    assert.equal(reported[3]?.health, 'unreachable')
    assert.deepEqual(reported[3]?.range, { start: member(3).ringId, end: member(3).ringId })
    assert.equal(reported[2]?.health, 'ok')
    assert.equal(reported[2]?.replicaKeyCount, 2)
  })

  it('for a view, falls back to a nearer member when the farthest does not answer', async () => {
    const { statusOf, asked } = stubRing(10, 3, new Set([3]))
    const walked = await walkRing(statusOf, { everyMember: false })
    assert.deepEqual(ids(walked), inOrder(10))
    assert.deepEqual(kinds(walked).slice(0, 4), [
      'p0:answered',
      'p1:listed',
      'p2:answered',
      'p3:unreachable',
    ])
    assert.deepEqual(asked.slice(0, 3), ['dialled', 'p3', 'p2'])
  })

  it('ends where every member a list names is unreachable, reporting them', async () => {
    const { statusOf } = stubRing(10, 2, new Set([3, 4]))
    const walked = await walkRing(statusOf, { everyMember: true })
    assert.deepEqual(kinds(walked), [
      'p0:answered',
      'p1:answered',
      'p2:answered',
      'p3:unreachable',
      'p4:unreachable',
    ])
  })

  it('fails when the dialled member does not answer', async () => {
    const { statusOf } = stubRing(5, 3, new Set([0]))
    await assert.rejects(walkRing(statusOf, { everyMember: true }), PeerUnreachableError)
  })

  it('throws when aborted instead of reporting members as unreachable', async () => {
    const { statusOf: inner } = stubRing(6, 2)
    const controller = new AbortController()
    const statusOf: StatusOf = async (target, options) => {
      if (target?.peerId === 'p3') controller.abort(new Error('deadline'))
      return inner(target, options)
    }
    await assert.rejects(
      walkRing(statusOf, { everyMember: true, signal: controller.signal }),
      /deadline/,
    )
  })

  it('stops at a chain that loops back to a member other than the dialled one', async () => {
    const chain = [0, 1, 2].map(member)
    const statusOf: StatusOf = async (target) => {
      const i = target === undefined ? 0 : Number(target.peerId.slice(1))
      // p2 names p1 again instead of p0
      const next = chain[i === 2 ? 1 : i + 1] as MemberInfo
      return status(chain[i] as MemberInfo, [next])
    }
    const walked = await walkRing(statusOf, { everyMember: true })
    assert.deepEqual(ids(walked), ['p0', 'p1', 'p2'])
  })

  it('bounds an endless chain at MAX_RING_WALK members', async () => {
    let asked = 0
    const statusOf: StatusOf = async (target) => {
      asked++
      const i = target === undefined ? 0 : Number(target.peerId.slice(1))
      // every member names a new one, never the dialled member
      return status(member(i), [member(i + 1), member(i + 2)])
    }
    for (const everyMember of [true, false]) {
      asked = 0
      const walked = await walkRing(statusOf, { everyMember })
      assert.equal(walked.length, MAX_RING_WALK, `members walked, everyMember ${everyMember}`)
      assert.ok(asked <= MAX_RING_WALK, `${asked} statuses asked, everyMember ${everyMember}`)
    }
  })
})
