/**
 * The fault suite: each scenario starts a ring of real member processes on 127.0.0.1,
 * puts a recorded load on it, injects its fault, heals it, and checks the history
 * offline (checker.ts). Prints one line per scenario; exits 1 unless every scenario has
 * 0 lost, 0 stale and 0 absent.
 *
 *   pnpm faults                       # the short versions (CI)
 *   pnpm faults:long                  # longer faults, more keys
 *   node packages/peer/dist/scripts/faults/cli.js [--long] [scenario ...]
 */
import { mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runScenario } from './run.js'
import { SCENARIOS } from './scenarios.js'

// Ctrl-C or a CI timeout: exit through the 'exit' handlers, which kill every member
// process and remove the namespaces
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130))

const args = process.argv.slice(2)
const scale = args.includes('--long') ? 3 : 1
const names = args.filter((a) => !a.startsWith('--'))
const chosen =
  names.length === 0
    ? SCENARIOS.filter((s) => scale > 1 || s.long !== true)
    : SCENARIOS.filter((s) => names.includes(s.name))
const historyDir = join(tmpdir(), `ringdht-fault-histories-${process.pid}`)
mkdirSync(historyDir, { recursive: true })
let failed = 0
for (const [n, scenario] of chosen.entries()) {
  // below Linux's ephemeral range (32768 and up), where outgoing connections could
  // already hold a member's port when it restarts
  const basePort = 20_000 + Math.floor(Math.random() * 240) * 50 + n
  const started = performance.now()
  try {
    const result = await runScenario(scenario, { scale, basePort, historyDir })
    const v = result.verdict
    console.log(
      JSON.stringify({
        scenario: result.scenario,
        passed: result.passed,
        acked: v.acked,
        lost: v.lost.length,
        stale: v.stale.length,
        absent: v.absent.length,
        invalid: v.invalid.length,
        excusedReads: v.excused,
        unverified: v.unverified.length,
        failedOps: v.failed,
        ops: v.ops,
        recoveryMs: result.recoveryMs ?? 'not one ring within 60 s',
        faultAtMs: result.faultAtMs,
        healedAtMs: result.healedAtMs,
        epochWallMs: result.epochWallMs,
        seconds: Math.round((performance.now() - started) / 1000),
        history: result.history,
      }),
    )
    for (const problem of [...v.lost, ...v.stale, ...v.absent, ...v.invalid].slice(0, 5)) {
      console.log(`  ${problem}`)
    }
    if (!result.passed) failed++
  } catch (err) {
    failed++
    console.log(JSON.stringify({ scenario: scenario.name, passed: false, error: String(err) }))
  }
}
process.exit(failed === 0 ? 0 : 1)
