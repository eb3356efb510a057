import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { PauseWatch } from '../../src/core/pause-watch.js'
import { Counters } from '../../src/counters.js'
import { CatchUp } from '../../src/kv/catch-up.js'
import { silent } from '../stubs.js'

/** A CatchUp fed by a PauseWatch, as the key/value capability is, on a clock the test drives. */
function catchUpWithClock() {
  let now = 0
  const repairs: number[] = []
  const resumes: number[] = []
  const counters = new Counters()
  const catchUp = new CatchUp({ counters, logger: silent, repairSoon: () => repairs.push(now) })
  const pauses = new PauseWatch(
    {
      onResume: (pausedMs) => {
        resumes.push(pausedMs)
        catchUp.resumed(pausedMs)
      },
      now: () => now,
    },
    { tickMs: 100, pauseMs: 1000 },
  )
  pauses.start()
  pauses.stop() // the test drives ticks itself
  return {
    catchUp,
    pauses,
    counters,
    repairs,
    resumes,
    advance: (ms: number) => {
      now += ms
    },
  }
}

// issue 17, cause 1 (pause): a member resumed from SIGSTOP answered as owner at once
describe('CatchUp', () => {
  it('notices a pause from a late timer and catches up before counting as owner', async () => {
    const { catchUp, pauses, counters, repairs, resumes, advance } = catchUpWithClock()
    for (let i = 0; i < 5; i++) {
      advance(150)
      pauses.tick()
    }
    assert.equal(catchUp.catchingUp, false, 'late by 50 ms is no pause')
    advance(20_000)
    pauses.tick()
    assert.deepEqual(resumes, [19_900], 'a 20 s stall is a pause')
    assert.equal(catchUp.catchingUp, true)
    assert.equal(counters.catchUps, 1)
    assert.equal(repairs.length, 1, 'a repair pass is asked for at once')
    await catchUp.pass(async () => false)
    assert.equal(catchUp.catchingUp, true, 'an incomplete pass does not end the catch-up')
    await catchUp.pass(async () => true)
    assert.equal(catchUp.catchingUp, false)
  })

  it('a pass that began before the latest return does not end the catch-up', async () => {
    const { catchUp } = catchUpWithClock()
    catchUp.begin('joined')
    const done = catchUp.pass(async () => {
      catchUp.begin('new predecessor')
      return true
    })
    await done
    assert.equal(catchUp.catchingUp, true)
    await catchUp.pass(async () => true)
    assert.equal(catchUp.catchingUp, false)
  })

  it('is just resumed for a moment after a pause, so the writes queued meanwhile are refused', async () => {
    const { pauses, advance } = catchUpWithClock()
    advance(100)
    pauses.tick()
    assert.equal(pauses.justResumed(), false)
    advance(9000)
    pauses.tick() // the first request after SIGCONT looks at the clock before any timer
    assert.equal(pauses.justResumed(), true)
    advance(1001)
    // and the first turns of the event loop (the backlog), see pause-watch.test
    for (let i = 0; i < 4; i++) await new Promise((resolve) => setImmediate(resolve))
    assert.equal(pauses.justResumed(), false)
  })

  it('does not look at the clock before it was started', () => {
    let resumed = 0
    const pauses = new PauseWatch(
      { onResume: () => resumed++, now: () => 50_000 },
      { tickMs: 100, pauseMs: 1000 },
    )
    pauses.tick()
    assert.equal(resumed, 0)
    assert.equal(pauses.justResumed(), false)
  })
})
