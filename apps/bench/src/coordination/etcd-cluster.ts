/**
 * A 3-member etcd cluster on 127.0.0.1 for the coordination comparison: free ports, its
 * own temporary data folder (removed on stop and on any exit of the driver), members
 * killed with the driver however it ends. Management goes through etcd's JSON gateway
 * (/health, /v3/maintenance/status, /v3/kv/put) so the driver holds no gRPC channels.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { signalGroup, trackPid, untrackPid } from '../harness/process-group.js'
import { waitFor } from '../harness/wait.js'

/** The etcd binary on PATH (Debian's etcd-server puts it at /usr/bin/etcd), if any. */
export function findEtcd(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const candidate = join(dir, 'etcd')
    if (dir !== '' && existsSync(candidate)) return candidate
  }
  return undefined
}

/** `etcd --version`'s first line, e.g. "etcd Version: 3.4.23". */
export function etcdVersion(binary: string): string {
  const out = execFileSync(binary, ['--version'], { encoding: 'utf8' })
  return /Version:\s*(\S+)/.exec(out)?.[1] ?? 'unknown'
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  if (address === null || typeof address === 'string') throw new Error('no free port')
  return address.port
}

interface Member {
  name: string
  clientUrl: string
  peerUrl: string
  dataDir: string
  logPath: string
  process?: ChildProcess
  id?: string
}

/** How often a put is started after the leader is killed, until one succeeds. */
const WRITE_PROBE_MS = 25
const PROBE_TIMEOUT_MS = 1_000

const b64 = (text: string) => Buffer.from(text).toString('base64')

function isRunning(member: Member): boolean {
  const child = member.process
  return child !== undefined && child.exitCode === null && child.signalCode === null
}

export interface EtcdClusterInit {
  binary: string
  members?: number
  /** Where the data folders go. Default /dev/shm when present (fsync costs no disk). */
  dataRoot?: string
}

export class EtcdCluster {
  readonly version: string
  private readonly members: Member[]
  /** The members' data folders and logs, removed on stop. */
  readonly root: string
  private readonly cleanup = () => rmSync(this.root, { recursive: true, force: true })

  private constructor(
    private readonly binary: string,
    members: Member[],
    root: string,
  ) {
    this.members = members
    this.root = root
    this.version = etcdVersion(binary)
    process.on('exit', this.cleanup)
  }

