import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { PauseWatch } from '../../src/core/pause-watch.js'

const turn = () => new Promise<void>((resolve) => setImmediate(resolve))

describe('PauseWatch', () => {
  // the fault suite's pause-one at load 21: a put read from the socket 600 ms after the
  // resume (the starved process was slow to get to it) was applied with a fresh version
  // and undid two newer acknowledged writes
  it('stays just-resumed for the first turns of the event loop, however long they take', async () => {
    let now = 0
    const pauses = new PauseWatch(
      { onResume: () => {}, now: () => now },
      { tickMs: 100, pauseMs: 500 },
    )
    pauses.start()
    pauses.stop() // the test drives ticks itself
    now += 8_000 // SIGSTOP for 8 s
    pauses.tick()
    now += 2_000 // the wall-clock window is over before the backlog is read
    assert.equal(pauses.justResumed(), true, 'still reading what queued up during the pause')
    for (let i = 0; i < 4; i++) await turn()
    assert.equal(pauses.justResumed(), false, 'the backlog is read and the window is over')
  })

  it('stays just-resumed for the wall-clock window after the turns', async () => {
    let now = 0
    const pauses = new PauseWatch(
      { onResume: () => {}, now: () => now },
      { tickMs: 100, pauseMs: 500 },
    )
    pauses.start()
    pauses.stop()
    now += 8_000
    pauses.tick()
    for (let i = 0; i < 4; i++) await turn()
    assert.equal(pauses.justResumed(), true)
    now += 500
    assert.equal(pauses.justResumed(), false)
  })
})
