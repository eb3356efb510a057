import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)
const cli = fileURLToPath(new URL('../src/cli.js', import.meta.url))

describe('sim consensus', () => {
  it('runs seeds and reports no violation, as JSON', async () => {
    const { stdout } = await run(process.execPath, [
      cli,
      '--',
      'consensus',
      '--seeds',
      '30',
      '--election-seeds',
      '1',
      '--json',
    ])
    const report = JSON.parse(stdout)
    assert.equal(report.seedsRun, 30)
    assert.equal(report.violations, 0)
    assert.ok(report.ops > 0)
    assert.equal(report.election.length, 6)
  })

  it('exits 1 and prints the seed and a shrunk history for a broken proposer', async () => {
    const failure = await run(process.execPath, [
      cli,
      'consensus',
      '--seeds',
      '20',
      '--broken',
      'minorityQuorum',
      '--election-seeds',
      '0',
    ]).then(
      () => assert.fail('expected exit code 1'),
      (error: { code: number; stdout: string }) => error,
    )
    assert.equal(failure.code, 1)
    assert.match(failure.stdout, /first failing seed: \d+/)
    assert.match(failure.stdout, /not linearizable/)
  })
})
