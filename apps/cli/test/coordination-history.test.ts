import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type FencedWrite, type Grant, lockViolations } from './coordination-history.js'

const grant = (holder: string, token: number, invokedAt: number, completedAt: number): Grant => ({
  holder,
  token,
  invokedAt,
  completedAt,
})
const write = (
  holder: string,
  token: number,
  invokedAt: number,
  completedAt: number,
  status: FencedWrite['status'] = 'ok',
): FencedWrite => ({ holder, token, invokedAt, completedAt, status })

// the lock checker of the coordination fault test, on good and bad histories
describe('lockViolations', () => {
  it('accepts tokens that grow, and a holder given its own grant again', () => {
    const grants = [grant('a', 1, 0, 1), grant('b', 2, 2, 3), grant('b', 2, 4, 5)]
    const writes = [write('a', 1, 1, 2), write('b', 2, 3, 4), write('a', 1, 6, 7, 'fenced')]
    assert.deepEqual(lockViolations(grants, writes), [])
  })

  it('finds a token granted to two holders', () => {
    const found = lockViolations([grant('a', 3, 0, 1), grant('b', 3, 2, 3)], [])
    assert.ok(
      found.some((f) => f.includes('granted to a and to b')),
      found.join('; '),
    )
  })

  it('finds a token that did not grow after an earlier grant completed', () => {
    const found = lockViolations([grant('a', 5, 0, 1), grant('b', 4, 2, 3)], [])
    assert.ok(
      found.some((f) => f.includes('b got token 4 after a had got 5')),
      found.join('; '),
    )
  })

  it('finds a write fenced with an older token going through after a newer one', () => {
    const found = lockViolations([], [write('b', 2, 0, 1), write('a', 1, 2, 3)])
    assert.ok(found.some((f) => f.includes('fenced with 1 (a) went through after one with 2 (b)')))
  })
})
