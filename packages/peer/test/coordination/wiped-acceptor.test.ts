import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  type AcceptorReply,
  type Configuration,
  Proposer,
  REJECT_CODES,
  type RegisterState,
  type RoundOutcome,
  type RoundStep,
} from '@ringdht/consensus'
import { MemoryTable } from '@ringdht/store'
import { DurableAcceptor } from '../../src/coordination/durable-acceptor.js'

const KEY = '6b6579'
const CONFIG: Configuration = { epoch: 0, members: ['a', 'b', 'c'] }
const value = (s: string) => new TextEncoder().encode(s)
const text = (state: RegisterState) =>
  state.value === undefined ? undefined : new TextDecoder().decode(state.value)

/**
 * One CASPaxos round from `proposer` over the acceptors that are up; the others do not
 * answer (counted as refusals, as the round driver counts them).
 */
async function round(
  proposer: Proposer,
  up: Map<string, DurableAcceptor>,
  change: (s: RegisterState) => RegisterState,
  config: Configuration = CONFIG,
): Promise<RoundOutcome> {
  const started = proposer.start(KEY, change, config)
  let pending: RoundStep[] = [started.step]
  for (;;) {
    const next: RoundStep[] = []
    for (const step of pending) {
      if (step.outcome !== undefined) return step.outcome
      for (const { to, message } of step.messages) {
        const acceptor = up.get(to)
        const reply: AcceptorReply =
          acceptor === undefined
            ? {
                type: 'reject',
                phase: message.type === 'prepare' ? 1 : 2,
                key: KEY,
                ballot: message.ballot,
                round: message.round,
                from: to,
                code: REJECT_CODES.catchingUp,
                highest: message.ballot,
                epoch: 0,
              }
            : await acceptor.receive(message)
        next.push(proposer.receive(reply))
      }
    }
    pending = next
  }
}

const read = (s: RegisterState) => s
/** Rounds until one is decided (a refused prepare teaches the proposer the ballot to beat). */
async function decide(run: () => Promise<RoundOutcome>): Promise<RoundOutcome> {
  let outcome = await run()
  for (let i = 0; i < 5 && outcome.kind !== 'decided'; i++) outcome = await run()
  return outcome
}
const decided = (outcome: RoundOutcome) => {
  assert.equal(outcome.kind, 'decided')
  if (outcome.kind !== 'decided') throw new Error('not decided')
  return { ballot: outcome.ballot, state: outcome.next }
}
const write = (v: string) => (s: RegisterState) => ({ value: value(v), version: s.version + 1 })

