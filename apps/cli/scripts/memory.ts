/**
 * Memory per member with real data, and time to ready for members started together, on
 * real daemons (`ringdht start` on 127.0.0.1).
 *
 *   npx --yes pnpm@10 memory -- --members 16 --keys 100000 --value-bytes 100
 *
 * For each store (LMDB data folders, then --memory):
 * 1. picks --members free loopback ports and spawns every member at once, all joining
 *    through the first one's address; time to ready is measured from the first spawn and
 *    from the last spawn until every member answers a get of a key written through the
 *    first member (the ring formed and each member routes);
 * 2. imports --keys keys of --value-bytes bytes through a client (owner-direct), waits until
 *    the members hold keys × r records between them, and reads each member's RSS
 *    (VmRSS of the node process);
 * 3. LMDB only: SIGKILLs every member and starts all of them again at once from their
 *    folders, on the same ports; time until every member serves --probe-keys imported keys.
 * With --breakdown, each member is started with a debug hook (scale/memory-report.ts) and
 * asked, idle and after the import, where its memory goes (V8 heap spaces, external and
 * ArrayBuffer memory, modules loaded); the medians over the members are printed. The
 * memory is read again after --rest-s seconds at rest; --node-args='--flag ...' gives the
 * members' node binary flags (e.g. V8's own heap sizing, to compare with ringdht's).
 * Prints one JSON summary; every daemon and folder it made is removed on every exit.
 */
import { createServer } from 'node:net'
import { loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { type Daemon, Daemons } from './scale/daemons.js'
import { atRest, breakdownOf, round } from './scale/memory-figures.js'
import { pssBytes, sampleProcess, summary } from './scale/proc-stats.js'
import { MemberClients, mapLimit, waitUntilNoProblem } from './scale/ring-checks.js'

const { values } = parseArgs({
  options: {
    members: { type: 'string', default: '16' },
    keys: { type: 'string', default: '100000' },
    'value-bytes': { type: 'string', default: '100' },
    replicas: { type: 'string', default: '3' },
    'probe-keys': { type: 'string', default: '500' },
    stores: { type: 'string', default: 'lmdb,memory' },
    'deadline-s': { type: 'string', default: '1500' },
    breakdown: { type: 'boolean', default: false },
    // flags for the members' node binary, e.g. '--max-semi-space-size=16' to compare settings
    'node-args': { type: 'string', default: '' },
    // the memory is read again after this long at rest (no requests but the ring's upkeep)
    'rest-s': { type: 'string', default: '20' },
  },
})
const MEMBER_NODE_ARGS = (values['node-args'] ?? '').split(' ').filter((arg) => arg !== '')
const MEMORY_REPORT_HOOK = fileURLToPath(new URL('./scale/memory-report.js', import.meta.url))
const N = Number(values.members)
const KEYS = Number(values.keys)
const VALUE_BYTES = Number(values['value-bytes'])
const R = Number(values.replicas)
const PROBES = Math.min(KEYS, Number(values['probe-keys']))

const log = (message: string, fields: Record<string, unknown> = {}) =>
  process.stderr.write(`${new Date().toISOString()} ${message} ${JSON.stringify(fields)}\n`)
const running: Daemons[] = []
function stop(code: number, why: string): never {
  log(why)
  for (const daemons of running) daemons.cleanUp()
  process.exit(code)
}
process.once('SIGINT', () => stop(130, 'interrupted: cleaning up'))
process.once('SIGTERM', () => stop(143, 'terminated: cleaning up'))
const deadline = setTimeout(
  () => stop(2, `deadline of ${values['deadline-s']} s reached: cleaning up`),
  Number(values['deadline-s']) * 1000,
)

async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const server = createServer()
          server.once('error', reject)
          server.listen(0, '127.0.0.1', () => resolve(server))
        }),
    ),
  )
  const ports = servers.map((s) => (s.address() as { port: number }).port)
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))))
  return ports
}

const seconds = (ms: number) => Number((ms / 1000).toFixed(2))
const keyOf = (i: number) => `mem-${String(i).padStart(6, '0')}`
const importedValue = (i: number) => `${i}:`.padEnd(VALUE_BYTES, 'x')

/**
 * Spawn every member at once (member 0 starts the ring, the others join through its
 * port), then wait until every member reads each of `probes` correctly. Times from the
 * first and from the last spawn.
 */
