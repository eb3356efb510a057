import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ABSENT, type ProposerMessage, type RegisterState } from '@ringdht/consensus'
import type { RegisterOp } from '@ringdht/protocol'
import {
  decodeKeyState,
  encodeKeyState,
  keyBytes,
  keyString,
  proposerMessageFromWire,
  proposerMessageToWire,
  replyFromWire,
  replyToWire,
} from '../../src/coordination/paxos-wire.js'
import {
  lockKey,
  openEnvelope,
  prepareOp,
  REGISTER_OP,
  sealEnvelope,
} from '../../src/coordination/register-ops.js'
import { FencedError, InvalidInputError, LockNotHeldError } from '../../src/index.js'

const bytes = (s: string) => new TextEncoder().encode(s) as Uint8Array<ArrayBuffer>
const text = (b: Uint8Array | undefined) =>
  b === undefined ? undefined : new TextDecoder().decode(b)
const op = (fields: Partial<RegisterOp> & Pick<RegisterOp, 'kind'>): RegisterOp => ({
  holder: '',
  ttlMs: 0n,
  token: 0n,
  ...fields,
})

/** Run `operation` on `state` as a decided round would: change, then result. */
function apply(key: Uint8Array, operation: RegisterOp, state: RegisterState, now = 1000) {
  const prepared = prepareOp(key, operation, () => now)
  const next = prepared.change(state)
  return { next, result: prepared.result(state, next) }
}

describe('register operations, as the proposer runs them', () => {
  it('keeps the value and the highest fence in an envelope; absent with no fence is no bytes', () => {
    assert.equal(sealEnvelope({ value: undefined, fence: 0 }), undefined)
    for (const envelope of [
      { value: bytes(''), fence: 0 },
      { value: bytes('v'), fence: 7 },
      { value: undefined, fence: 3 },
    ]) {
      const opened = openEnvelope(sealEnvelope(envelope))
      assert.equal(opened.fence, envelope.fence)
      assert.deepEqual(
        opened.value === undefined ? undefined : [...opened.value],
        envelope.value === undefined ? undefined : [...envelope.value],
      )
    }
    assert.throws(() => openEnvelope(bytes('not an envelope')), InvalidInputError)
  })

  it('cas sets only from the expected value, and a fence below the highest seen is refused', () => {
    const key = bytes('k')
    const first = apply(key, op({ kind: REGISTER_OP.cas, next: bytes('a'), token: 5n }), ABSENT)
    assert.equal(first.result.succeeded, true)
    assert.equal(first.next.version, 1)
    const miss = apply(
      key,
      op({ kind: REGISTER_OP.cas, expected: bytes('x'), next: bytes('b') }),
      first.next,
    )
    assert.equal(miss.result.succeeded, false)
    assert.equal(miss.next, first.next, 'a cas that did not match changes nothing')
    assert.throws(
      () =>
        apply(
          key,
          op({ kind: REGISTER_OP.cas, expected: bytes('a'), next: bytes('b'), token: 4n }),
          first.next,
        ),
      FencedError,
    )
    const unfenced = apply(
      key,
      op({ kind: REGISTER_OP.cas, expected: bytes('a'), next: bytes('b') }),
      first.next,
    )
    assert.equal(text(unfenced.result.value), 'b')
    assert.equal(openEnvelope(unfenced.next.value).fence, 5, 'the fence stays')
    assert.throws(
      () => prepareOp(bytes('\u0000x'), op({ kind: REGISTER_OP.cas }), Date.now),
      InvalidInputError,
    )
    assert.throws(() => prepareOp(key, op({ kind: 99 }), Date.now), InvalidInputError)
    assert.throws(() => prepareOp(key, undefined, Date.now), InvalidInputError)
  })

  it('grants a lock with a new token, renews the holder, frees it on release, refuses others', () => {
    const key = lockKey(bytes('l'))
    const acquire = (holder: string, now: number, state: RegisterState) =>
      apply(key, op({ kind: REGISTER_OP.acquire, holder, ttlMs: 1000n }), state, now)
    const a = acquire('a', 0, ABSENT)
    assert.equal(a.result.succeeded, true)
    assert.equal(a.result.token, 1n)
    const b = acquire('b', 500, a.next)
    assert.equal(b.result.succeeded, false, 'held by a until 1000')
    assert.equal(b.result.holder, 'a')
    const again = acquire('a', 600, a.next)
    assert.equal(again.result.token, 1n, 'a renewal keeps the token')
    const late = acquire('b', 1700, again.next)
    assert.equal(late.result.token, 2n, 'after the lease, the next grant has a higher token')
    assert.throws(
      () => apply(key, op({ kind: REGISTER_OP.release, holder: 'a', token: 1n }), late.next, 1800),
      LockNotHeldError,
    )
    const released = apply(
      key,
      op({ kind: REGISTER_OP.release, holder: 'b', token: 2n }),
      late.next,
      1800,
    )
    assert.equal(released.result.succeeded, true)
    const repeated = apply(
      key,
      op({ kind: REGISTER_OP.release, holder: 'b', token: 2n }),
      released.next,
      1900,
    )
    assert.equal(repeated.result.succeeded, true, 'a release answered twice is still a release')
    assert.equal(acquire('c', 1900, released.next).result.token, 3n)
    assert.throws(
      () => prepareOp(key, op({ kind: REGISTER_OP.acquire, holder: 'a', ttlMs: 0n }), Date.now),
      InvalidInputError,
    )
    assert.throws(
      () => prepareOp(key, op({ kind: REGISTER_OP.acquire, holder: '', ttlMs: 1000n }), Date.now),
      InvalidInputError,
    )
    assert.throws(
      () =>
        prepareOp(
          bytes('plain'),
          op({ kind: REGISTER_OP.acquire, holder: 'a', ttlMs: 1000n }),
          Date.now,
        ),
      InvalidInputError,
    )
  })
})

