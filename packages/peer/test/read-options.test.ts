import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { resolveConfig } from '../src/config.js'
import { InvalidInputError } from '../src/errors.js'
import { readQuorumOf } from '../src/operations.js'

describe('read and durability options', () => {
  it('defaults R to r - W + 1 and durability to sync, and refuses what cannot work', () => {
    const config = resolveConfig({})
    assert.deepEqual([config.replicas, config.writeQuorum, config.readQuorum], [3, 2, 2])
    assert.equal(config.durability, 'sync')
    assert.equal(resolveConfig({ replicas: 5, writeQuorum: 3 }).readQuorum, 3)
    assert.throws(() => resolveConfig({ readQuorum: 4 }), InvalidInputError)
    assert.throws(() => resolveConfig({ readQuorum: 0 }), InvalidInputError)
    assert.throws(
      () => resolveConfig({ durability: 'maybe' as unknown as 'sync' }),
      InvalidInputError,
    )
  })

  it("maps a get's consistency onto the wire's read quorum", () => {
    assert.equal(readQuorumOf(undefined), 0)
    assert.equal(readQuorumOf('quorum'), 0)
    assert.equal(readQuorumOf('one'), 1)
    assert.throws(() => readQuorumOf('all' as unknown as 'one'), InvalidInputError)
  })
})
