import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, it } from 'node:test'
import {
  compareRecords,
  compareVersions,
  HybridLogicalClock,
  isNewer,
  timestampMillis,
} from '../src/index.js'

describe('HybridLogicalClock', () => {
  it('issues strictly increasing timestamps even when the wall clock stalls or goes back', () => {
    const readings = [1_000, 1_000, 1_000, 999, 500, 1_001, 1_001, 2_000]
    let i = 0
    const clock = new HybridLogicalClock(
      () => readings[Math.min(i++, readings.length - 1)] as number,
    )
    let previous = -1n
    for (const [step, reading] of readings.entries()) {
      const now = clock.now()
      assert.ok(now > previous, `step ${step} (wall ${reading}): ${now} after ${previous}`)
      assert.ok(timestampMillis(now) >= 1_000, `step ${step}: never below the first millisecond`)
      previous = now
    }
    assert.equal(timestampMillis(previous), 2_000)
    assert.equal(previous & 0xffffn, 0n, 'a new millisecond restarts the logical counter')
  })

  it('counts logically within one millisecond', () => {
    const clock = new HybridLogicalClock(() => 42)
    assert.equal(clock.now(), 42n << 16n)
    assert.equal(clock.now(), (42n << 16n) | 1n)
    assert.equal(clock.now(), (42n << 16n) | 2n)
  })

  it('borrows the next millisecond when the logical counter overflows', () => {
    const clock = new HybridLogicalClock(() => 7)
    let last = 0n
    for (let i = 0; i <= 0xffff; i++) last = clock.now()
    assert.equal(last, (7n << 16n) | 0xffffn)
    const next = clock.now()
    assert.equal(next, 8n << 16n)
    assert.equal(timestampMillis(next), 8)
    assert.ok(clock.now() > next)
  })

  it('never issues a timestamp at or below one it observed', () => {
    const clock = new HybridLogicalClock(() => 100)
    const remote = (5_000n << 16n) | 17n // a peer whose clock runs ahead
    clock.observe(remote)
    const now = clock.now()
    assert.ok(now > remote, `${now} > ${remote}`)
    assert.equal(timestampMillis(now), 5_000)
    clock.observe(1n) // an old timestamp changes nothing
    assert.ok(clock.now() > now)
  })
})

describe('HybridLogicalClock drift bound', () => {
  it('refuses remote timestamps further ahead than the drift allows, and keeps its own time', () => {
    const clock = new HybridLogicalClock(() => 1_000_000, 60_000)
    const before = clock.now()
    for (const remote of [(1n << 63n) - 1n, (1n << 64n) - 1n, BigInt(1_000_000 + 60_001) << 16n]) {
      assert.equal(clock.observe(remote), false, `${remote} is refused`)
      assert.equal(clock.accepts(remote), false)
    }
    assert.equal(clock.observe(BigInt(1_000_000 + 59_000) << 16n), true, 'within the drift')
    assert.equal(clock.observe(-1n), false)
    const after = clock.now()
    assert.ok(after > before)
    assert.ok(timestampMillis(after) <= 1_000_000 + 59_000, 'no jump beyond the drift')
  })
})

describe('compareRecords', () => {
  const v = { timestamp: 5n, writer: 1n }
  const bytes = (s: string) => new TextEncoder().encode(s)
  it('orders by version first, then a value over a tombstone, then by the value hash', () => {
    assert.ok(
      compareRecords(
        { version: { timestamp: 6n, writer: 0n }, value: undefined },
        { version: v, value: bytes('z') },
      ) > 0,
    )
    assert.ok(
      compareRecords({ version: v, value: bytes('a') }, { version: v, value: undefined }) > 0,
    )
    const [low, high] = ['a', 'b'].sort((x, y) =>
      Buffer.compare(
        createHash('sha256').update(x).digest(),
        createHash('sha256').update(y).digest(),
      ),
    ) as [string, string]
    assert.ok(
      compareRecords({ version: v, value: bytes(high) }, { version: v, value: bytes(low) }) > 0,
    )
    assert.equal(
      compareRecords({ version: v, value: bytes('a') }, { version: v, value: bytes('a') }),
      0,
    )
    assert.equal(
      compareRecords({ version: v, value: undefined }, { version: v, value: undefined }),
      0,
    )
  })

  it('takes equal bytes in different buffers as equal values, and still breaks ties by expiry', () => {
    const whole = bytes('xxvaluexx')
    const copy = whole.slice(2, 7)
    const view = whole.subarray(2, 7)
    assert.equal(compareRecords({ version: v, value: copy }, { version: v, value: view }), 0)
    assert.ok(
      compareRecords({ version: v, value: copy }, { version: v, value: view, expiresAt: 9 }) > 0,
      'no expiry wins over an expiry',
    )
    assert.ok(
      compareRecords({ version: v, value: copy }, { version: v, value: bytes('value!') }) !== 0,
      'a longer value with the same prefix is another value',
    )
  })
})

describe('compareVersions', () => {
  it('orders by timestamp, then breaks ties by the greater writer', () => {
    const v = (timestamp: bigint, writer: bigint) => ({ timestamp, writer })
    assert.ok(compareVersions(v(2n, 1n), v(1n, 9n)) > 0)
    assert.ok(compareVersions(v(1n, 9n), v(2n, 1n)) < 0)
    assert.ok(compareVersions(v(5n, 3n), v(5n, 2n)) > 0, 'tie goes to the greater writer')
    assert.ok(compareVersions(v(5n, 2n), v(5n, 3n)) < 0)
    assert.equal(compareVersions(v(5n, 3n), v(5n, 3n)), 0)
    assert.equal(isNewer(v(5n, 3n), undefined), true)
    assert.equal(isNewer(v(5n, 3n), v(5n, 3n)), false, 'equal is not newer')
    assert.equal(isNewer(v(5n, 4n), v(5n, 3n)), true)
  })
})
