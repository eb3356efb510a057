import { type ChildProcess, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

/** The compiled CLI, started as `ringdht start` would be. */
const CLI_BIN = fileURLToPath(new URL('../../src/bin.js', import.meta.url))

/** Lines of a daemon's output kept to explain a failure. */
const KEPT_LINES = 40

export interface Daemon {
  readonly index: number
  readonly child: ChildProcess
  /** The node process itself (spawned directly, no shim), whose /proc entry is sampled. */
  readonly pid: number
  readonly dataDir: string
  /** Resolves with the address from the 'ready' log line; rejects if it exits first or times out. */
  readonly ready: Promise<string>
  readonly logs: string[]
  exited: boolean
}

export interface DaemonOptions {
  /** Members to join through (multiaddrs); none starts a new ring. */
  bootstrap: readonly string[]
  memory: boolean
  readyTimeoutMs: number
  /** Loopback port to listen on; default 0 (any free one, told by the 'ready' line). */
  port?: number
  /** Extra `ringdht start` flags. */
  extraArgs?: readonly string[]
  /** Flags for the node binary itself, before the CLI (e.g. `--import` of a debug hook). */
  nodeArgs?: readonly string[]
}

/**
 * Daemons started through the CLI on loopback, each in its own process group and data
 * folder under one temp folder; `cleanUp()` SIGKILLs every group still running and removes
 * the folder. It runs on every exit path the process has (normal end, failure, SIGINT,
 * SIGTERM, the overall deadline), and the daemons watch this process (RINGDHT_PARENT_PID)
 * and stop themselves if it is SIGKILLed before it can clean up.
 */
export class Daemons {
  readonly root = mkdtempSync(join(tmpdir(), 'ringdht-scale-'))
  readonly all: Daemon[] = []
  #cleanedUp = false

  constructor() {
    process.once('exit', () => this.cleanUp())
  }

  start(index: number, options: DaemonOptions): Daemon {
    // a member started again with the same index finds its identity and data
    const dataDir = join(this.root, `member-${index}`)
    mkdirSync(dataDir, { recursive: true })
    const args = [
      ...(options.nodeArgs ?? []),
      CLI_BIN,
      'start',
      '--listen',
      `/ip4/127.0.0.1/tcp/${options.port ?? 0}`,
      ...(options.memory ? ['--memory'] : ['--data-dir', dataDir]),
      ...(options.bootstrap.length > 0 ? ['--bootstrap', ...options.bootstrap] : []),
      ...(options.extraArgs ?? []),
    ]
    const child = spawn(process.execPath, args, {
      detached: true,
      env: {
        ...process.env,
        RINGDHT_LOG_FORMAT: 'json',
        RINGDHT_PARENT_PID: String(process.pid),
        RINGDHT_PEER: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const logs: string[] = []
    const keep = (line: string) => {
      logs.push(line)
      if (logs.length > KEPT_LINES) logs.shift()
    }
    let daemon: Daemon
    const ready = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`member ${index} not ready after ${options.readyTimeoutMs} ms`)),
        options.readyTimeoutMs,
      )
      createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
        keep(line)
        if (!line.includes('"ready"')) return
        try {
          const entry = JSON.parse(line) as { msg?: string; multiaddrs?: string[] }
          const address = entry.multiaddrs?.[0]
          if (entry.msg === 'ready' && address !== undefined) {
            clearTimeout(timer)
            resolve(address)
          }
        } catch {
          // not a log line
        }
      })
      createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) =>
        keep(`stderr: ${line}`),
      )
      child.once('exit', (code, signal) => {
        daemon.exited = true
        clearTimeout(timer)
        reject(new Error(`member ${index} exited (${signal ?? code}) before it was ready`))
      })
    })
    ready.catch(() => {})
    daemon = { index, child, pid: child.pid as number, dataDir, ready, logs, exited: false }
    this.all.push(daemon)
    return daemon
  }

  /** SIGKILL one daemon (its whole process group) and wait until it is gone. */
  async kill(daemon: Daemon): Promise<void> {
    if (daemon.exited) return
    const gone = new Promise<void>((resolve) => daemon.child.once('exit', () => resolve()))
    killGroup(daemon.pid)
    await gone
  }

  /** Synchronous, so that it can run in an 'exit' handler; idempotent. */
  cleanUp(): void {
    if (this.#cleanedUp) return
    this.#cleanedUp = true
    for (const daemon of this.all) if (!daemon.exited) killGroup(daemon.pid)
    rmSync(this.root, { recursive: true, force: true })
  }
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL')
  } catch {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
}
