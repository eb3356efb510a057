/**
 * The ring at scale on one host: N real daemons started through the CLI (`ringdht start`
 * on 127.0.0.1, ephemeral ports, LMDB data folders under one temp folder, or --memory).
 *
 *   npx --yes pnpm@10 scale -- --members 64
 *
 * 1. starts the members (a few at a time, each joining through a random member already
 *    up) and waits until every member's successor and predecessor are its ring neighbours;
 * 2. writes --keys keys through a client (acknowledged writes are remembered);
 * 3. reads every key through --read-members members (the member routes each get);
 * 4. at rest, measures per member over --rest-s seconds: RPC requests served and frame
 *    bytes in + out (the members' status counters), syscall I/O bytes and CPU of the node
 *    process (/proc/PID/stat and io), and its RSS;
 * 5. SIGKILLs --kill members at once, chosen at least r apart in ring order (so that no
 *    replica set loses more than one copy), waits for the survivors to form a ring, and
 *    reads every key again through --read-members survivors. A key some member read as
 *    absent or changed is an absent read (a consistency failure); one that 3 other
 *    survivors still cannot read right afterwards is a lost acknowledged write.
 * Prints one JSON summary. Stops itself after --deadline-s; every daemon it started and
 * its temp folder are removed on every exit (end, failure, deadline, SIGINT, SIGTERM).
 */
import { parseArgs } from 'node:util'
import { type Daemon, Daemons } from './scale/daemons.js'
import {
  executableOf,
  type ProcSample,
  ratesBetween,
  sampleProcess,
  summary,
} from './scale/proc-stats.js'
import {
  MemberClients,
  mapLimit,
  type ReadOutcome,
  readEverything,
  ringProblem,
  waitUntilNoProblem,
} from './scale/ring-checks.js'

const { values } = parseArgs({
  options: {
    members: { type: 'string', default: '64' },
    keys: { type: 'string', default: '2000' },
    'read-members': { type: 'string', default: '20' },
    kill: { type: 'string', default: '4' },
    replicas: { type: 'string', default: '3' },
    'start-concurrency': { type: 'string', default: '8' },
    'settle-s': { type: 'string', default: '15' },
    'rest-s': { type: 'string', default: '30' },
    'deadline-s': { type: 'string', default: '1200' },
    memory: { type: 'boolean', default: false },
  },
})
const N = Number(values.members)
const KEYS = Number(values.keys)
const READ_MEMBERS = Math.min(N, Number(values['read-members']))
const KILL = Number(values.kill)
const R = Number(values.replicas)

const daemons = new Daemons()
const clients = new MemberClients()
const log = (message: string, fields: Record<string, unknown> = {}) =>
  process.stderr.write(`${new Date().toISOString()} ${message} ${JSON.stringify(fields)}\n`)

function stop(code: number, why: string): never {
  log(why)
  daemons.cleanUp()
  process.exit(code)
}
process.once('SIGINT', () => stop(130, 'interrupted: cleaning up'))
process.once('SIGTERM', () => stop(143, 'terminated: cleaning up'))
const deadline = setTimeout(
  () => stop(2, `deadline of ${values['deadline-s']} s reached: cleaning up`),
  Number(values['deadline-s']) * 1000,
)

const address = new Map<Daemon, string>()
const addressesOf = (members: readonly Daemon[]) => members.map((d) => address.get(d) as string)

async function startMembers(): Promise<{ firstToAllReady: number; readyToRing: number }> {
  const started = performance.now()
  const options = { memory: values.memory, readyTimeoutMs: 120_000 }
  const first = daemons.start(0, { ...options, bootstrap: [] })
  address.set(first, await first.ready)
  await mapLimit(
    Array.from({ length: N - 1 }, (_, i) => i + 1),
    Number(values['start-concurrency']),
    async (index) => {
      const up = [...address.values()]
      const through = up[Math.floor(Math.random() * up.length)] as string
      const daemon = daemons.start(index, { ...options, bootstrap: [through] })
      try {
        address.set(daemon, await daemon.ready)
      } catch (err) {
        throw new Error(`${(err as Error).message}\n${daemon.logs.slice(-15).join('\n')}`)
      }
      if (index % 8 === 0) log('members ready', { ready: address.size })
    },
  )
  const firstToAllReady = (performance.now() - started) / 1000
  const readyToRing = await waitUntilNoProblem(
    'one ring',
    () => ringProblem(clients, addressesOf(daemons.all)),
    300_000,
  )
  return { firstToAllReady, readyToRing }
}