describe('paxos messages on the wire and on disk', () => {
  it('round-trips prepares, accepts, answers and key states', () => {
    const key = keyString(bytes('any key'))
    assert.equal(text(keyBytes(key)), 'any key')
    const ballot = { counter: 7, proposer: 'p' }
    const messages: ProposerMessage[] = [
      { type: 'prepare', key, ballot, epoch: 0, round: 3 },
      {
        type: 'accept',
        key,
        ballot,
        epoch: 0,
        round: 4,
        state: { value: bytes('v'), version: 2 },
        promiseNext: undefined,
      },
    ]
    for (const message of messages) {
      assert.deepEqual(proposerMessageFromWire(key, proposerMessageToWire(message)), message)
    }
    const promise = {
      type: 'promise',
      key,
      ballot,
      round: 3,
      from: 'a',
      accepted: { counter: 5, proposer: 'q' },
      state: { value: undefined, version: 0 },
    } as const
    assert.deepEqual(replyFromWire(key, 'a', replyToWire(promise)), promise)
    const reject = {
      type: 'reject',
      phase: 2,
      key,
      ballot,
      round: 4,
      from: 'a',
      code: 'ERR_BALLOT_CONFLICT',
      highest: { counter: 9, proposer: 'r' },
      epoch: 0,
    } as const
    assert.deepEqual(replyFromWire(key, 'a', replyToWire(reject)), reject)
    const state = {
      promised: { counter: 9, proposer: 'r' },
      accepted: ballot,
      state: { value: bytes('x'), version: 4 },
    }
    assert.deepEqual(decodeKeyState(encodeKeyState(state)), state)
  })

  it('refuses what is not a prepare or an accept, and counters beyond a safe integer', () => {
    const key = keyString(bytes('k'))
    const base = { epoch: 0n, round: 1, code: '', phase: 0 }
    assert.throws(() => proposerMessageFromWire(key, undefined), InvalidInputError)
    assert.throws(() => proposerMessageFromWire(key, { ...base, kind: 1 }), InvalidInputError)
    assert.throws(
      () =>
        proposerMessageFromWire(key, { ...base, kind: 1, ballot: { counter: 0n, proposer: 'p' } }),
      InvalidInputError,
    )
    assert.throws(
      () =>
        proposerMessageFromWire(key, {
          ...base,
          kind: 1,
          ballot: { counter: 1n << 60n, proposer: 'p' },
        }),
      InvalidInputError,
    )
    assert.throws(
      () =>
        proposerMessageFromWire(key, { ...base, kind: 2, ballot: { counter: 1n, proposer: 'p' } }),
      InvalidInputError,
    )
    assert.throws(
      () =>
        proposerMessageFromWire(key, { ...base, kind: 3, ballot: { counter: 1n, proposer: 'p' } }),
      InvalidInputError,
    )
  })
})