describe('an acceptor whose coordination state was lost (same identity)', () => {
  it('does not vote until the key was decided without it; a naive one loses a chosen write', async () => {
    for (const guarded of [false, true]) {
      const tables = { a: new MemoryTable(), b: new MemoryTable(), c: new MemoryTable() }
      const open = (id: 'a' | 'b' | 'c', identityIsNew: boolean) =>
        new DurableAcceptor(tables[id], { id, identityIsNew })
      const a = open('a', true)
      const c = open('c', true)
      let b = open('b', true)
      const proposer = new Proposer({ id: 'p' })
      // c is down: the write is chosen by {a, b}
      const written = await round(
        proposer,
        new Map([
          ['a', a],
          ['b', b],
        ]),
        write('v1'),
      )
      assert.equal(written.kind, 'decided')
      // b loses its table and restarts under its old identity; a goes down
      tables.b = new MemoryTable()
      b = open('b', !guarded) // unguarded: the old behaviour, an empty table taken for a new one
      const afterLoss = await round(
        proposer,
        new Map([
          ['b', b],
          ['c', c],
        ]),
        read,
      )
      if (!guarded) {
        // {b, c} both "never accepted anything": the chosen v1 is gone
        assert.equal(afterLoss.kind, 'decided')
        assert.equal(afterLoss.kind === 'decided' ? text(afterLoss.next) : '', undefined)
        continue
      }
      assert.equal(b.catchingUp, true)
      assert.equal(afterLoss.kind, 'failed', 'b refuses to vote while it has not caught up')
      // a is back: the key is decided by {a, c} (b still refuses), and b may then vote
      const caughtUp = await round(
        proposer,
        new Map([
          ['a', a],
          ['b', b],
          ['c', c],
        ]),
        read,
      )
      assert.equal(caughtUp.kind, 'decided')
      assert.equal(caughtUp.kind === 'decided' ? text(caughtUp.next) : '', 'v1')
      await b.caughtUp(KEY, decided(caughtUp))
      // now a majority with b in it: {b, c} sees v1 (c accepted it in the catch-up read)
      const withB = await round(
        proposer,
        new Map([
          ['b', b],
          ['c', c],
        ]),
        read,
      )
      assert.equal(withB.kind === 'decided' ? text(withB.next) : withB.kind, 'v1')
      // the standing is on disk: reopened, b still refuses keys it has not caught up
      const reopened = open('b', false)
      assert.equal(reopened.catchingUp, true)
      const other = await reopened.receive({
        type: 'prepare',
        key: 'ff',
        ballot: { counter: 99, proposer: 'p' },
        epoch: 0,
        round: 1,
      })
      assert.equal(other.type === 'reject' ? other.code : other.type, REJECT_CODES.catchingUp)
    }
  })

  it('takes an empty table for a new acceptor under a new identity, and an old table as whole', async () => {
    assert.equal(new DurableAcceptor(new MemoryTable(), { id: 'n' }).catchingUp, false)
    const table = new MemoryTable()
    const first = new DurableAcceptor(table, { id: 'n', identityIsNew: true })
    await first.receive({
      type: 'prepare',
      key: KEY,
      ballot: { counter: 1, proposer: 'p' },
      epoch: 0,
      round: 1,
    })
    assert.equal(new DurableAcceptor(table, { id: 'n', identityIsNew: false }).catchingUp, false)
  })

  // issue 10: "v18 acknowledged, then v15 read" within a second of a replica's wipe
  it('comes back holding the decided value above every promise it forgot (a stale fast-path proposer)', async () => {
    for (const adopt of [false, true]) {
      const acceptors = new Map(
        ['x', 'w', 'y', 'v'].map((id) => [id, new DurableAcceptor(new MemoryTable(), { id })]),
      )
      const pick = (...ids: string[]) =>
        new Map(ids.map((id) => [id, acceptors.get(id) as DurableAcceptor]))
      // x proposes for the key with {x, w, y} and keeps a promise of its next ballot
      const x = new Proposer({ id: 'x', fastPath: true })
      const old: Configuration = { epoch: 0, members: ['x', 'w', 'y'] }
      decided(await round(x, pick('x', 'w', 'y'), write('v1'), old))
      // x is paused; w took the range over, and after the ring settled its set is {w, y, v}
      const w = new Proposer({ id: 'w' })
      const moved: Configuration = { epoch: 0, members: ['w', 'y', 'v'] }
      decided(await decide(() => round(w, pick('w', 'y'), write('v2'), moved)))
      // y loses its table (same identity) and is caught up by a read decided by {w, v}
      const wiped = new DurableAcceptor(new MemoryTable(), { id: 'y', identityIsNew: false })
      acceptors.set('y', wiped)
      const catchUp = decided(await decide(() => round(w, pick('w', 'y', 'v'), read, moved)))
      assert.equal(text(catchUp.state), 'v2')
      if (adopt) await wiped.caughtUp(KEY, catchUp)
      else
        await wiped.caughtUp(KEY, {
          ballot: { counter: 0, proposer: '' },
          state: { value: undefined, version: 0 },
        })
      // x resumes with its old view and its cached promise; w is slow to answer
      // (its fast round is refused by y, so it runs a full round, which a real read retries)
      const seen = await decide(() => round(x, pick('x', 'y'), read, old))
      const value = seen.kind === 'decided' ? text(seen.next) : seen.kind
      if (adopt) assert.equal(value, 'v2', 'the acknowledged v2 is what x reads')
      else assert.equal(value, 'v1', 'an empty caught-up acceptor lets the stale x decide v1 again')
    }
  })
})