async function writeKeys(): Promise<{
  acknowledged: Map<string, string>
  failed: number
  seconds: number
}> {
  const started = performance.now()
  const writer = await clients.of(address.get(daemons.all[0] as Daemon) as string)
  const acknowledged = new Map<string, string>()
  let failed = 0
  await mapLimit(
    Array.from({ length: KEYS }, (_, i) => i),
    32,
    async (i) => {
      const key = `scale-${i}`
      const value = `value-${i}-${Math.random().toString(36).slice(2)}`
      try {
        await writer.put(key, value)
        acknowledged.set(key, value)
      } catch {
        failed++
      }
    },
  )
  return { acknowledged, failed, seconds: (performance.now() - started) / 1000 }
}

async function readFrom(members: readonly Daemon[], expected: ReadonlyMap<string, string>) {
  const outcomes = await mapLimit(members, 4, (member) =>
    readEverything(clients, address.get(member) as string, expected, 32),
  )
  const wrong = new Set(outcomes.flatMap((o: ReadOutcome) => o.wrong))
  const lost = new Set(outcomes.flatMap((o) => [...o.absent, ...o.otherValue]))
  return {
    members: members.length,
    reads: outcomes.reduce((n, o) => n + o.reads, 0),
    failedReads: outcomes.reduce((n, o) => n + o.wrong.length, 0),
    keysNotRead: wrong.size,
    /** Keys some member read as absent or with another value (not an error: an answer). */
    keysAnsweredWrong: lost.size,
    wrongKeys: [...wrong],
    absent: [...new Set(outcomes.flatMap((o) => o.absent))].slice(0, 10),
    otherValue: [...new Set(outcomes.flatMap((o) => o.otherValue))].slice(0, 10),
    errors: outcomes.reduce((n, o) => n + o.errors, 0),
    readAgain: outcomes.flatMap((o) => o.readAgain).slice(0, 10),
    lastError: outcomes.find((o) => o.lastError !== undefined)?.lastError,
    meanHops: Number(summary(outcomes.map((o) => o.meanHops)).mean.toFixed(3)),
    secondsPerMember: Number(summary(outcomes.map((o) => o.seconds)).mean.toFixed(2)),
  }
}

/** Per-member traffic and CPU over `seconds` of rest. */
async function atRest(members: readonly Daemon[], seconds: number) {
  const counters = async () =>
    mapLimit(members, 16, async (d) => (await clients.status(address.get(d) as string))?.counters)
  const before = await counters()
  const procBefore = members.map((d) => sampleProcess(d.pid))
  const startedAt = performance.now()
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000))
  const procAfter = members.map((d) => sampleProcess(d.pid))
  const after = await counters()
  const elapsed = (performance.now() - startedAt) / 1000
  const per = (name: string) =>
    members.map((_, i) => ((after[i]?.[name] ?? 0) - (before[i]?.[name] ?? 0)) / elapsed)
  const requests = per('rpcRequestsServed')
  const bytesIn = per('rpcBytesIn')
  const bytesOut = per('rpcBytesOut')
  const rates = members.map((_, i) =>
    ratesBetween(procBefore[i] as ProcSample, procAfter[i] as ProcSample),
  )
  const round = (s: ReturnType<typeof summary>, digits = 1) =>
    Object.fromEntries(Object.entries(s).map(([k, v]) => [k, Number(v.toFixed(digits))]))
  return {
    seconds: Number(elapsed.toFixed(1)),
    requestsServedPerSecond: round(summary(requests)),
    rpcBytesPerSecond: round(summary(bytesIn.map((b, i) => b + (bytesOut[i] ?? 0))), 0),
    syscallBytesPerSecond: round(
      summary(rates.map((r) => r.readBytesPerSecond + r.writtenBytesPerSecond)),
      0,
    ),
    cpuPercentOfACore: round(summary(rates.map((r) => r.cpu * 100)), 2),
    rssMiB: round(summary(procAfter.map((p) => (p?.rssBytes ?? 0) / 2 ** 20))),
    // without the shared file pages (the node binary): each member's own memory
    rssAnonMiB: round(summary(procAfter.map((p) => (p?.rssAnonBytes ?? 0) / 2 ** 20))),
  }
}

/**
 * Of the keys some member read wrong (an absent or stale answer is a consistency failure,
 * not yet a loss), those that 3 other survivors still cannot read right: lost writes.
 */
async function stillNotRead(
  survivors: readonly Daemon[],
  keys: readonly string[],
  acknowledged: ReadonlyMap<string, string>,
): Promise<string[]> {
  if (keys.length === 0) return []
  const expected = new Map(keys.map((key) => [key, acknowledged.get(key) as string]))
  const outcomes = await mapLimit(sample(survivors, 3), 3, (member) =>
    readEverything(clients, address.get(member) as string, expected, 8),
  )
  return keys.filter((key) => outcomes.every((o) => o.wrong.includes(key)))
}