async function startTogether(
  daemons: Daemons,
  ports: readonly number[],
  memory: boolean,
  clients: MemberClients,
  probes: () => Promise<ReadonlyMap<string, string>>,
): Promise<{ members: Daemon[]; fromFirstSpawn: number; fromLastSpawn: number }> {
  const bootstrap = [`/ip4/127.0.0.1/tcp/${ports[0]}`]
  const firstSpawn = performance.now()
  const members = ports.map((port, i) =>
    daemons.start(i, {
      memory,
      port,
      bootstrap: i === 0 ? [] : bootstrap,
      readyTimeoutMs: 180_000,
      extraArgs: ['--replicas', String(R)],
      nodeArgs: [
        ...MEMBER_NODE_ARGS,
        ...(values.breakdown ? ['--import', MEMORY_REPORT_HOOK] : []),
      ],
    }),
  )
  const lastSpawn = performance.now()
  const readyAt: number[] = []
  const addresses = await Promise.all(
    members.map((m) =>
      m.ready.then((address) => {
        readyAt.push(seconds(performance.now() - firstSpawn))
        return address
      }),
    ),
  )
  log('every member said ready (its join done)', {
    firstAfterSeconds: Math.min(...readyAt),
    lastAfterSeconds: Math.max(...readyAt),
  })
  const expected = await probes()
  const decoder = new TextDecoder()
  await waitUntilNoProblem(
    'every member serving the probe keys',
    async () => {
      const wrong = await mapLimit(addresses, 16, async (address) => {
        try {
          const client = await clients.of(address)
          for (const [key, value] of expected) {
            const found = await client.get(key, { signal: AbortSignal.timeout(5_000) })
            if (found === undefined) return `absent`
            if (decoder.decode(found.value) !== value) return 'another value'
          }
          return undefined
        } catch (err) {
          return (err as Error).name
        }
      })
      const failing = wrong.filter((w) => w !== undefined)
      const why = [...new Set(failing)].map((w) => `${failing.filter((f) => f === w).length} ${w}`)
      return failing.length === 0
        ? undefined
        : `${failing.length} members do not serve every probe key yet (${why.join(', ')})`
    },
    180_000,
  )
  const now = performance.now()
  return {
    members,
    fromFirstSpawn: seconds(now - firstSpawn),
    fromLastSpawn: seconds(now - lastSpawn),
  }
}

async function importKeys(address: string): Promise<number> {
  const { createClient } = await import('@ringdht/peer')
  const { pino } = await import('pino')
  const client = await createClient({
    peer: address,
    timeoutMs: 20_000,
    logger: pino({ level: 'silent' }),
  })
  const started = performance.now()
  try {
    await mapLimit(
      Array.from({ length: KEYS }, (_, i) => i),
      64,
      async (i) => {
        for (let attempt = 0; ; attempt++) {
          try {
            await client.put(keyOf(i), importedValue(i))
            return
          } catch (err) {
            // a busy machine makes a replica miss its deadline now and then: a pause, again
            if (attempt >= 8) throw err
            await new Promise((resolve) => setTimeout(resolve, 100 * (attempt + 1)))
          }
        }
      },
    )
  } finally {
    await client.close()
  }
  return seconds(performance.now() - started)
}

