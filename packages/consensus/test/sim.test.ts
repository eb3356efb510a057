import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { checkKey } from '../src/index.js'
import { generateSchedule, runClusterSim, runSeed, runSeeds } from '../src/sim/index.js'

/** CI runs a bounded number of seeds; `pnpm sim -- consensus --seeds 10000` runs more. */
const SEEDS = 400

describe('consensus simulation', () => {
  it(`${SEEDS} seeds with loss, duplication, crashes, wipes and replacements: no violation`, () => {
    const report = runSeeds({ seeds: SEEDS })
    assert.equal(report.seedsRun, SEEDS)
    assert.deepEqual(report.violatingSeeds, [], 'linearizability violations')
    assert.equal(report.unknown, 0)
    // Not vacuous: most operations complete, and faults and replacements happened.
    assert.ok(report.ok > report.ops * 0.6, `ok ${report.ok} of ${report.ops}`)
    assert.ok(report.reconfigurations > SEEDS / 5, `${report.reconfigurations} replacements`)
    assert.ok(report.indeterminate > 0 && report.failed > 0)
  })

  it('fast path, two proposers alternating on one key: no violation', () => {
    const schedule = { fastPath: true, keys: 1, proposers: 2 }
    const report = runSeeds({ seeds: SEEDS, schedule })
    assert.deepEqual(report.violatingSeeds, [], 'linearizability violations')
    assert.equal(report.unknown, 0)
    assert.ok(report.ok > report.ops * 0.4, `ok ${report.ok} of ${report.ops}`)
  })

  it('fast path, proposers restarting between and during rounds: no violation', () => {
    const report = runSeeds({ seeds: SEEDS, schedule: { fastPath: true, proposerRestarts: 2 } })
    assert.equal(report.proposerRestarts, 2 * SEEDS)
    assert.deepEqual(report.violatingSeeds, [], 'linearizability violations')
    assert.equal(report.unknown, 0)
  })

  it('catches acceptors that promise one ballot twice once proposers restart', () => {
    const report = runSeeds({
      seeds: 3000,
      schedule: { proposerRestarts: 2 },
      broken: 'promiseTwice',
      stopAfterViolations: 1,
      shrink: false,
    })
    assert.equal(report.violations, 1, `caught within ${report.seedsRun} seeds`)
    const seed = report.violatingSeeds[0] as number
    assert.deepEqual(runSeed(seed, { schedule: { proposerRestarts: 2 } }).violations, [])
  })

  it('is reproducible: the same seed gives the same history', () => {
    for (const seed of [7, 42, 1234]) {
      const a = runSeed(seed).result
      const b = runSeed(seed).result
      assert.deepEqual(a.history, b.history, `seed ${seed}`)
      assert.equal(a.messages, b.messages)
    }
    assert.notDeepEqual(runSeed(1).result.history, runSeed(2).result.history)
  })

  it('catches a proposer that decides on a minority, and shrinks the failure', () => {
    const report = runSeeds({ seeds: 50, broken: 'minorityQuorum', stopAfterViolations: 1 })
    assert.equal(report.violations, 1, 'caught within 50 seeds')
    const failure = report.firstFailure
    assert.ok(failure !== undefined)
    assert.ok(failure.history.length <= 6, `shrunk to ${failure.history.length} operations`)
    assert.equal(checkKey(failure.history), 'violation')
  })

  it('catches a wiped acceptor that votes again under its old identity', () => {
    const report = runSeeds({ seeds: 1500, broken: 'wipeKeepsIdentity', stopAfterViolations: 1 })
    assert.equal(report.violations, 1, `caught within ${report.seedsRun} seeds`)
    // The correct protocol passes the seed the broken one failed.
    const seed = report.violatingSeeds[0] as number
    assert.deepEqual(runSeed(seed).violations, [])
  })

  it('catches a replacement that skips the fence and state transfer', () => {
    const report = runSeeds({ seeds: 500, broken: 'skipStateTransfer', stopAfterViolations: 1 })
    assert.equal(report.violations, 1, `caught within ${report.seedsRun} seeds`)
  })

  it('brings wiped and replaced acceptors in through joint configurations', () => {
    const schedule = generateSchedule(3, {
      acceptors: 3,
      faults: 0,
    })
    const faults = [
      { id: 0, at: 100, kind: 'wipe', member: 0, downFor: 50 },
      { id: 1, at: 400, kind: 'replace', member: 1, downFor: 0 },
    ] as const
    const result = runClusterSim({ seed: 3, schedule: { ...schedule, faults } })
    assert.equal(result.reconfigurations, 2)
    assert.equal(result.finalEpoch, 4, 'two changes, two epochs each')
    for (const key of schedule.keys) {
      assert.equal(checkKey(result.history.filter((e) => e.key === key)), 'linearizable', key)
    }
  })
})