/** Counters that tell of membership trouble and degraded reads, summed over `members`. */
async function troubleCounters(members: readonly Daemon[]): Promise<Record<string, number>> {
  const names = [
    'failuresDetected',
    'rejoins',
    'merges',
    'catchUps',
    'readFallbacks',
    'readQuorumFailures',
    'quorumFailures',
    'ownerCacheHits',
    'ownerCacheStale',
  ]
  const all = await mapLimit(
    members,
    16,
    async (d) => (await clients.status(address.get(d) as string))?.counters,
  )
  return Object.fromEntries(
    names.map((name) => [name, all.reduce((n, c) => n + (c?.[name] ?? 0), 0)]),
  )
}

/** `count` members spread evenly in ring order: with N / count ≥ r, no two share a replica set. */
async function victims(count: number): Promise<Daemon[]> {
  const withIds = await mapLimit(daemons.all, 16, async (d) => ({
    d,
    ringId: (await clients.status(address.get(d) as string))?.ringId ?? '',
  }))
  const inOrder = withIds.sort((a, b) => (a.ringId < b.ringId ? -1 : 1)).map((x) => x.d)
  if (Math.floor(N / count) < R)
    throw new Error(`${count} kills among ${N} members share replica sets`)
  return Array.from({ length: count }, (_, k) => inOrder[Math.floor((k * N) / count) + 1] as Daemon)
}

/** A read summary without its full list of keys read wrong. */
function shown<T extends { wrongKeys: string[] }>(outcome: T): Omit<T, 'wrongKeys'> {
  const { wrongKeys, ...rest } = outcome
  return { ...rest, keysReadWrong: wrongKeys.length }
}

function sample<T>(items: readonly T[], count: number): T[] {
  const copy = [...items]
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[copy[i], copy[j]] = [copy[j] as T, copy[i] as T]
  }
  return copy.slice(0, count)
}

try {
  log('starting members', {
    members: N,
    store: values.memory ? 'memory' : 'lmdb',
    root: daemons.root,
  })
  const formation = await startMembers()
  log('one ring', formation)
  const exe = executableOf(daemons.all[0]?.pid ?? 0)
  const written = await writeKeys()
  log('written', { acknowledged: written.acknowledged.size, failed: written.failed })
  const reads = await readFrom(sample(daemons.all, READ_MEMBERS), written.acknowledged)
  log('read from members', shown(reads))
  await new Promise((resolve) => setTimeout(resolve, Number(values['settle-s']) * 1000))
  const rest = await atRest(daemons.all, Number(values['rest-s']))
  log('at rest', rest)
  const beforeKill = await troubleCounters(daemons.all)
  log('counters before the kill', beforeKill)
  const killed = await victims(KILL)
  const killedAt = performance.now()
  await Promise.all(killed.map((d) => daemons.kill(d)))
  const survivors = daemons.all.filter((d) => !killed.includes(d))
  const reformed = await waitUntilNoProblem(
    'one ring of the survivors',
    () => ringProblem(clients, addressesOf(survivors)),
    180_000,
  )
  const afterKill = await readFrom(sample(survivors, READ_MEMBERS), written.acknowledged)
  const lost = await stillNotRead(survivors, afterKill.wrongKeys, written.acknowledged)
  const report = {
    command: `pnpm scale -- ${process.argv.slice(2).join(' ')}`.trim(),
    members: N,
    keys: KEYS,
    replicas: R,
    store: values.memory ? 'memory' : 'lmdb',
    sampled: `${READ_MEMBERS} members x all ${KEYS} keys`,
    sampledProcess: exe,
    formation: {
      firstSpawnToAllReadySeconds: Number(formation.firstToAllReady.toFixed(1)),
      allReadyToOneRingSeconds: Number(formation.readyToRing.toFixed(1)),
    },
    writes: {
      acknowledged: written.acknowledged.size,
      failed: written.failed,
      seconds: Number(written.seconds.toFixed(1)),
    },
    reads: shown(reads),
    atRest: rest,
    countersBeforeKill: beforeKill,
    countersAtEnd: await troubleCounters(survivors),
    kill: {
      killed: killed.length,
      ringAgainSeconds: Number(reformed.toFixed(1)),
      killToReadsDoneSeconds: Number(((performance.now() - killedAt) / 1000).toFixed(1)),
      ...shown(afterKill),
      lostAcknowledgedWrites: lost.length,
      lost: lost.slice(0, 10),
    },
  }
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
  clearTimeout(deadline)
  await clients.close()
  stop(reads.keysNotRead === 0 && afterKill.keysNotRead === 0 ? 0 : 1, 'done: cleaning up')
} catch (err) {
  stop(1, `failed: ${(err as Error).stack ?? err}`)
}