async function measureStore(store: 'lmdb' | 'memory') {
  const daemons = new Daemons()
  running.push(daemons)
  // the members' debug hook writes its reports there (the env is handed to every spawn)
  if (values.breakdown) process.env.RINGDHT_MEMORY_REPORT_DIR = daemons.root
  const clients = new MemberClients()
  const memory = store === 'memory'
  const ports = await freePorts(N)
  log('starting members together', { store, members: N })
  // a fresh ring holds nothing yet: the probe is a key written through member 0 once it is up
  const fresh = await startTogether(daemons, ports, memory, clients, async () => {
    const first = await clients.of(await (daemons.all[0] as Daemon).ready)
    // the ring may still be settling (a replica not yet known): the put is tried again
    await waitUntilNoProblem(
      'the probe key written',
      () =>
        first.put('probe', 'fresh').then(
          () => undefined,
          (err: Error) => `${err.name}: ${err.message}`,
        ),
      60_000,
    )
    return new Map([['probe', 'fresh']])
  })
  log('ready', { fromFirstSpawn: fresh.fromFirstSpawn, fromLastSpawn: fresh.fromLastSpawn })
  const idle = fresh.members.map((m) => sampleProcess(m.pid))
  const idlePss = fresh.members.map((m) => pssBytes(m.pid) ?? 0)
  const idleBreakdown = values.breakdown ? await breakdownOf(daemons, fresh.members) : undefined
  const importSeconds = await importKeys(await (fresh.members[0] as Daemon).ready)
  log('imported', { keys: KEYS, seconds: importSeconds })
  const records = async () =>
    (
      await mapLimit(
        fresh.members,
        16,
        async (m) => (await clients.status(await m.ready))?.storedCount ?? 0,
      )
    ).reduce((a, b) => a + b, 0)
  const settled = await waitUntilNoProblem(
    `${KEYS * R} records on the members`,
    async () => {
      const held = await records()
      return held >= KEYS * R ? undefined : `${held} held`
    },
    300_000,
  )
  const samples = fresh.members.map((m) => sampleProcess(m.pid))
  const mib = (bytes: number | undefined) => (bytes ?? 0) / 2 ** 20
  const rss = samples.map((p) => mib(p?.rssBytes))
  // the members' CPU from idle to every record replicated (start-up excluded)
  const importCpuSeconds = samples.reduce(
    (sum, p, i) => sum + (p?.cpuSeconds ?? 0) - (idle[i]?.cpuSeconds ?? 0),
    0,
  )
  const result: Record<string, unknown> = {
    store,
    readyFresh: {
      fromFirstSpawnSeconds: fresh.fromFirstSpawn,
      fromLastSpawnSeconds: fresh.fromLastSpawn,
    },
    importSeconds,
    replicatedAfterImportSeconds: seconds(settled * 1000),
    recordsHeld: await records(),
    rssMiBBeforeImport: round(summary(idle.map((p) => mib(p?.rssBytes)))),
    rssAnonMiBBeforeImport: round(summary(idle.map((p) => mib(p?.rssAnonBytes)))),
    pssMiBBeforeImport: round(summary(idlePss.map(mib))),
    rssMiBAfterImport: round(summary(rss)),
    // RSS counts the node binary's pages (~70 MiB, shared by every member) and LMDB's
    // mapped file: what each member holds on its own is its anonymous RSS; PSS divides
    // shared pages among the processes that map them
    rssAnonMiBAfterImport: round(summary(samples.map((p) => mib(p?.rssAnonBytes)))),
    rssFileMiBAfterImport: round(summary(samples.map((p) => mib(p?.rssFileBytes)))),
    pssMiBAfterImport: round(summary(fresh.members.map((m) => mib(pssBytes(m.pid))))),
    ...(await atRest(fresh.members, Number(values['rest-s']))),
    // all members together, per 1,000 keys imported: what a memory setting costs in CPU
    membersCpuSecondsPer1kKeys: Number(((importCpuSeconds * 1000) / KEYS).toFixed(3)),
    // member by member, in spawn order (member 0 started the ring and took the import's dial)
    perMemberAfterImport: await mapLimit(fresh.members, 16, async (m, i) => ({
      records: (await clients.status(await m.ready))?.storedCount,
      rssMiB: Number(rss[i]?.toFixed(1)),
      anonMiB: Number(mib(samples[i]?.rssAnonBytes).toFixed(1)),
      fileMiB: Number(mib(samples[i]?.rssFileBytes).toFixed(1)),
    })),
    ...(idleBreakdown === undefined
      ? {}
      : {
          breakdownBeforeImport: idleBreakdown,
          breakdownAfterImport: await breakdownOf(daemons, fresh.members),
        }),
  }
  log('rss', result)
  if (!memory) {
    await clients.close()
    // as a power cut leaves them, minus the disk: what LMDB wrote is in the page cache
    await Promise.all(fresh.members.map((m) => daemons.kill(m)))
    daemons.all.length = 0
    const probeKeys = new Map(
      Array.from({ length: PROBES }, (_, k) => Math.floor((k * KEYS) / PROBES)).map((i) => [
        keyOf(i),
        importedValue(i),
      ]),
    )
    const restartClients = new MemberClients()
    // they come back on the same ports, where the members they remember expect them
    const restarted = await startTogether(
      daemons,
      ports,
      false,
      restartClients,
      async () => probeKeys,
    )
    result.readyRestartWithData = {
      probeKeysPerMember: PROBES,
      fromFirstSpawnSeconds: restarted.fromFirstSpawn,
      fromLastSpawnSeconds: restarted.fromLastSpawn,
    }
    log('restarted', result.readyRestartWithData as Record<string, unknown>)
    await restartClients.close()
  } else {
    await clients.close()
  }
  daemons.cleanUp()
  return result
}

const loadAtStart = loadavg()
try {
  const results = []
  for (const store of (values.stores ?? '').split(',') as Array<'lmdb' | 'memory'>) {
    results.push(await measureStore(store))
  }
  const report = {
    command: `pnpm memory -- ${process.argv.slice(2).join(' ')}`.trim(),
    members: N,
    keys: KEYS,
    valueBytes: VALUE_BYTES,
    replicas: R,
    loadAverage1m: { atStart: loadAtStart[0], atEnd: loadavg()[0] },
    results,
  }
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
  clearTimeout(deadline)
  stop(0, 'done: cleaning up')
} catch (err) {
  stop(1, `failed: ${(err as Error).stack ?? err}`)
}
