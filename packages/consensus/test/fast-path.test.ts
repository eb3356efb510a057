import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { changeOf, Proposer, read, update } from '../src/index.js'
import { acceptorsNamed, decode, encode, runRound, runUntilDecided } from './helpers.js'

const config = { epoch: 0, members: ['a', 'b', 'c'] }
const append = (text: string) => update((value) => encode(`${decode(value) ?? ''}${text}`))

describe('one-round-trip fast path', () => {
  it('skips phase 1 after a decided round on the same key and configuration', () => {
    const acceptors = acceptorsNamed('a', 'b', 'c')
    const p = new Proposer({ id: 'p', fastPath: true })
    runRound(p, acceptors, 'k', append('x'), config)
    const { step } = p.start('k', changeOf(append('y')), config)
    assert.deepEqual(
      step.messages.map((m) => m.message.type),
      ['accept', 'accept', 'accept'],
    )
    for (const { to, message } of step.messages) {
      const reply = acceptors.get(to)?.receive(message)
      if (reply !== undefined) p.receive(reply)
    }
    const after = runUntilDecided(new Proposer({ id: 'q' }), acceptors, 'k', read(), config)
    assert.equal(decode(after?.state.value), 'xy')
    assert.equal(after?.state.version, 2)
    // A different configuration (or key) goes through phase 1 again.
    const other = p.start('k', changeOf(read()), { epoch: 1, members: ['a', 'b', 'c'] })
    assert.equal(other.step.messages[0]?.message.type, 'prepare')
  })

  it('a rival in between makes the fast round fail in phase 2, and nothing is lost', () => {
    const acceptors = acceptorsNamed('a', 'b', 'c')
    const p = new Proposer({ id: 'p', fastPath: true })
    runRound(p, acceptors, 'k', append('x'), config)
    const rival = runUntilDecided(new Proposer({ id: 'q' }), acceptors, 'k', append('q'), config)
    assert.equal(decode(rival?.state.value), 'xq')
    const fast = runRound(p, acceptors, 'k', append('y'), config)
    assert.equal(fast.outcome?.kind, 'indeterminate')
    const after = runUntilDecided(new Proposer({ id: 'r' }), acceptors, 'k', read(), config)
    assert.equal(decode(after?.state.value), 'xq')
  })

  it('never reuses a promised ballot when rounds on a key overlap', () => {
    const acceptors = acceptorsNamed('a', 'b', 'c')
    const p = new Proposer({ id: 'p', fastPath: true })
    const first = p.start('k', changeOf(append('x')), config)
    const second = p.start('k', changeOf(append('y')), config)
    // Finish the first round only; the second started meanwhile with the next counter.
    let pending = [...first.step.messages]
    while (pending.length > 0) {
      const next = []
      for (const { to, message } of pending) {
        const reply = acceptors.get(to)?.receive(message)
        if (reply !== undefined) next.push(...p.receive(reply).messages)
      }
      pending = next
    }
    assert.equal(second.step.messages[0]?.message.type, 'prepare')
    const third = p.start('k', changeOf(read()), config)
    assert.equal(third.step.messages[0]?.message.type, 'prepare', 'no fast path was kept')
  })
})

describe('fast path and restarts', () => {
  it('a restarted proposer (same id, counters forgotten) is never promised a used ballot', () => {
    const acceptors = acceptorsNamed('a', 'b', 'c')
    const before = new Proposer({ id: 'p', fastPath: true })
    runRound(before, acceptors, 'k', append('x'), config) // a, b, c promised p's next ballot
    // The old process's fast accept of 'y' reaches only a; then it dies.
    const fast = before.start('k', changeOf(append('y')), config)
    const toA = fast.step.messages.find((m) => m.to === 'a')
    assert.ok(toA !== undefined)
    acceptors.get('a')?.receive(toA.message)
    const after = new Proposer({ id: 'p', fastPath: true })
    let round = runRound(after, acceptors, 'k', append('z'), config)
    // its first prepare reuses counter 1, below the promise: refused, and it learns
    assert.equal(round.outcome?.kind, 'failed')
    round = runRound(after, acceptors, 'k', append('z'), config)
    assert.equal(round.outcome?.kind, 'decided')
    const ballot = round.outcome?.kind === 'decided' ? round.outcome.ballot : undefined
    assert.ok((ballot?.counter ?? 0) > toA.message.ballot.counter, 'went above the promise')
    const decided = decode(round.result?.state.value)
    assert.ok(decided === 'xz' || decided === 'xyz', decided)
    const seen = runUntilDecided(new Proposer({ id: 'q' }), acceptors, 'k', read(), config)
    assert.equal(decode(seen?.state.value), decided)
  })

  it('keeps at most maxPrepared keys on the fast path, and forgets on demand', () => {
    const acceptors = acceptorsNamed('a', 'b', 'c')
    const p = new Proposer({ id: 'p', fastPath: true, maxPrepared: 2 })
    for (const key of ['k1', 'k2', 'k3']) runRound(p, acceptors, key, append('x'), config)
    const first = (key: string) => p.start(key, changeOf(read()), config).step.messages[0]
    assert.equal(first('k1')?.message.type, 'prepare', 'the least recent key was dropped')
    p.forgetPrepared('k2')
    assert.equal(first('k2')?.message.type, 'prepare')
    assert.equal(first('k3')?.message.type, 'accept')
  })

  it('keeps at most maxPreparedBytes of values on the fast path', () => {
    const acceptors = acceptorsNamed('a', 'b', 'c')
    const p = new Proposer({ id: 'p', fastPath: true, maxPreparedBytes: 5 })
    const put = (text: string) => update(() => encode(text))
    runRound(p, acceptors, 'small', put('abc'), config)
    runRound(p, acceptors, 'big', put('too long to keep'), config)
    runRound(p, acceptors, 'other', put('de'), config)
    const first = (key: string) => p.start(key, changeOf(read()), config).step.messages[0]
    assert.equal(first('big')?.message.type, 'prepare', 'a value above the bound is not kept')
    assert.equal(first('small')?.message.type, 'accept')
    assert.equal(first('other')?.message.type, 'accept')
  })
})
