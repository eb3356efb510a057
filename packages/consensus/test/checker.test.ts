import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import {
  checkHistory,
  checkKey,
  type HistoryEntry,
  INITIAL_MODEL_STATE,
  type ModelOperation,
  type ModelState,
  stepModel,
} from '../src/index.js'

let nextId = 0
/** One operation on key 'k': [invokedAt, completedAt], ok unless told otherwise. */
function op(
  operation: ModelOperation,
  invokedAt: number,
  completedAt: number,
  state: ModelState | undefined,
  succeeded = true,
  status: HistoryEntry['status'] = 'ok',
): HistoryEntry {
  return {
    id: nextId++,
    process: `p${nextId}`,
    key: 'k',
    operation,
    invokedAt,
    completedAt,
    status,
    output: state === undefined ? undefined : { state, succeeded },
  }
}
const s = (value: string | undefined, version: number): ModelState => ({ value, version })
const write = (value: string): ModelOperation => ({ kind: 'write', value })
const cas = (expected: string | undefined, next: string): ModelOperation => ({
  kind: 'cas',
  expected,
  next,
})
const READ: ModelOperation = { kind: 'read' }

describe('linearizability checker (WGL)', () => {
  it('accepts a sequential history and concurrent ops in either order', () => {
    assert.equal(
      checkKey([op(write('01'), 0, 10, s('01', 1)), op(READ, 20, 30, s('01', 1))]),
      'linearizable',
    )
    // Two overlapping writes; the read sees the one that went second.
    const overlapping = [
      op(write('01'), 0, 10, s('01', 2)),
      op(write('02'), 5, 15, s('02', 1)),
      op(READ, 20, 30, s('01', 2)),
    ]
    assert.equal(checkKey(overlapping), 'linearizable')
  })

  it('catches a stale read', () => {
    const history = [
      op(write('01'), 0, 10, s('01', 1)),
      op(write('02'), 20, 30, s('02', 2)),
      op(READ, 40, 50, s('01', 1)),
    ]
    assert.equal(checkKey(history), 'violation')
  })

  it('catches a lost update', () => {
    const append = (byte: number): ModelOperation => ({ kind: 'append', byte })
    const history = [
      op(append(1), 0, 10, s('01', 1)),
      op(append(2), 5, 15, s('02', 1)), // applied to the initial value: the first append is lost
    ]
    assert.equal(checkKey(history), 'violation')
  })

  it('catches two CAS that both succeed on the same expected value', () => {
    const history = [
      op(write('00'), 0, 5, s('00', 1)),
      op(cas('00', '01'), 10, 20, s('01', 2)),
      op(cas('00', '02'), 12, 22, s('02', 2)),
    ]
    assert.equal(checkKey(history), 'violation')
    const oneWins = [
      op(write('00'), 0, 5, s('00', 1)),
      op(cas('00', '01'), 10, 20, s('01', 2)),
      op(cas('00', '02'), 12, 22, s('01', 2), false),
    ]
    assert.equal(checkKey(oneWins), 'linearizable')
  })

  it('catches a read of a value never written', () => {
    assert.equal(
      checkKey([op(write('01'), 0, 10, s('01', 1)), op(READ, 20, 30, s('07', 1))]),
      'violation',
    )
  })

  it('lets an indeterminate op take effect later, or never, but not before it began', () => {
    const maybe = op(write('05'), 0, 10, undefined, true, 'indeterminate')
    assert.equal(checkKey([maybe, op(READ, 50, 60, s('05', 1))]), 'linearizable')
    assert.equal(checkKey([maybe, op(READ, 50, 60, s(undefined, 0))]), 'linearizable')
    const late = op(write('05'), 100, 110, undefined, true, 'indeterminate')
    assert.equal(checkKey([op(READ, 0, 10, s('05', 1)), late]), 'violation')
    // A failed op certainly had no effect.
    const failed = op(write('05'), 0, 10, undefined, true, 'fail')
    assert.equal(checkHistory([failed, op(READ, 50, 60, s('05', 1))]).verdict, 'violation')
  })

  it('gives up with unknown past its step budget, never with a false pass', () => {
    const history = [op(write('01'), 0, 10, s('01', 1)), op(READ, 20, 30, s('01', 1))]
    assert.equal(checkKey(history, { maxSteps: 1 }), 'unknown')
    assert.equal(checkHistory(history, { maxSteps: 1 }).verdict, 'unknown')
  })

  it('partitions by key', () => {
    const other = { ...op(write('01'), 0, 10, s('01', 1)), key: 'other' }
    const result = checkHistory([other, op(READ, 20, 30, s(undefined, 0))])
    assert.equal(result.verdict, 'linearizable')
  })

  it('random sequential histories are linearizable, and a corrupted read is not', () => {
    const opArb: fc.Arbitrary<ModelOperation> = fc.oneof(
      fc.constant<ModelOperation>(READ),
      fc.constantFrom('00', '01', '02').map(write),
      fc
        .tuple(fc.constantFrom(undefined, '00', '01'), fc.constantFrom('00', '01', '02'))
        .map(([e, n]) => cas(e, n)),
      fc.integer({ min: 0, max: 255 }).map((byte): ModelOperation => ({ kind: 'append', byte })),
    )
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 40 }), (operations) => {
        let state = INITIAL_MODEL_STATE
        const history = operations.map((operation, i) => {
          const next = stepModel(state, operation, undefined) as ModelState
          const succeeded = operation.kind !== 'cas' || state.value === operation.expected
          state = next
          return op(operation, i * 10, i * 10 + 5, next, succeeded)
        })
        assert.equal(checkKey(history), 'linearizable')
        const corrupted = [
          ...history,
          op(READ, 1000, 1001, s(`${state.value ?? ''}ff`, state.version)),
        ]
        assert.equal(checkKey(corrupted), 'violation')
      }),
    )
  })
})
