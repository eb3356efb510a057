import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { compareElections, runBullyElection, runLeaseElection } from '../src/sim/index.js'

describe('election simulation', () => {
  it('both strategies elect a new leader after a crash', () => {
    for (const seed of [1, 2, 3]) {
      for (const run of [runLeaseElection, runBullyElection]) {
        const report = run({ seed, scenario: 'crash' })
        assert.ok(report.timeToAgreement !== undefined, `${report.strategy} seed ${seed}`)
        assert.ok(report.electionMessages > 0)
      }
    }
  })

  it('lease locks: tokens strictly increase, leases never overlap, no split brain', () => {
    for (let seed = 1; seed <= 10; seed++) {
      for (const scenario of ['crash', 'pause'] as const) {
        const report = runLeaseElection({ seed, scenario })
        assert.equal(report.tokenViolations, 0, `seed ${seed} ${scenario}`)
        assert.equal(report.overlappingGrants, 0, `seed ${seed} ${scenario}`)
        assert.equal(report.splitBrainTime, 0, `seed ${seed} ${scenario}`)
      }
    }
  })

  it('Bully shows a split-brain window when a paused leader resumes', () => {
    const rows = compareElections(5)
    const bullyPause = rows.find((r) => r.strategy === 'bully' && r.scenario.startsWith('pause'))
    assert.ok(bullyPause !== undefined && bullyPause.maxSplitBrainTime > 0)
    assert.equal(rows.length, 6)
    for (const row of rows.filter((r) => r.strategy === 'lease')) {
      assert.equal(row.maxSplitBrainTime, 0, row.scenario)
      assert.equal(row.lockViolations, 0, row.scenario)
    }
  })
})
