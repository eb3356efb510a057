import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import * as api from '../src/index.js'

describe('errors', () => {
  it('every error class has a stable code and its own name; reject codes are unique', () => {
    const classes = [
      api.BallotExhaustedError,
      api.CatchUpQuorumError,
      api.CorruptValueError,
      api.InvalidConfigurationError,
      api.InvalidOptionError,
    ]
    const codes = new Set<string>()
    for (const ErrorClass of classes) {
      const error = new ErrorClass('x')
      assert.equal(error.name, ErrorClass.name)
      assert.equal(error.code, ErrorClass.code)
      assert.match(error.code, /^ERR_[A-Z_]+$/)
      codes.add(error.code)
    }
    for (const code of Object.values(api.REJECT_CODES)) codes.add(code)
    assert.equal(codes.size, classes.length + Object.keys(api.REJECT_CODES).length)
  })
})
