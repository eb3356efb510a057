import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { check, passes } from '../scripts/faults/checker.js'
import type { Operation } from '../scripts/faults/history.js'

const put = (key: string, seq: number, start: number, end: number, ok = true): Operation => ({
  kind: 'put',
  key,
  seq,
  start,
  end,
  outcome: ok ? 'ok' : 'fail',
  phase: 'load',
})
const get = (
  key: string,
  read: number | null,
  start: number,
  phase: Operation['phase'] = 'load',
): Operation => ({ kind: 'get', key, read, start, end: start + 1, outcome: 'ok', phase })

describe('the fault-suite checker', () => {
  it('passes a correct history, including a failed write that was applied after all', () => {
    const verdict = check([
      put('a', 1, 0, 5),
      get('a', 1, 6),
      put('a', 2, 10, 20, false), // failed, but may have been applied
      get('a', 2, 21),
      get('a', 1, 22), // the failed write is not acknowledged: reading 1 again is allowed
      put('a', 3, 30, 35),
      get('a', 3, 40, 'final'),
    ])
    assert.equal(verdict.acked, 2)
    assert.equal(verdict.failed.count, 1)
    assert.ok(passes(verdict), JSON.stringify(verdict))
  })

  it('finds a stale read: an older write after a newer one was acknowledged', () => {
    const verdict = check([put('a', 1, 0, 5), put('a', 2, 6, 10), get('a', 1, 11)])
    assert.equal(verdict.stale.length, 1)
    assert.equal(passes(verdict), false)
  })

  it('does not call a read concurrent with the write stale', () => {
    const verdict = check([put('a', 1, 0, 5), put('a', 2, 6, 10), get('a', 1, 8)])
    assert.ok(passes(verdict), JSON.stringify(verdict))
  })

  it('finds an acknowledged key read as absent', () => {
    const verdict = check([put('a', 1, 0, 5), get('a', null, 6)])
    assert.equal(verdict.absent.length, 1)
    assert.equal(passes(verdict), false)
  })

  it('finds a lost write: the final read misses the last acknowledged write', () => {
    for (const read of [null, 1]) {
      const verdict = check([put('a', 1, 0, 5), put('a', 2, 6, 10), get('a', read, 100, 'final')])
      assert.equal(verdict.lost.length, 1, `final read ${read}`)
      assert.equal(passes(verdict), false)
    }
  })

  it('finds a value nobody wrote, and a final read that failed', () => {
    const verdict = check([
      put('a', 1, 0, 5),
      get('a', 7, 6),
      { ...get('a', null, 100, 'final'), outcome: 'fail' },
    ])
    assert.equal(verdict.invalid.length, 1)
    assert.equal(verdict.unverified.length, 1)
  })
})
