import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { pino } from 'pino'
import { PeriodicTask } from '../../src/core/periodic-task.js'
import { waitFor } from '../helpers.js'

const silent = pino({ level: 'silent' })

describe('PeriodicTask', () => {
  it('runs every interval; hurry() brings the next run forward, then the gap doubles back', async () => {
    const runs: number[] = []
    const task = new PeriodicTask(
      't',
      8_000,
      0,
      async () => void runs.push(performance.now()),
      silent,
    )
    task.start()
    try {
      const hurriedAt = performance.now()
      task.hurry()
      // without hurry the first run would come after 8 s; hurried, after 0.5 s
      await waitFor(() => runs.length >= 3, 'three hurried runs', 6_000)
      const [first, second, third] = runs.map((at) => at - hurriedAt) as [number, number, number]
      assert.ok(first < 4_000, `first run ${first} ms after hurry`)
      // gaps of 0.5, 1 and 2 s: each at least the one before (timers never fire early)
      assert.ok(second - first >= 990, `second gap ${second - first} ms`)
      assert.ok(third - second >= 1_990, `third gap ${third - second} ms`)
    } finally {
      await task.stop()
    }
  })

  it('does nothing when hurried before it started or after it stopped', async () => {
    let runs = 0
    const task = new PeriodicTask('t', 60_000, 0, async () => void runs++, silent)
    task.hurry()
    task.start()
    await task.stop()
    task.hurry()
    assert.equal(runs, 0)
  })
})
