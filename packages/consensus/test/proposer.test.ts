import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  beginChange,
  cas,
  finishChange,
  InvalidConfigurationError,
  isQuorum,
  isQuorumImpossible,
  Proposer,
  REJECT_CODES,
  read,
  update,
} from '../src/index.js'
import { acceptorsNamed, decode, encode, runRound } from './helpers.js'

const stable = { epoch: 0, members: ['a', 'b', 'c'] }

describe('Proposer', () => {
  it('decides with a majority and carries the value to the next proposer', () => {
    const acceptors = acceptorsNamed('a', 'b', 'c')
    const p1 = new Proposer({ id: 'p1' })
    const p2 = new Proposer({ id: 'p2' })
    const onlyAB = (id: string) => id !== 'c'
    const onlyBC = (id: string) => id !== 'a'
    const first = runRound(p1, acceptors, 'k', cas(undefined, encode('one')), stable, onlyAB)
    assert.equal(first.result?.succeeded, true)
    assert.equal(first.result?.state.version, 1)
    // p2 talks to b and c only; b carries the accepted value.
    const second = runRound(p2, acceptors, 'k', read(), stable, onlyBC)
    assert.equal(decode(second.result?.state.value), 'one')
    assert.equal(second.result?.state.version, 1)
  })

  it('fails in phase 1 without a majority (definite, nothing proposed)', () => {
    const acceptors = acceptorsNamed('a', 'b', 'c')
    const p = new Proposer({ id: 'p' })
    const { outcome } = runRound(p, acceptors, 'k', read(), stable, (id) => id === 'a')
    assert.equal(outcome, undefined, 'no answer from a majority: the caller times out')
    assert.deepEqual(p.abandon(1), { kind: 'failed', code: 'ERR_TIMEOUT', epoch: 0 })
  })

  it('catches up after a conflict: the next ballot is above the highest seen', () => {
    const acceptors = acceptorsNamed('a', 'b', 'c')
    const fast = new Proposer({ id: 'z' })
    for (let i = 0; i < 5; i++)
      runRound(
        fast,
        acceptors,
        'k',
        update(() => encode(`${i}`)),
        stable,
      )
    const slow = new Proposer({ id: 'a' })
    const refused = runRound(slow, acceptors, 'k', read(), stable)
    assert.equal(refused.outcome?.kind, 'failed')
    const retried = runRound(slow, acceptors, 'k', read(), stable)
    assert.equal(retried.outcome?.kind, 'decided')
    assert.equal(decode(retried.result?.state.value), '4')
    assert.equal(retried.result?.state.version, 5)
  })

  it('counts a duplicated promise once and ignores acceptors outside the configuration', () => {
    const acceptors = acceptorsNamed('a', 'b', 'c', 'x')
    const p = new Proposer({ id: 'p' })
    const { step } = p.start('k', (state) => state, stable)
    const toA = step.messages.find((m) => m.to === 'a')
    assert.ok(toA !== undefined)
    const promise = acceptors.get('a')?.receive(toA.message)
    assert.ok(promise !== undefined)
    assert.equal(p.receive(promise).messages.length, 0)
    assert.equal(p.receive(promise).messages.length, 0, 'the same promise again is no quorum')
    const outsider = acceptors.get('x')?.receive({ ...toA.message })
    assert.ok(outsider !== undefined)
    assert.equal(p.receive(outsider).messages.length, 0, 'x is not a member')
    const toB = step.messages.find((m) => m.to === 'b')
    const fromB = toB === undefined ? undefined : acceptors.get('b')?.receive(toB.message)
    assert.ok(fromB !== undefined)
    assert.equal(p.receive(fromB).messages.length, 3, 'a and b: accept to all three')
  })

  it('a CAS on a mismatch leaves value and version alone', () => {
    const acceptors = acceptorsNamed('a', 'b', 'c')
    const p = new Proposer({ id: 'p' })
    runRound(p, acceptors, 'k', cas(undefined, encode('x')), stable)
    const miss = runRound(p, acceptors, 'k', cas(encode('y'), encode('z')), stable)
    assert.equal(miss.result?.succeeded, false)
    assert.equal(decode(miss.result?.state.value), 'x')
    assert.equal(miss.result?.state.version, 1)
  })

  it('joint quorums need a majority of both replica sets', () => {
    const joint = beginChange(stable, ['a', 'b', 'd'])
    assert.equal(joint.epoch, 1)
    assert.ok(isQuorum(joint, new Set(['a', 'b'])))
    assert.ok(!isQuorum(joint, new Set(['a', 'c'])), 'old majority, new minority')
    assert.ok(!isQuorum(joint, new Set(['b', 'd'])), 'new majority, old minority')
    assert.ok(isQuorum(joint, new Set(['a', 'c', 'd'])))
    assert.ok(isQuorumImpossible(joint, new Set(['a', 'b'])))
    assert.deepEqual(finishChange(joint), { epoch: 2, members: ['a', 'b', 'd'] })
    assert.throws(() => beginChange(joint, ['a']), InvalidConfigurationError)
    assert.throws(() => beginChange(stable, ['a', 'a']), InvalidConfigurationError)

    const acceptors = acceptorsNamed('a', 'b', 'c', 'd')
    const p = new Proposer({ id: 'p' })
    const blocked = runRound(p, acceptors, 'k', read(), joint, (id) => id !== 'a' && id !== 'b')
    assert.equal(blocked.outcome, undefined, 'c and d are not a joint quorum')
  })

  it('stops on a stale epoch so the caller can refresh its configuration', () => {
    const acceptors = acceptorsNamed('a', 'b', 'c', 'd')
    const joint = beginChange(stable, ['a', 'b', 'd'])
    runRound(new Proposer({ id: 'new' }), acceptors, 'k', read(), joint)
    const { outcome } = runRound(new Proposer({ id: 'old' }), acceptors, 'k', read(), stable)
    assert.deepEqual(outcome, { kind: 'failed', code: REJECT_CODES.staleEpoch, epoch: 1 })
  })

  it('reports a phase 2 refusal as indeterminate', () => {
    const acceptors = acceptorsNamed('a', 'b', 'c')
    const p = new Proposer({ id: 'p' })
    let { step } = p.start('k', (s) => s, stable)
    const promises = step.messages.map(({ to, message }) => acceptors.get(to)?.receive(message))
    for (const reply of promises) {
      if (reply === undefined) continue
      const next = p.receive(reply)
      if (next.messages.length > 0) step = next
    }
    // A rival prepares a higher ballot everywhere before our accepts arrive.
    runRound(new Proposer({ id: 'q' }), acceptors, 'k', read(), stable, (id) => id !== 'a')
    let outcome: unknown
    for (const { to, message } of step.messages) {
      const reply = acceptors.get(to)?.receive(message)
      if (reply !== undefined) outcome = p.receive(reply).outcome ?? outcome
    }
    assert.deepEqual(outcome, { kind: 'indeterminate', code: REJECT_CODES.conflict })
  })
})