  static async start(init: EtcdClusterInit): Promise<EtcdCluster> {
    const parent = init.dataRoot ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir())
    const root = mkdtempSync(join(parent, 'ringdht-bench-etcd-'))
    const members: Member[] = []
    for (let i = 0; i < (init.members ?? 3); i++) {
      const dataDir = join(root, `m${i}`)
      mkdirSync(dataDir)
      members.push({
        name: `m${i}`,
        clientUrl: `http://127.0.0.1:${await freePort()}`,
        peerUrl: `http://127.0.0.1:${await freePort()}`,
        dataDir,
        logPath: join(root, `m${i}.log`),
      })
    }
    const cluster = new EtcdCluster(init.binary, members, root)
    try {
      for (let i = 0; i < members.length; i++) cluster.launch(i, 'new')
      await cluster.waitHealthy(
        members.map((_, i) => i),
        30_000,
      )
      for (const member of members) {
        member.id = (await cluster.status(member)).header.member_id
      }
      return cluster
    } catch (err) {
      const logs = members.map((m) => `${m.name}: ${cluster.logTail(m)}`).join('\n')
      await cluster.stop()
      throw new Error(`etcd did not start: ${(err as Error).message}\n${logs}`)
    }
  }

  get endpoints(): string[] {
    return this.members.map((m) => m.clientUrl)
  }

  /** PIDs of the live members, for CPU sampling. */
  get pids(): number[] {
    return this.members.flatMap((m) => (m.process?.pid === undefined ? [] : [m.process.pid]))
  }

  private launch(index: number, state: 'new' | 'existing'): void {
    const member = this.members[index]
    if (member === undefined) throw new Error(`no etcd member ${index}`)
    const log = openSync(member.logPath, 'a')
    const child = spawn(
      this.binary,
      [
        `--name=${member.name}`,
        `--data-dir=${member.dataDir}`,
        `--listen-client-urls=${member.clientUrl}`,
        `--advertise-client-urls=${member.clientUrl}`,
        `--listen-peer-urls=${member.peerUrl}`,
        `--initial-advertise-peer-urls=${member.peerUrl}`,
        `--initial-cluster=${this.members.map((m) => `${m.name}=${m.peerUrl}`).join(',')}`,
        `--initial-cluster-state=${state}`,
        '--initial-cluster-token=ringdht-bench',
        '--logger=zap',
        '--log-level=warn',
      ],
      { detached: true, stdio: ['ignore', log, log] },
    )
    if (child.pid !== undefined) trackPid(child.pid)
    child.once('exit', () => {
      if (child.pid !== undefined) untrackPid(child.pid)
    })
    member.process = child
  }

  private logTail(member: Member): string {
    try {
      return readFileSync(member.logPath, 'utf8').split('\n').slice(-5).join('\n')
    } catch {
      return '(no log)'
    }
  }

  private async post<T>(member: Member, path: string, body: unknown, timeoutMs = 2_000) {
    const response = await fetch(`${member.clientUrl}${path}`, {
      method: 'POST',
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    })
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`)
    const json = (await response.json()) as T & { error?: string }
    if (json.error !== undefined) throw new Error(`${path}: ${json.error}`)
    return json
  }

  private status(member: Member) {
    return this.post<{ header: { member_id: string }; leader: string }>(
      member,
      '/v3/maintenance/status',
      {},
    )
  }

  private async waitHealthy(indices: number[], timeoutMs: number): Promise<void> {
    await waitFor(
      async () => {
        const healthy = await Promise.all(
          indices.map(async (i) => {
            const member = this.members[i]
            if (member === undefined) return false
            try {
              const response = await fetch(`${member.clientUrl}/health`, {
                signal: AbortSignal.timeout(1_000),
              })
              return ((await response.json()) as { health?: string }).health === 'true'
            } catch {
              return false
            }
          }),
        )
        return { done: healthy.every(Boolean), detail: `healthy ${healthy.join(',')}` }
      },
      { timeoutMs, intervalMs: 50, description: 'etcd members to report healthy' },
    )
  }

  /** The member the others follow, by index. */
  async leaderIndex(): Promise<number> {
    for (const member of this.members) {
      if (!isRunning(member)) continue
      try {
        const { leader } = await this.status(member)
        const index = this.members.findIndex((m) => m.id === leader)
        if (index >= 0) return index
      } catch {
        // ask the next member
      }
    }
    throw new Error('no etcd member names a leader')
  }

  /**
   * SIGKILLs member `index` (the leader, in the bench) and times, from the kill, the
   * first put through a survivor that succeeds and the first status that names a
   * surviving leader.
   */
  async killAndTimeFailover(
    index: number,
    timeoutMs: number,
  ): Promise<{ writeMs: number; leaderMs: number }> {
    const victim = this.members[index]
    if (victim?.process?.pid === undefined) throw new Error(`etcd member ${index} is not running`)
    const survivors = this.members.filter((m) => m !== victim)
    const exited = new Promise((resolve) => victim.process?.once('exit', resolve))
    const killedAt = performance.now()
    signalGroup(victim.process.pid, 'SIGKILL')
    await exited
    const deadline = AbortSignal.timeout(timeoutMs)
    // a put proposed while there is no leader is dropped and only fails at its timeout, so
    // puts start every WRITE_PROBE_MS, overlapping: the first to succeed is timed
    const firstWrite = (): Promise<number> =>
      new Promise((resolve, reject) => {
        let done = false
        const probe = (attempt: number) => {
          if (done) return
          if (deadline.aborted) {
            done = true
            reject(new Error(`no put succeeded within ${timeoutMs} ms of killing the etcd leader`))
            return
          }
          const member = survivors[attempt % survivors.length]
          if (member === undefined) return
          const put = { key: b64('failover'), value: b64(String(attempt)) }
          this.post(member, '/v3/kv/put', put, PROBE_TIMEOUT_MS)
            .then(() => {
              if (!done) resolve(performance.now() - killedAt)
              done = true
            })
            .catch(() => {})
          void delay(WRITE_PROBE_MS).then(() => probe(attempt + 1))
        }
        probe(0)
      })
    const newLeader = async (): Promise<number> => {
      await waitFor(
        async () => {
          const leaders = await Promise.all(
            survivors.map((m) =>
              this.status(m).then(
                (s) => s.leader,
                () => '',
              ),
            ),
          )
          return leaders.some((id) => survivors.some((m) => m.id === id))
        },
        { timeoutMs, intervalMs: 10, description: 'a surviving etcd member to lead' },
      )
      return performance.now() - killedAt
    }
    const [writeMs, leaderMs] = await Promise.all([firstWrite(), newLeader()])
    return { writeMs, leaderMs }
  }

  /** Starts a killed member again on its data folder and waits until all are healthy. */
  async restart(index: number): Promise<void> {
    this.launch(index, 'existing')
    await this.waitHealthy(
      this.members.map((_, i) => i),
      30_000,
    )
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.members.map(async (member) => {
        const child = member.process
        if (child?.pid === undefined || !isRunning(member)) return
        const exited = new Promise((resolve) => child.once('exit', resolve))
        signalGroup(child.pid, 'SIGKILL')
        await exited
      }),
    )
    this.cleanup()
    process.off('exit', this.cleanup)
  }
}
