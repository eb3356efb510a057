import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Counters } from '../../src/counters.js'
import { CatchUp } from '../../src/kv/catch-up.js'
import { silent } from '../stubs.js'

function catchUpWithClock() {
  let now = 0
  const repairs: number[] = []
  const counters = new Counters()
  const catchUp = new CatchUp(
    { counters, logger: silent, repairSoon: () => repairs.push(now), now: () => now },
    { tickMs: 100, pauseMs: 1000 },
  )
  return {
    catchUp,
    counters,
    repairs,
    advance: (ms: number) => {
      now += ms
    },
  }
}

// issue 17, cause 1 (pause): a member resumed from SIGSTOP answered as owner at once
describe('CatchUp', () => {
  it('notices a pause from a late timer and catches up before counting as owner', async () => {
    const { catchUp, counters, repairs, advance } = catchUpWithClock()
    catchUp.start()
    catchUp.stop() // the test drives ticks itself
    for (let i = 0; i < 5; i++) {
      advance(150)
      catchUp.tick()
    }
    assert.equal(catchUp.catchingUp, false, 'late by 50 ms is no pause')
    advance(20_000)
    catchUp.tick()
    assert.equal(catchUp.catchingUp, true, 'a 20 s stall is a pause')
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

  it('is just resumed for a moment after a pause, so the writes queued meanwhile are refused', () => {
    const { catchUp, advance } = catchUpWithClock()
    catchUp.start()
    catchUp.stop()
    advance(100)
    catchUp.tick()
    assert.equal(catchUp.justResumed(), false)
    advance(9000)
    catchUp.tick() // the first request after SIGCONT looks at the clock before any timer
    assert.equal(catchUp.justResumed(), true)
    advance(1001)
    assert.equal(catchUp.justResumed(), false)
  })
})
