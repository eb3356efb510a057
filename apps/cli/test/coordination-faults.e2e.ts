import assert from 'node:assert/strict'
import type { ChildProcess } from 'node:child_process'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { after, before, describe, it } from 'node:test'
import { checkHistory, formatHistory } from '@ringdht/consensus'
import { createClient, FencedError, type RingClient } from '@ringdht/peer'
import { ringIdOf, SortedRing } from '@ringdht/ring'
import {
  type FencedWrite,
  type Grant,
  HistoryRecorder,
  lockViolations,
  modelValue,
} from './coordination-history.js'
import {
  type Daemon,
  freePorts,
  killAll,
  killGroup,
  spawnDaemon,
  tempDir,
  waitFor,
} from './helpers.js'

const REGISTERS = ['reg-a', 'reg-b', 'reg-c']
const FENCED = 'fenced-reg'
const LOCK = 'fault-lock'
const LEASE_MS = 1500
/** Bounds on the workload: operations per register worker, and its whole run. */
const MAX_OPS_PER_WORKER = 120
const WORKLOAD_DEADLINE_MS = 45_000

const text = (value: Uint8Array | undefined) =>
  value === undefined ? undefined : new TextDecoder().decode(value)
const lockKeyBytes = (name: string) => new TextEncoder().encode(`\u0000lock/${name}`)

// Not in `pnpm test`: `pnpm test:coordination-faults`, which CI runs after it. In 22 runs
// on 2026-12-02 it found register rollbacks and a lock stall (fixed, see the README), then
// a cas applied twice after its owner's SIGKILL (a forward's lost answer was reported as
// PEER_UNREACHABLE and resent by the client; fixed); 20 of 20 runs passed after that.

/**
 * Registers and a fenced lock on five daemons while members fail: concurrent clients
 * record every operation (ok, failed, or of unknown outcome) while the test SIGKILLs a
 * member and restarts it, SIGSTOPs a member and a lock holder's process past the lease,
 * starts a new member that joins, and wipes one member's coordination state (same
 * identity). The consensus package's linearizability checker then reads the history,
 * and the lock's grants and fenced writes are checked: tokens strictly increasing, and
 * a write with an older token refused once a newer one wrote.
 */
