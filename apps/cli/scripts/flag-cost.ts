/**
 * What ringdht start's V8 flags (src/daemon-flags.ts) cost in time and CPU: 3 LMDB daemons
 * on 127.0.0.1 with ringdht's flags, then with V8's own heap sizing, alternating for
 * --rounds rounds; each round writes --keys keys (16 in flight) and reads 3,000 of them one
 * at a time through one client.
 *
 *   npx --yes pnpm@10 build && node_modules/node/bin/node apps/cli/dist/scripts/flag-cost.js
 *
 * Prints one JSON line per round and the medians per setting. Members' CPU is the sum of the
 * three processes' user + system time over the phase (their ring upkeep included).
 */
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { createClient } from '@ringdht/peer'
import { pino } from 'pino'
import { Daemons } from './scale/daemons.js'
import { sampleProcess, summary } from './scale/proc-stats.js'

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '4' },
    keys: { type: 'string', default: '2000' },
  },
})
const ROUNDS = Number(values.rounds)
const KEYS = Number(values.keys)
const GETS = 3000
const SETTINGS: Record<string, string[]> = {
  ringdht: [],
  'v8-own-sizing': ['--max-semi-space-size=64', '--heap-growing-percent=0'],
}

async function round(nodeArgs: string[]) {
  const daemons = new Daemons()
  try {
    const seed = await daemons.start(0, {
      memory: false,
      bootstrap: [],
      readyTimeoutMs: 60_000,
      nodeArgs,
    }).ready
    await Promise.all(
      [1, 2].map(
        (i) =>
          daemons.start(i, { memory: false, bootstrap: [seed], readyTimeoutMs: 60_000, nodeArgs })
            .ready,
      ),
    )
    const client = await createClient({
      peer: seed,
      timeoutMs: 20_000,
      logger: pino({ level: 'silent' }),
    })
    // the ring may still be settling (a replica not yet known): the first put is tried again
    for (let attempt = 0; ; attempt++) {
      try {
        await client.put('warm-up', 'x')
        break
      } catch (err) {
        if (attempt >= 50) throw err
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
    }
    const cpu = () =>
      daemons.all.reduce((sum, m) => sum + (sampleProcess(m.pid)?.cpuSeconds ?? 0), 0)
    const value = 'v'.padEnd(100, 'x')
    let cpuBefore = cpu()
    let started = performance.now()
    let next = 0
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < KEYS) await client.put(`key-${next++}`, value)
      }),
    )
    const putSeconds = (performance.now() - started) / 1000
    const putCpu = cpu() - cpuBefore
    const latencies: number[] = []
    cpuBefore = cpu()
    for (let i = 0; i < GETS; i++) {
      started = performance.now()
      await client.get(`key-${i % KEYS}`)
      latencies.push(performance.now() - started)
    }
    const getCpu = cpu() - cpuBefore
    await client.close()
    latencies.sort((a, b) => a - b)
    return {
      putsPerSecond: Math.round(KEYS / putSeconds),
      membersCpuMsPerPut: Number(((putCpu * 1000) / KEYS).toFixed(3)),
      getP50Ms: Number((latencies[Math.floor(GETS / 2)] as number).toFixed(3)),
      getP99Ms: Number((latencies[Math.floor(GETS * 0.99)] as number).toFixed(3)),
      membersCpuMsPerGet: Number(((getCpu * 1000) / GETS).toFixed(3)),
      rssMiB: daemons.all.map((m) => Math.round((sampleProcess(m.pid)?.rssBytes ?? 0) / 2 ** 20)),
    }
  } finally {
    daemons.cleanUp()
  }
}

const results: Record<string, Array<Awaited<ReturnType<typeof round>>>> = {}
const loadAtStart = loadavg()[0]
for (let r = 0; r < ROUNDS; r++) {
  // the order alternates, so a change in the machine's load falls on both alike
  const names = Object.keys(SETTINGS)
  for (const name of r % 2 === 0 ? names : names.reverse()) {
    const figures = await round(SETTINGS[name] as string[])
    process.stdout.write(`${JSON.stringify({ round: r, setting: name, ...figures })}\n`)
    results[name] = [...(results[name] ?? []), figures]
  }
}
const medians = Object.fromEntries(
  Object.entries(results).map(([name, rounds]) => [
    name,
    Object.fromEntries(
      (
        [
          'putsPerSecond',
          'membersCpuMsPerPut',
          'getP50Ms',
          'getP99Ms',
          'membersCpuMsPerGet',
        ] as const
      ).map((k) => [k, summary(rounds.map((f) => f[k])).median]),
    ),
  ]),
)
process.stdout.write(
  `${JSON.stringify({ medians, loadAverage1m: { atStart: loadAtStart, atEnd: loadavg()[0] } })}\n`,
)
process.exit(0)
