import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { beginChange, changeOf, isQuorum, Proposer, read, update } from '../src/index.js'
import { thriftyTargets } from '../src/thrifty-targets.js'
import { acceptorsNamed, decode, encode, runRound, runUntilDecided } from './helpers.js'

const config = { epoch: 0, members: ['a', 'b', 'c'] }
const put = (text: string) => update(() => encode(text))

describe('thrifty phases: a quorum is asked, the others only when needed', () => {
  it('asks itself and one other acceptor per phase, and decides', () => {
    const acceptors = acceptorsNamed('a', 'b', 'c')
    const p = new Proposer({ id: 'a', thrifty: true })
    const { step } = p.start('k', changeOf(put('x')), config)
    const asked = step.messages.map((m) => m.to)
    assert.equal(asked.length, 2)
    assert.ok(asked.includes('a'), 'its own acceptor first')
    const round = runRound(p, acceptors, 'k', put('y'), config)
    assert.equal(round.outcome?.kind, 'decided')
    const seen = runUntilDecided(new Proposer({ id: 'q' }), acceptors, 'k', read(), config)
    assert.equal(decode(seen?.state.value), 'y')
  })

  it('asks the rest when one refuses, and asks the refuser last afterwards', () => {
    const p = new Proposer({ id: 'a', thrifty: true })
    const first = p.start('k', changeOf(put('x')), config)
    const other = first.step.messages.map((m) => m.to).find((to) => to !== 'a') as string
    const rest = ['b', 'c'].find((id) => id !== other) as string
    // the other acceptor refuses (as the round driver reports an unreachable one)
    const message = first.step.messages.find((m) => m.to === other)?.message
    assert.ok(message !== undefined)
    const refusal = p.receive({
      type: 'reject',
      phase: 1,
      key: 'k',
      ballot: message.ballot,
      round: first.round,
      from: other,
      code: 'ERR_CATCHING_UP',
      highest: { counter: 0, proposer: '' },
      epoch: 0,
    })
    assert.deepEqual(
      refusal.messages.map((m) => m.to),
      [rest],
    )
    const next = p.start('k2', changeOf(put('z')), config)
    assert.deepEqual(next.step.messages.map((m) => m.to).sort(), ['a', rest].sort())
  })

  it('expand asks the acceptors not asked yet; a finished round asks nobody', () => {
    const acceptors = acceptorsNamed('a', 'b', 'c')
    const p = new Proposer({ id: 'a', thrifty: true })
    const { round, step } = p.start('k', changeOf(put('x')), config)
    const expanded = p.expand(round)
    assert.equal(step.messages.length + expanded.messages.length, 3)
    assert.deepEqual(p.expand(round).messages, [], 'each acceptor is asked once per phase')
    const done = runRound(p, acceptors, 'k2', put('y'), config)
    assert.equal(done.outcome?.kind, 'decided')
    assert.deepEqual(p.expand(12345).messages, [])
  })

  it('keeps the fast path: the next round on the key is one accept to a quorum', () => {
    const acceptors = acceptorsNamed('a', 'b', 'c')
    const p = new Proposer({ id: 'a', thrifty: true, fastPath: true })
    runRound(p, acceptors, 'k', put('x'), config)
    const { step } = p.start('k', changeOf(put('y')), config)
    assert.deepEqual(
      step.messages.map((m) => m.message.type),
      ['accept', 'accept'],
    )
  })

  it('puts the heir it is given in every phase, the fast path too, even after it refused', () => {
    for (const heir of ['b', 'c']) {
      const acceptors = acceptorsNamed('a', 'b', 'c')
      const p = new Proposer({ id: 'a', thrifty: true, fastPath: true })
      for (const key of ['k1', 'k2', 'k3', 'k4', 'k5']) {
        for (let i = 0; i < 2; i++) {
          // the second round on a key is the fast path's lone phase 2
          const { round, step } = p.start(key, changeOf(put(`${i}`)), config, { first: [heir] })
          assert.deepEqual(step.messages.map((m) => m.to).sort(), ['a', heir], `${key} #${i}`)
          let pending = step.messages
          for (let hop = 0; pending.length > 0 && hop < 10; hop++) {
            const next: (typeof pending)[number][] = []
            for (const { to, message } of pending) {
              const acceptor = acceptors.get(to)
              assert.ok(acceptor !== undefined)
              const reply = acceptor.receive(message)
              const answered = p.receive(reply)
              for (const m of answered.messages) {
                assert.ok(m.to === 'a' || m.to === heir, `phase 2 asks ${m.to}`)
                next.push(m)
              }
            }
            pending = next
          }
          assert.deepEqual(p.expand(round).messages, [], `round ${round} decided`)
        }
      }
    }
    // an heir that refused a moment ago is still asked (another acceptor would be asked last)
    const p = new Proposer({ id: 'a', thrifty: true })
    const started = p.start('k', changeOf(put('x')), config, { first: ['b'] })
    const message = started.step.messages.find((m) => m.to === 'b')?.message
    assert.ok(message !== undefined)
    p.receive({
      type: 'reject',
      phase: 1,
      key: 'k',
      ballot: message.ballot,
      round: started.round,
      from: 'b',
      code: 'ERR_CATCHING_UP',
      highest: { counter: 0, proposer: '' },
      epoch: 0,
    })
    const later = p.start('k2', changeOf(put('y')), config, { first: ['b'] })
    assert.deepEqual(later.step.messages.map((m) => m.to).sort(), ['a', 'b'])
  })

  it('a proposer that is not an acceptor spreads its keys over the acceptors', () => {
    const asked = new Map<string, number>()
    for (let i = 0; i < 300; i++) {
      const targets = thriftyTargets(config, config.members, {
        self: 'p',
        first: [],
        prefer: [],
        avoid: new Set(),
        key: `key-${i}`,
        isQuorum,
      })
      assert.equal(targets.length, 2)
      for (const id of targets) asked.set(id, (asked.get(id) ?? 0) + 1)
    }
    for (const id of config.members)
      assert.ok((asked.get(id) ?? 0) > 120, `${id}: ${asked.get(id)}`)
  })

  it('with more sets to cover (`also`), asks a majority of each', () => {
    const unsure = { epoch: 0, members: ['a', 'b', 'c'], also: [['a', 'c', 'd']] }
    assert.equal(isQuorum(unsure, new Set(['a', 'b'])), false, 'not a majority of a, c, d')
    assert.equal(isQuorum(unsure, new Set(['a', 'c'])), true)
    const targets = thriftyTargets(unsure, ['a', 'b', 'c', 'd'], {
      self: 'b',
      first: [],
      prefer: [],
      avoid: new Set(),
      key: 'k',
      isQuorum,
    })
    assert.ok(isQuorum(unsure, new Set(targets)), targets.join())
    const acceptors = acceptorsNamed('a', 'b', 'c', 'd')
    const p = new Proposer({ id: 'b', thrifty: true })
    assert.equal(runRound(p, acceptors, 'k', put('x'), unsure).outcome?.kind, 'decided')
  })

  it('under a joint configuration, asks a quorum of both sets', () => {
    const joint = beginChange(config, ['b', 'c', 'd'])
    const targets = thriftyTargets(joint, ['a', 'b', 'c', 'd'], {
      self: 'a',
      first: [],
      prefer: [],
      avoid: new Set(),
      key: 'k',
      isQuorum,
    })
    assert.ok(isQuorum(joint, new Set(targets)))
  })
})
