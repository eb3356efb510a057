/**
 * ringdht as users run it: `ringdht start --memory` daemons, each the node binary itself
 * (node_modules/node/bin/node, not the .bin shell shim, so its PID is the process doing the
 * work) on the compiled CLI, in its own process group, on 127.0.0.1. The first one starts
 * the ring; the others bootstrap from it. Ready means its `ready` log line was printed.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { cpuProfArgs } from '../harness/cpu-prof.js'
import { freePort } from '../harness/free-port.js'
import { signalGroup, trackPid, untrackPid } from '../harness/process-group.js'

/** The compiled CLI of apps/cli, run exactly as `ringdht` would be. */
export const CLI_BIN = fileURLToPath(new URL('../../../../cli/dist/src/bin.js', import.meta.url))
const REPO_NODE = fileURLToPath(
  new URL('../../../../../node_modules/node/bin/node', import.meta.url),
)

/** The repository's node binary, or this process's own when run from elsewhere. */
export function nodeBinary(): string {
  return existsSync(REPO_NODE) ? REPO_NODE : process.execPath
}

export interface Daemon {
  name: string
  pid: number
  peerId: string
  /** `/ip4/127.0.0.1/tcp/PORT/p2p/ID`. */
  address: string
  child: ChildProcess
  exited: Promise<void>
  /** The last log lines, for a failure message. */
  logs: string[]
}

const LOG_LINES_KEPT = 20

async function spawnDaemon(
  name: string,
  bootstrap: string | undefined,
  nodeArgs: string[],
): Promise<Daemon> {
  const port = await freePort()
  // the bench's client process configures its queues (policy, lease)
  const args = [
    ...nodeArgs,
    CLI_BIN,
    'start',
    '--memory',
    '--client-queue-admin',
    '--listen',
    `/ip4/127.0.0.1/tcp/${port}`,
  ]
  if (bootstrap !== undefined) args.push('--bootstrap', bootstrap)
  const child = spawn(nodeBinary(), args, {
    detached: true,
    // the daemon stops itself if the bench dies before its teardown
    env: {
      ...process.env,
      RINGDHT_LOG_FORMAT: 'json',
      RINGDHT_PARENT_PID: String(process.pid),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const pid = child.pid
  if (pid === undefined) throw new Error(`${name}: spawn failed`)
  trackPid(pid)
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      untrackPid(pid)
      resolve()
    }),
  )
  const logs: string[] = []
  const keep = (line: string) => {
    logs.push(line)
    if (logs.length > LOG_LINES_KEPT) logs.shift()
  }
  createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', keep)
  const peerId = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} not ready after 60 s`)), 60_000)
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      keep(line)
      try {
        const entry = JSON.parse(line) as { msg?: string; peerId?: string }
        if (entry.msg === 'ready' && typeof entry.peerId === 'string') {
          clearTimeout(timer)
          resolve(entry.peerId)
        }
      } catch {
        // not a log line
      }
    })
    void exited.then(() => {
      clearTimeout(timer)
      reject(new Error(`${name} exited before ready`))
    })
  }).catch((err: Error) => {
    signalGroup(pid, 'SIGKILL')
    throw new Error(`${err.message}:\n${logs.join('\n')}`)
  })
  return {
    name,
    pid,
    peerId,
    address: `/ip4/127.0.0.1/tcp/${port}/p2p/${peerId}`,
    child,
    exited,
    logs,
  }
}

/** N daemons in one ring; `kill` one by peer id, `stop` all. */
export class DaemonRing {
  private constructor(readonly members: Daemon[]) {}

  /** `cpuProfDir`: each daemon writes a CPU profile there when it stops (not when killed). */
  static async start(nodes: number, cpuProfDir?: string): Promise<DaemonRing> {
    const ring = new DaemonRing([])
    try {
      for (let i = 0; i < nodes; i++) {
        const name = `ringdht-${i}`
        const nodeArgs = cpuProfArgs(cpuProfDir, `queues-${name}`)
        ring.members.push(await spawnDaemon(name, ring.members[0]?.address, nodeArgs))
      }
      return ring
    } catch (err) {
      await ring.stop()
      throw err
    }
  }

  /** PIDs of the daemons still running. */
  get pids(): number[] {
    return this.live.map((m) => m.pid)
  }

  get live(): Daemon[] {
    return this.members.filter((m) => m.child.exitCode === null && m.child.signalCode === null)
  }

  /** SIGKILLs the daemon with this peer id (the queue's home, in the bench). */
  async kill(peerId: string): Promise<Daemon> {
    const victim = this.live.find((m) => m.peerId === peerId)
    if (victim === undefined) throw new Error(`no running daemon is ${peerId}`)
    signalGroup(victim.pid, 'SIGKILL')
    await victim.exited
    return victim
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.live.map(async (member) => {
        signalGroup(member.pid, 'SIGTERM')
        const timer = setTimeout(() => signalGroup(member.pid, 'SIGKILL'), 5_000)
        await member.exited
        clearTimeout(timer)
      }),
    )
  }
}
