import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClient } from '../../src/client/create-client.js'
import type { RingClient } from '../../src/client/ring-client.js'
import { check, passes, type Verdict } from './checker.js'
import { Cluster } from './cluster.js'
import { HistoryFile } from './history.js'
import { NetnsNetwork, netnsUnavailable } from './netns.js'
import type { Scenario } from './scenarios.js'
import { Workload } from './workload.js'

export interface RunResult {
  scenario: string
  verdict: Verdict
  /** From the heal (restart, resume, last change) to every running member in one ring walk; undefined: not within 60 s. */
  recoveryMs: number | undefined
  history: string
  passed: boolean
  /** History times (ms) of the fault's start (when the scenario marks it) and of the heal. */
  faultAtMs: number | undefined
  healedAtMs: number
  /** Wall-clock time (Date.now()) of the history's time zero, to line it up with member logs. */
  epochWallMs: number
}

async function until(what: string, deadlineMs: number, test: () => Promise<boolean>) {
  const deadline = performance.now() + deadlineMs
  for (;;) {
    try {
      if (await test()) return
    } catch {
      // not yet
    }
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

/** Run one scenario on a fresh cluster with a load on, then check the history offline. */
export async function runScenario(
  scenario: Scenario,
  options: { scale: number; basePort: number; historyDir: string },
): Promise<RunResult> {
  if (scenario.netns === true) {
    const why = netnsUnavailable()
    if (why !== undefined) throw new Error(`skipped: ${why}`)
  }
  const root = await mkdtemp(join(tmpdir(), `ringdht-faults-${scenario.name}-`))
  const network = scenario.netns === true ? new NetnsNetwork(scenario.size) : undefined
  const cluster = new Cluster(root, options.basePort, network)
  let faultAt: number | undefined
  const clients: RingClient[] = []
  const epoch = performance.now()
  const epochWallMs = Date.now()
  const now = () => performance.now() - epoch
  const history = new HistoryFile(join(options.historyDir, `${scenario.name}.jsonl`))
  const dial = async (i: number) =>
    createClient({ peer: cluster.address(i), timeoutMs: 4000, refreshMs: 2000 })
  const anyClient = async () => {
    const running = cluster.running()
    return dial(running[Math.floor(Math.random() * running.length)] as number)
  }
  const extra: RingClient[] = []
  try {
    network?.setup()
    for (let i = 0; i < scenario.size; i++) await cluster.add()
    for (let i = 0; i < scenario.size; i++) clients.push(await dial(i))
    const workload = new Workload(() => clients, history, {
      workers: 16,
      keysPerWorker: 8 * options.scale,
      epoch,
    })
    workload.start()
    const acked = () => history.operations.filter((o) => o.kind === 'put' && o.outcome === 'ok')
    await until('the first acknowledged writes', 30_000, async () => acked().length >= 100)
    const healedAt = await scenario.run({
      cluster,
      workload,
      client: async () => {
        const c = await anyClient()
        extra.push(c)
        return c
      },
      hold: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      now,
      scale: options.scale,
      network,
      faultBegins: () => {
        faultAt = now()
      },
    })
    const checker = await anyClient()
    extra.push(checker)
    const expected = new Set(cluster.running().map((i) => cluster.members[i]?.peerId))
    // recovery is timed from the heal while the load stays on through the return
    const recovered = until('one ring of every running member', 60_000, async () => {
      const walk = await checker.ring()
      return (
        walk.length === expected.size &&
        walk.every((m) => expected.has(m.peerId) && m.health !== 'unreachable')
      )
    }).then(
      () => now() - healedAt,
      // not one ring within the deadline: reported, and the final reads still run
      () => undefined,
    )
    await new Promise((resolve) => setTimeout(resolve, 4000 * options.scale))
    await workload.stop()
    const recoveryMs = await recovered
    await workload.finalReads(checker)
    const verdict = check(
      history.operations,
      scenario.excuseReadsDuringFault === true && faultAt !== undefined
        ? { excuseReads: { from: faultAt, to: healedAt } }
        : {},
    )
    return {
      scenario: scenario.name,
      verdict,
      recoveryMs: recoveryMs === undefined ? undefined : Math.round(recoveryMs),
      history: history.path,
      passed: passes(verdict) && recoveryMs !== undefined,
      faultAtMs: faultAt === undefined ? undefined : Math.round(faultAt),
      healedAtMs: Math.round(healedAt),
      epochWallMs,
    }
  } finally {
    await Promise.allSettled([...clients, ...extra].map((c) => c.close()))
    await cluster.close()
    network?.teardown()
    await rm(root, { recursive: true, force: true })
  }
}
