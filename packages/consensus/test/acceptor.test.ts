import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import {
  ABSENT,
  Acceptor,
  acceptorStep,
  type Ballot,
  CatchUpQuorumError,
  compareBallots,
  EMPTY_KEY_STATE,
  type KeyState,
  mergeKeyStates,
  REJECT_CODES,
} from '../src/index.js'
import { encode } from './helpers.js'

const ballot = (counter: number, proposer = 'p'): Ballot => ({ counter, proposer })
const prepare = (b: Ballot, epoch = 0, key = 'k') =>
  ({ type: 'prepare', key, ballot: b, epoch, round: 1 }) as const
const accept = (b: Ballot, value = 'x', epoch = 0, key = 'k') =>
  ({
    type: 'accept',
    key,
    ballot: b,
    epoch,
    round: 1,
    state: { value: encode(value), version: 1 },
  }) as const

describe('Acceptor', () => {
  it('promises a higher ballot and reports what it accepted', () => {
    const a = new Acceptor({ id: 'a' })
    const first = a.receive(prepare(ballot(1)))
    assert.equal(first.type, 'promise')
    assert.equal(a.receive(accept(ballot(1), 'v1')).type, 'accepted')
    const second = a.receive(prepare(ballot(2)))
    assert.ok(second.type === 'promise')
    assert.deepEqual(second.accepted, ballot(1))
    assert.deepEqual(second.state.value, encode('v1'))
  })

  it('rejects lower ballots with the highest one it promised', () => {
    const a = new Acceptor({ id: 'a' })
    a.receive(prepare(ballot(5, 'q')))
    for (const message of [prepare(ballot(4)), accept(ballot(5, 'a'))]) {
      const reply = a.receive(message)
      assert.ok(reply.type === 'reject', message.type)
      assert.equal(reply.code, REJECT_CODES.conflict)
      assert.deepEqual(reply.highest, ballot(5, 'q'))
    }
  })

  it('promises a ballot once (a second prepare at it is refused), and accepts at it', () => {
    const a = new Acceptor({ id: 'a' })
    assert.equal(a.receive(prepare(ballot(3))).type, 'promise')
    const again = a.receive(prepare(ballot(3)))
    assert.equal(again.type, 'reject')
    assert.equal(again.type === 'reject' && again.code, REJECT_CODES.conflict)
    assert.equal(a.receive(accept(ballot(3))).type, 'accepted')
  })

  it('refuses a prepare from "the future" beyond maxBallotJump, then allows normal steps', () => {
    const a = new Acceptor({ id: 'a', maxBallotJump: 100 })
    const far = a.receive(prepare(ballot(101)))
    assert.ok(far.type === 'reject')
    assert.equal(far.code, REJECT_CODES.ballotTooFar)
    assert.equal(a.receive(prepare(ballot(100))).type, 'promise')
    assert.equal(a.receive(prepare(ballot(200))).type, 'promise')
    const malformed = a.receive(prepare(ballot(Number.MAX_SAFE_INTEGER + 2)))
    assert.ok(malformed.type === 'reject')
    assert.equal(malformed.code, REJECT_CODES.malformed)
  })

  it('fences older configuration epochs and learns newer ones', () => {
    const a = new Acceptor({ id: 'a' })
    assert.equal(a.receive(prepare(ballot(1), 2)).type, 'promise')
    assert.equal(a.epoch, 2)
    const stale = a.receive(prepare(ballot(2), 1))
    assert.ok(stale.type === 'reject')
    assert.equal(stale.code, REJECT_CODES.staleEpoch)
    assert.equal(stale.epoch, 2)
    a.fenceAndSnapshot(5)
    assert.equal(a.epoch, 5)
    a.fenceAndSnapshot(3)
    assert.equal(a.epoch, 5, 'an epoch never goes down')
  })

  it('does not vote while catching up, and catches up only from a quorum', () => {
    const peers = ['b', 'c', 'd'].map((id) => new Acceptor({ id }))
    for (const peer of peers.slice(0, 2)) {
      peer.receive(prepare(ballot(7)))
      peer.receive(accept(ballot(7), 'seven'))
    }
    const fresh = new Acceptor({ id: 'e', catchingUp: true })
    const refused = fresh.receive(prepare(ballot(8)))
    assert.ok(refused.type === 'reject')
    assert.equal(refused.code, REJECT_CODES.catchingUp)
    const config = { epoch: 1, members: ['b', 'c', 'd'] }
    const one = new Map([['d', (peers[2] as Acceptor).fenceAndSnapshot(1)]])
    assert.throws(() => fresh.catchUp(one, config), CatchUpQuorumError)
    const two = new Map([
      ['b', (peers[0] as Acceptor).fenceAndSnapshot(1)],
      ['d', (peers[2] as Acceptor).fenceAndSnapshot(1)],
    ])
    fresh.catchUp(two, config)
    assert.equal(fresh.catchingUp, false)
    assert.deepEqual(fresh.keyState('k').accepted, ballot(7))
    const low = fresh.receive(prepare(ballot(6), 1))
    assert.ok(low.type === 'reject', 'the promise of 7 was carried over')
  })

  it('restore merges: never lowers a promise or an accepted ballot', () => {
    const keyStateArb = fc
      .record({ p: fc.nat(20), a: fc.nat(20), who: fc.constantFrom('x', 'y'), v: fc.string() })
      .map(({ p, a, who, v }): KeyState => {
        const accepted = ballot(Math.min(a, p), who)
        return {
          promised: ballot(p, who),
          accepted,
          state: a === 0 ? ABSENT : { value: encode(`${accepted.counter}${who}${v}`), version: 1 },
        }
      })
    fc.assert(
      fc.property(keyStateArb, keyStateArb, (x, y) => {
        const merged = mergeKeyStates(x, y)
        for (const input of [x, y]) {
          assert.ok(compareBallots(merged.promised, input.promised) >= 0)
          assert.ok(compareBallots(merged.accepted, input.accepted) >= 0)
        }
        assert.ok(compareBallots(merged.promised, merged.accepted) >= 0)
        const source = compareBallots(x.accepted, y.accepted) >= 0 ? x : y
        assert.equal(merged.state, source.state, 'the value travels with its ballot')
        assert.deepEqual(mergeKeyStates(y, x).promised, merged.promised)
      }),
    )
  })

  it('acceptorStep is the same machine as a pure function, for nodes that store key states', () => {
    const context = { id: 'a', epoch: 0, highestCounter: 0, catchingUp: false, maxBallotJump: 10 }
    const promised = acceptorStep(EMPTY_KEY_STATE, prepare(ballot(3)), context)
    assert.equal(promised.reply.type, 'promise')
    assert.deepEqual(promised.keyState?.promised, ballot(3))
    assert.equal(promised.highestCounter, 3)
    assert.deepEqual(EMPTY_KEY_STATE.promised.counter, 0, 'the input is not modified')
    const stored = promised.keyState as KeyState
    const refused = acceptorStep(stored, prepare(ballot(2)), { ...context, highestCounter: 3 })
    assert.equal(refused.reply.type, 'reject')
    assert.equal(refused.keyState, undefined, 'nothing to persist')
    const accepted = acceptorStep(stored, accept(ballot(3), 'v'), { ...context, highestCounter: 3 })
    assert.equal(accepted.reply.type, 'accepted')
    assert.deepEqual(accepted.keyState?.accepted, ballot(3))
  })

  it('snapshot and restore round-trip', () => {
    const a = new Acceptor({ id: 'a' })
    a.receive(prepare(ballot(2), 0, 'k1'))
    a.receive(accept(ballot(2), 'one', 0, 'k1'))
    a.receive(prepare(ballot(3), 0, 'k2'))
    const b = new Acceptor({ id: 'b' })
    b.restore(structuredClone(a.snapshot()))
    assert.deepEqual(b.snapshot(), a.snapshot())
  })
})
