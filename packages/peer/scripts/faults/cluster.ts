import { type ChildProcess, spawn } from 'node:child_process'
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import type { NetnsNetwork } from './netns.js'

const DAEMON = fileURLToPath(new URL('./daemon.js', import.meta.url))

/** Timers of the harness's rings: failures are detected in about 1.5 s. */
export const FAULT_TIMERS = {
  stabilizeMs: 250,
  fixFingersMs: 1000,
  checkPredecessorMs: 500,
  pingTimeoutMs: 500,
  requestTimeoutMs: 2000,
  antiEntropyMs: 3000,
  leaveTimeoutMs: 5000,
}

interface Member {
  port: number
  dataDir: string
  peerId: string | undefined
  process: ChildProcess | undefined
  paused: boolean
}

/**
 * Ring members as child processes on 127.0.0.1, each with a fixed port and data folder so
 * a restart returns to the same address, identity and records. `close()` (also run on
 * the harness's exit) kills every one of them.
 */
export class Cluster {
  readonly #root: string
  readonly #basePort: number
  /** When given, member i runs in its own network namespace (partitions). */
  readonly #network: NetnsNetwork | undefined
  readonly members: Member[] = []
  /** On the harness's exit (even a signal's): no member outlives it, no data folder stays. */
  readonly #onExit = () => {
    this.#killAll()
    rmSync(this.#root, { recursive: true, force: true })
  }

  constructor(root: string, basePort: number, network?: NetnsNetwork) {
    this.#root = root
    this.#basePort = basePort
    this.#network = network
    process.on('exit', this.#onExit)
  }

  #listen(i: number): string {
    const m = this.members[i] as Member
    return this.#network === undefined
      ? `/ip4/127.0.0.1/tcp/${m.port}`
      : `/ip4/${this.#network.address(i)}/tcp/4001`
  }

  /** Multiaddr (with /p2p) of member i, known once it started once. */
  address(i: number): string {
    const m = this.members[i]
    if (m?.peerId === undefined) throw new Error(`member ${i} never started`)
    return `${this.#listen(i)}/p2p/${m.peerId}`
  }

  running(): number[] {
    return this.members.flatMap((m, i) => (m.process !== undefined && !m.paused ? [i] : []))
  }

  /** Add a member and start it, bootstrapping from the running ones. */
  async add(): Promise<number> {
    const i = this.members.length
    const dataDir = join(this.#root, `member-${i}`)
    mkdirSync(dataDir, { recursive: true })
    this.members.push({
      port: this.#basePort + i,
      dataDir,
      peerId: undefined,
      process: undefined,
      paused: false,
    })
    await this.start(i)
    return i
  }

  /** Start (or restart) member i; resolves once it printed READY. */
  async start(i: number): Promise<void> {
    const m = this.members[i] as Member
    const bootstrap = this.members.flatMap((other, j) =>
      j !== i && other.peerId !== undefined && other.process !== undefined ? [this.address(j)] : [],
    )
    const config = {
      listen: this.#listen(i),
      bootstrap,
      dataDir: m.dataDir,
      timers: FAULT_TIMERS,
    }
    const argv = [process.execPath, DAEMON, JSON.stringify(config)]
    const [command, ...args] = this.#network?.wrap(i, argv) ?? argv
    const child = spawn(command as string, args, { stdio: ['ignore', 'pipe', 'inherit'] })
    m.process = child
    m.paused = false
    child.on('exit', () => {
      if (m.process === child) m.process = undefined
    })
    const lines = createInterface({ input: child.stdout })
    const ready = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`member ${i} not ready in 30 s`)), 30_000)
      lines.on('line', (line) => {
        if (!line.startsWith('READY ')) return
        clearTimeout(timer)
        resolve(line.slice('READY '.length).trim())
      })
      child.on('exit', (code) => {
        clearTimeout(timer)
        reject(new Error(`member ${i} exited (${code}) before it was ready`))
      })
    })
    m.peerId = ready
  }

  kill(i: number): void {
    this.#signal(i, 'SIGCONT')
    this.#signal(i, 'SIGKILL')
    const m = this.members[i] as Member
    m.process = undefined
    m.paused = false
  }

  pause(i: number): void {
    this.#signal(i, 'SIGSTOP')
    ;(this.members[i] as Member).paused = true
  }

  resume(i: number): void {
    this.#signal(i, 'SIGCONT')
    ;(this.members[i] as Member).paused = false
  }

  /** Graceful leave (SIGTERM); resolves when the process has exited. */
  async terminate(i: number): Promise<void> {
    const child = this.members[i]?.process
    if (child === undefined) return
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    child.kill('SIGTERM')
    await exited
  }

  async close(): Promise<void> {
    this.#killAll()
    process.off('exit', this.#onExit)
  }

  #signal(i: number, signal: NodeJS.Signals): void {
    try {
      this.members[i]?.process?.kill(signal)
    } catch {
      // already gone
    }
  }

  #killAll(): void {
    for (let i = 0; i < this.members.length; i++) {
      this.#signal(i, 'SIGCONT')
      this.#signal(i, 'SIGKILL')
    }
  }
}
