import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import {
  ABSENT,
  acquireLock,
  CorruptValueError,
  changeOf,
  decodeLockState,
  encodeLockState,
  FREE_LOCK,
  isHeldBy,
  type LockState,
  lockOperation,
  releaseLock,
  renewLock,
} from '../src/index.js'
import { encode } from './helpers.js'

describe('lease locks', () => {
  it('grants, renews, refuses others, and grants again after expiry with a higher token', () => {
    const a = { holder: 'a', now: 0, leaseDuration: 100 }
    let lock = acquireLock(FREE_LOCK, a)
    assert.deepEqual(lock, { holder: 'a', token: 1, leaseExpiresAt: 100 })
    assert.equal(acquireLock(lock, { holder: 'b', now: 50, leaseDuration: 100 }), lock)
    lock = renewLock(lock, { ...a, now: 60 })
    assert.deepEqual(lock, { holder: 'a', token: 1, leaseExpiresAt: 160 })
    assert.equal(renewLock(lock, { holder: 'b', now: 70, leaseDuration: 100 }), lock)
    lock = acquireLock(lock, { holder: 'b', now: 160, leaseDuration: 100 })
    assert.deepEqual(lock, { holder: 'b', token: 2, leaseExpiresAt: 260 })
    assert.equal(renewLock(lock, { ...a, now: 170 }).holder, 'b', 'a lost it')
    lock = releaseLock(lock, 'b', 2)
    assert.ok(!isHeldBy(lock, 'b', 170))
    assert.equal(acquireLock(lock, { ...a, now: 171 }).token, 3)
  })

  it('tokens strictly increase with every grant; never two valid holders', () => {
    const action = fc.record({
      kind: fc.constantFrom('acquire', 'renew', 'release'),
      holder: fc.constantFrom('a', 'b', 'c'),
      advance: fc.nat(80),
    })
    fc.assert(
      fc.property(fc.array(action, { maxLength: 60 }), (actions) => {
        let lock: LockState = FREE_LOCK
        let now = 0
        for (const { kind, holder, advance } of actions) {
          now += advance
          const request = { holder, now, leaseDuration: 100 }
          const before = lock
          lock =
            kind === 'acquire'
              ? acquireLock(lock, request)
              : kind === 'renew'
                ? renewLock(lock, request)
                : releaseLock(lock, holder, lock.token)
          if (lock.token !== before.token) {
            assert.equal(lock.token, before.token + 1, 'one grant, one token')
            assert.ok(!isHeldBy(before, before.holder ?? '', now), 'granted only when free')
          }
          const holders = ['a', 'b', 'c'].filter((h) => isHeldBy(lock, h, now))
          assert.ok(holders.length <= 1)
        }
      }),
    )
  })

  it('runs as a register operation and rejects foreign bytes', () => {
    const change = changeOf(
      lockOperation((s) => acquireLock(s, { holder: 'a', now: 5, leaseDuration: 10 })),
    )
    const next = change(ABSENT)
    assert.equal(next.version, 1)
    assert.deepEqual(decodeLockState(next.value), { holder: 'a', token: 1, leaseExpiresAt: 15 })
    assert.deepEqual(decodeLockState(encodeLockState(FREE_LOCK)), FREE_LOCK)
    assert.throws(() => decodeLockState(encode('nope')), CorruptValueError)
  })
})
