import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { MessageType } from '@ringdht/protocol'
import { CircuitBreakers } from '../../src/core/health/circuit-breaker.js'
import { PhiAccrual } from '../../src/core/health/phi-accrual.js'
import type { RingNode } from '../../src/core/ring-node.js'
import { PeerUnreachableError, RequestTimeoutError } from '../../src/errors.js'
import { ringNodes, StubPool } from '../stubs.js'

let n: RingNode[]
const at = (i: number): RingNode => n[i] as RingNode
const ping = { type: MessageType.PING }

function breakersWithClock(pool: StubPool) {
  let now = 1000
  const breakers = new CircuitBreakers(pool, {
    phiThreshold: 8,
    timeoutsToOpen: 2,
    minDeadlineMs: 200,
    openMs: 1000,
    maxOpenMs: 8000,
    now: () => now,
  })
  return {
    breakers,
    advance: (ms: number) => {
      now += ms
    },
  }
}

describe('PhiAccrual', () => {
  it('grows with the silence, relative to the usual wait', () => {
    const detector = new PhiAccrual({ windowSize: 100, minStdDevMs: 10, acceptablePauseMs: 0 })
    for (let i = 0; i < 50; i++) detector.record(20 + (i % 5))
    assert.ok(detector.phi(20) < 1, `phi at the usual wait is low (${detector.phi(20)})`)
    assert.ok(detector.phi(200) > 8, `phi after 10× the usual wait is high (${detector.phi(200)})`)
    assert.ok(detector.phi(100) < detector.phi(150))
  })
})

// issue 17, cause 4: a hung member made every request wait out its full timeout
describe('CircuitBreakers', () => {
  before(async () => {
    n = await ringNodes(2)
  })

  // found by the fault suite's partition-4-4: after the heal, a member adopted through the
  // merge was still refused here (its breaker open since the partition), and two refused
  // requests made membership drop it again within milliseconds
  it('closes the breaker of a member heard from on another path (a ping, a notify)', async () => {
    const pool = new StubPool((node) =>
      node.key === at(1).key ? new RequestTimeoutError('no answer') : {},
    )
    const { breakers } = breakersWithClock(pool)
    for (let i = 0; i < 2; i++) {
      await assert.rejects(breakers.request(at(1), ping, { timeoutMs: 5000 }), RequestTimeoutError)
    }
    assert.equal(breakers.isOpen(at(1)), true)
    breakers.heardFrom(at(1).key)
    assert.equal(breakers.isOpen(at(1)), false)
    pool.answer = () => ({})
    await breakers.request(at(1), ping, { timeoutMs: 5000 })
  })

  it('after two timeouts in a row, fails requests to that member at once until a trial answers', async () => {
    let hung = true
    const pool = new StubPool((node) =>
      node.key === at(1).key && hung ? new RequestTimeoutError('no answer') : {},
    )
    const { breakers, advance } = breakersWithClock(pool)
    await assert.rejects(breakers.request(at(1), ping, { timeoutMs: 5000 }), RequestTimeoutError)
    assert.equal(breakers.isOpen(at(1)), false, 'one timeout may be a busy host')
    await assert.rejects(breakers.request(at(1), ping, { timeoutMs: 5000 }), RequestTimeoutError)
    const sent = pool.sent.length
    await assert.rejects(breakers.request(at(1), ping, { timeoutMs: 5000 }), PeerUnreachableError)
    assert.equal(pool.sent.length, sent, 'refused without sending')
    await breakers.request(at(0), ping, { timeoutMs: 5000 }) // other members are not affected
    advance(1001)
    hung = false
    await breakers.request(at(1), ping, { timeoutMs: 5000 }) // the trial answers: closed
    await breakers.request(at(1), ping, { timeoutMs: 5000 })
    assert.equal(breakers.isOpen(at(1)), false)
  })

  it('opens on phi while requests wait, before any timeout fires', async () => {
    let answer: (() => void) | undefined
    let fast = true
    const pool = new StubPool(() =>
      fast
        ? {}
        : new Promise((resolve) => {
            answer = () => resolve({})
          }),
    )
    const { breakers, advance } = breakersWithClock(pool)
    for (let i = 0; i < 30; i++) {
      const pending = breakers.request(at(1), ping, { timeoutMs: 5000 })
      advance(2)
      await pending
    }
    fast = false
    const waiting = breakers.request(at(1), ping, { timeoutMs: 5000 })
    advance(100)
    assert.equal(breakers.isOpen(at(1)), false, '100 ms of silence is within the usual spread')
    advance(1500)
    await assert.rejects(breakers.request(at(1), ping, { timeoutMs: 5000 }), PeerUnreachableError)
    answer?.()
    await waiting
  })

  it('gives callers with a fallback a deadline fitted to the round trips', async () => {
    const pool = new StubPool()
    const { breakers, advance } = breakersWithClock(pool)
    assert.equal(breakers.deadlineFor(at(1), 2500), 2500, 'unknown member: the ceiling')
    for (let i = 0; i < 10; i++) {
      const pending = breakers.request(at(1), ping, { timeoutMs: 5000 })
      advance(5)
      await pending
    }
    assert.equal(breakers.deadlineFor(at(1), 2500), 200, 'fast member: the floor')
  })
})
