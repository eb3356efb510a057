import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { beginChange, type Configuration, isQuorum, majorityOf, quorumSizes } from '../src/index.js'

/** Every subset of `ids`. */
function subsets(ids: readonly string[]): Set<string>[] {
  const all: Set<string>[] = []
  for (let mask = 0; mask < 1 << ids.length; mask++) {
    all.push(new Set(ids.filter((_, i) => mask & (1 << i))))
  }
  return all
}

const meets = (a: ReadonlySet<string>, b: ReadonlySet<string>) => [...a].some((id) => b.has(id))
const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`)

describe('joint quorums', () => {
  it('a set of two moving to three needs one of the two and two of the three', () => {
    const joint = beginChange({ epoch: 0, members: ['a', 'b'] }, ['a', 'b', 'c'])
    assert.deepEqual(quorumSizes(joint), [1, 2])
    assert.equal(isQuorum(joint, new Set(['b', 'c'])), true, 'a may be dead')
    assert.equal(isQuorum(joint, new Set(['c'])), false)
    const also: Configuration = { ...joint, also: [['a', 'b', 'd', 'e']] }
    assert.deepEqual(quorumSizes(also), [1, 2, 2])
  })

  // the rule's proof, checked exhaustively for small sets that share some members: every
  // quorum of a joint configuration meets every majority of the set it moves from (the
  // proposers still using that set alone) and every other quorum of the configuration
  it('meets every majority of the old set, and every other joint quorum', () => {
    for (let oldSize = 1; oldSize <= 4; oldSize++) {
      for (let newSize = 1; newSize <= 4; newSize++) {
        for (let shared = 0; shared <= Math.min(oldSize, newSize); shared++) {
          const before = names('o', oldSize)
          const after = [...before.slice(0, shared), ...names('n', newSize - shared)]
          const joint = beginChange({ epoch: 0, members: before }, after)
          const everyone = [...new Set([...before, ...after])]
          const quorums = subsets(everyone).filter((ids) => isQuorum(joint, ids))
          const oldMajorities = subsets(before).filter((ids) => ids.size >= majorityOf(oldSize))
          for (const q of quorums) {
            for (const m of oldMajorities) assert.ok(meets(q, m), `${[...q]} vs old ${[...m]}`)
            for (const other of quorums) assert.ok(meets(q, other), `${[...q]} vs ${[...other]}`)
          }
        }
      }
    }
  })
})
