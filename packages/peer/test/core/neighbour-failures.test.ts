import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { NeighbourFailures } from '../../src/core/neighbour-failures.js'
import type { RingNode } from '../../src/core/ring-node.js'
import { ringNodes } from '../stubs.js'

let a: RingNode
let b: RingNode

describe('NeighbourFailures', () => {
  before(async () => {
    ;[a, b] = (await ringNodes(2)) as [RingNode, RingNode]
  })

  it('drops a neighbour only after failureThreshold failures in a row', () => {
    const failures = new NeighbourFailures({ failureThreshold: 3, rememberFailedMs: 60_000 })
    assert.equal(failures.failed(a), false)
    assert.equal(failures.failed(a), false)
    failures.succeeded(a) // the run ends: counting starts again
    assert.equal(failures.failed(a), false)
    assert.equal(failures.failed(b), false, 'each neighbour counts alone')
    assert.equal(failures.failed(a), false)
    assert.equal(failures.failed(a), true)
    assert.equal(failures.failed(a), false, 'after a drop the count starts from zero')
  })

  it('keeps a member dropped as failed suspect until it answers a ping', async () => {
    const failures = new NeighbourFailures({ failureThreshold: 1, rememberFailedMs: 60_000 })
    failures.dropped(a, 'failed')
    failures.dropped(b, 'left')
    assert.equal(
      failures.unlessSuspect(b, async () => true),
      b,
      'a member that left is not suspect',
    )
    const answered = Promise.withResolvers<void>()
    const ping = async () => {
      setImmediate(answered.resolve)
      return true
    }
    assert.equal(failures.unlessSuspect(a, ping), undefined)
    await answered.promise
    assert.equal(failures.unlessSuspect(a, ping), a, 'back once it answered')
  })

  it('forgets suspicion when the member is heard from', () => {
    const failures = new NeighbourFailures({ failureThreshold: 2, rememberFailedMs: 60_000 })
    failures.dropped(a, 'failed')
    failures.heardFrom(a)
    assert.equal(
      failures.unlessSuspect(a, async () => false),
      a,
    )
  })
})