describe('coordination under member faults (4 daemons + 1 joining, r = 3)', {
  timeout: 150_000,
}, () => {
  let dir: Awaited<ReturnType<typeof tempDir>>
  let port = 0
  const daemons: Daemon[] = []
  const addrs: string[] = []
  const ringIds: bigint[] = []
  const clients: RingClient[] = []
  /** Every daemon process of the run (restarts too), for RINGDHT_FAULT_LOGS. */
  const everStarted: Array<[string, Daemon]> = []

  const start = async (i: number) => {
    const daemon = spawnDaemon([
      'start',
      '--listen',
      `/ip4/127.0.0.1/tcp/${port + i}`,
      '--data-dir',
      join(dir.path, `node-${i}`),
      ...(i === 0 ? [] : ['--bootstrap', addrs[0] as string]),
    ])
    daemons[i] = daemon
    everStarted.push([
      `node-${i}.${everStarted.filter(([n]) => n.startsWith(`node-${i}.`)).length}`,
      daemon,
    ])
    const ready = await daemon.ready
    addrs[i] = `/ip4/127.0.0.1/tcp/${port + i}/p2p/${ready.peerId}`
    ringIds[i] = BigInt(`0x${ready.ringId}`)
  }
  const ownerOf = (key: Uint8Array, among: number[]) => {
    const ids = among.map((i) => ringIds[i] as bigint)
    const owner = new SortedRing(ids).successor(ringIdOf(key))
    return among[ids.indexOf(owner as bigint)] as number
  }
  const kill = async (i: number) => {
    killGroup(daemons[i]?.child as ChildProcess, 'SIGKILL')
    await daemons[i]?.exited
  }

  before(async () => {
    dir = await tempDir('ringdht-coord-faults-')
    port = await freePorts(5)
    await start(0)
    await Promise.all([1, 2, 3].map(start))
    // a short deadline: operations cut off while the owner still proposes have unknown outcomes
    for (let i = 0; i < 3; i++) {
      clients.push(await createClient({ peer: addrs[0] as string, timeoutMs: 2_000 }))
    }
  })
  after(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => {})))
    killAll()
    // RINGDHT_FAULT_LOGS=DIR keeps every member's log (with RINGDHT_LOG_LEVEL=debug: rounds)
    const logs = process.env.RINGDHT_FAULT_LOGS
    if (logs !== undefined && logs !== '') {
      await mkdir(logs, { recursive: true })
      for (const [name, daemon] of everStarted) {
        await writeFile(join(logs, `${name}.log`), daemon.logs.join('\n'))
      }
    }
    await dir?.remove()
  })

  it('keeps registers linearizable and the lock fenced through kill, stop, join and wipe', async () => {
    const started = performance.now()
    const history = new HistoryRecorder()
    const grants: Grant[] = []
    const writes: FencedWrite[] = []
    let stopping = false
    const stop = () => stopping || performance.now() - started > WORKLOAD_DEADLINE_MS
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

    const registerWorker = async (client: RingClient, name: string) => {
      const seen = new Map<string, string | undefined>()
      for (let n = 1; n <= MAX_OPS_PER_WORKER && !stop(); n++) {
        const key = REGISTERS[Math.floor(Math.random() * REGISTERS.length)] as string
        try {
          if (Math.random() < 0.4) {
            const result = await history.record(name, key, { kind: 'read' }, () => client.read(key))
            seen.set(key, text(result?.value))
          } else {
            const expected = seen.get(key)
            const next = `${name}.${n}`
            const op = {
              kind: 'cas',
              expected: modelValue(expected),
              next: modelValue(next),
            } as const
            const result = await history.record(name, key, op, () =>
              client.cas(key, expected, next),
            )
            seen.set(key, text(result?.value))
          }
        } catch {
          await pause(50) // recorded; a member is down: do not spin
        }
        await pause(20)
      }
    }

    // the in-process lock holders take turns; `gate` holds them back while the CLI takes it
    let gate: Promise<void> = Promise.resolve()
    const fencedWrite = async (client: RingClient, holder: string, token: number, tag: string) => {
      const invokedAt = performance.now()
      let status: FencedWrite['status'] = 'other'
      try {
        const current = await history.record(holder, FENCED, { kind: 'read' }, () =>
          client.read(FENCED),
        )
        const expected = text(current?.value)
        const next = `${holder}.${tag}`
        const op = { kind: 'cas', expected: modelValue(expected), next: modelValue(next) } as const
        const result = await history.record(holder, FENCED, op, () =>
          client.cas(FENCED, expected, next, { fence: { lock: LOCK, token } }),
        )
        if (result?.succeeded === true) status = 'ok'
      } catch (err) {
        if (err instanceof FencedError) status = 'fenced'
        else trouble(`${holder} write: ${(err as Error).name}: ${(err as Error).message}`)
      }
      writes.push({ holder, token, invokedAt, completedAt: performance.now(), status })
      return status
    }
    /** The last things that went wrong for the lock holders, for a failure message. */
    const lockTrouble: string[] = []
    const trouble = (what: string) => {
      lockTrouble.push(`${Math.round(performance.now())} ms: ${what}`)
      if (lockTrouble.length > 12) lockTrouble.shift()
    }
    const lockWorker = async (client: RingClient, holder: string) => {
      for (let n = 1; !stop(); n++) {
        await gate
        const invokedAt = performance.now()
        try {
          const handle = await client.lock(LOCK, {
            ttlMs: LEASE_MS,
            holder,
            signal: AbortSignal.timeout(15_000),
          })
          grants.push({ holder, token: handle.token, invokedAt, completedAt: performance.now() })
          await fencedWrite(client, holder, handle.token, `t${handle.token}.${n}`)
          await handle.unlock().catch(() => {})
        } catch (err) {
          // no grant (a member down, or the wait ran out): try again
          trouble(`${holder}: ${(err as Error).name}: ${(err as Error).message}`)
        }
        await pause(100 + Math.random() * 200)
      }
    }

    const workers = [
      ...clients.map((client, i) => registerWorker(client, `c${i}`)),
      lockWorker(clients[0] as RingClient, 'h0'),
      lockWorker(clients[1] as RingClient, 'h1'),
    ]
    const opsSoFar = () => history.count((e) => e.status === 'ok')
    const moreOps = async (what: string, count: number) => {
      const target = opsSoFar() + count
      await waitFor(what, () => opsSoFar() >= target, { timeoutMs: 30_000, intervalMs: 100 })
    }
    const faults: string[] = []

    try {
      await moreOps('a warm-up', 20)

      // (a) SIGKILL a member that owns a register (so operations meet it), and restart it
      // from its data folder; node-0 stays up: the clients dialled it and others join through it
      const owning = (among: number[]) =>
        REGISTERS.map((key) => ownerOf(new TextEncoder().encode(key), among)).filter((i) => i !== 0)
      const killed = owning([0, 1, 2, 3])[0] ?? 2
      await kill(killed)
      faults.push(`SIGKILL node-${killed}`)
      await moreOps(`operations with node-${killed} dead`, 30)
      await start(killed)
      faults.push(`restart node-${killed} from its data dir`)
      await moreOps('operations after the restart', 10)

      // (b) a lock holder's process and a member stopped past the lease: the holder is a
      // CLI process holding the lock; a member that owns neither the lock nor the fenced
      // register is stopped with it (an owner stopped would hold everything up until the
      // ring declares it dead)
      let releaseGate = () => {}
      gate = new Promise<void>((resolve) => {
        releaseGate = resolve
      })
      const tokenFile = join(dir.path, 'token')
      const holder = spawnDaemon([
        'lock',
        LOCK,
        '--ttl',
        String(LEASE_MS),
        '--peer',
        addrs[0] as string,
        '--',
        'sh',
        '-c',
        `echo "$RINGDHT_LOCK_TOKEN" > "${tokenFile}"; sleep 30`,
      ])
      const staleToken = await waitFor('the CLI holder’s grant', async () => {
        const token = Number((await readFile(tokenFile, 'utf8').catch(() => '')).trim())
        return token > 0 ? token : undefined
      })
      grants.push({
        holder: 'cli',
        token: staleToken,
        invokedAt: 0,
        completedAt: performance.now(),
      })
      const live = [0, 1, 2, 3]
      const owners = [
        ownerOf(lockKeyBytes(LOCK), live),
        ownerOf(new TextEncoder().encode(FENCED), live),
      ]
      const candidates = [1, 2, 3].filter((i) => !owners.includes(i))
      const paused = candidates.find((i) => owning(live).includes(i)) ?? (candidates[0] as number)
      killGroup(holder.child, 'SIGSTOP')
      killGroup(daemons[paused]?.child as ChildProcess, 'SIGSTOP')
      faults.push(`SIGSTOP node-${paused} and the CLI lock holder (token ${staleToken})`)
      releaseGate()
      // stopped until a newer holder got the lock (after the lease ran out) and wrote with it
      await waitFor(
        'a newer holder’s fenced write',
        () => writes.some((w) => w.status === 'ok' && w.token > staleToken),
        { timeoutMs: 30_000, intervalMs: 100 },
      ).catch((err: Error) =>
        assert.fail(`${err.message}; lock holders saw:\n${lockTrouble.join('\n')}`),
      )
      killGroup(daemons[paused]?.child as ChildProcess, 'SIGCONT')
      killGroup(holder.child, 'SIGCONT')
      faults.push(`SIGCONT node-${paused} and the CLI lock holder`)
      // the paused holder wakes up and writes with its old token: refused
      // (a member just resumed: a write may meet a transient error first; it is tried again)
      let stale = await fencedWrite(clients[2] as RingClient, 'cli', staleToken, 'stale')
      for (let attempt = 1; stale === 'other' && attempt < 5; attempt++) {
        await pause(200)
        stale = await fencedWrite(clients[2] as RingClient, 'cli', staleToken, `stale${attempt}`)
      }
      assert.equal(
        stale,
        'fenced',
        `a write with the paused holder’s token was not refused; lock holders saw:\n${lockTrouble.join('\n')}`,
      )
      // and the CLI tells its command it lost the lock (exit 4)
      assert.equal(await holder.exited, 4, holder.logs.join('\n'))
      killGroup(holder.pid, 'SIGKILL') // its command's `sleep`, left behind in its group

      // (c) a new member joins
      await start(4)
      faults.push('node-4 joins')
      await moreOps('operations after the join', 15)

      // (d) a member loses its coordination state but keeps its identity
      const wiped = owning([0, 1, 2, 3, 4])[0] ?? (paused === 1 ? 2 : 1)
      await kill(wiped)
      await rm(join(dir.path, `node-${wiped}`, 'coordination'), { recursive: true, force: true })
      await start(wiped)
      faults.push(`SIGKILL node-${wiped}, wipe its coordination data, restart it`)
      assert.ok(
        (daemons[wiped] as Daemon).logs.some((l) => /coordination state is missing/.test(l)),
        'the wiped member did not notice its lost state',
      )
      await moreOps('operations after the wipe', 15)
    } finally {
      stopping = true
      await Promise.all(workers)
    }

    // a final read of every register
    for (const key of [...REGISTERS, FENCED]) {
      await waitFor(
        `a final read of ${key}`,
        () =>
          history.record('final', key, { kind: 'read' }, () =>
            (clients[0] as RingClient).read(key),
          ),
        { timeoutMs: 20_000, intervalMs: 200 },
      )
    }

    const verdict = checkHistory(history.entries)
    const lockProblems = lockViolations(grants, writes)
    const seconds = ((performance.now() - started) / 1000).toFixed(1)
    const fencedCounts = ['ok', 'fenced', 'other'].map(
      (s) => `${s} ${writes.filter((w) => w.status === s).length}`,
    )
    console.log(
      `history: ${history.summary()}\nfaults: ${faults.join('; ')}\nlock: ${grants.length} grants (tokens ${grants.map((g) => g.token).join(',')}), fenced writes ${fencedCounts.join(', ')}\nchecker: ${verdict.verdict}; lock violations: ${lockProblems.length}; ${seconds} s`,
    )
    assert.deepEqual(lockProblems, [])
    assert.equal(
      verdict.verdict,
      'linearizable',
      formatHistory(history.entries.filter((e) => verdict.violations.includes(e.key))),
    )
    assert.ok(history.count((e) => e.operation.kind === 'cas' && e.status === 'ok') >= 20)
    // the check is not vacuous: the same history with one final read altered is refused
    const altered = history.entries.map((e) =>
      e.process === 'final' && e.key === REGISTERS[0] && e.output !== undefined
        ? { ...e, output: { ...e.output, state: { value: modelValue('never'), version: 1 } } }
        : e,
    )
    assert.equal(checkHistory(altered).verdict, 'violation')
  })
})
