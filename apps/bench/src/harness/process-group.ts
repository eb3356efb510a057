import { type ChildProcess, fork } from 'node:child_process'
import { once } from 'node:events'
import { RingdhtError } from '@ringdht/ring'
import { isChildMessage, MAX_LIFETIME_ENV, type ResponseMessage } from './messages.js'

export class ChildProcessError extends RingdhtError<'BENCH_CHILD'> {
  static readonly code = 'BENCH_CHILD'
  override name = 'ChildProcessError'
  constructor(message: string) {
    super(ChildProcessError.code, message)
  }
}

export interface SpawnInit {
  /** A name for messages, e.g. `kad-3`. */
  name: string
  /** Absolute path of the child's compiled entry script. */
  script: string
  args?: string[]
  /** How long the child may take to say it is ready. Default 30 s. */
  readyTimeoutMs?: number
  /** Extra flags for node, e.g. `--cpu-prof`. */
  execArgv?: string[]
}

export interface RequestOptions {
  /** Default 60 s. */
  timeoutMs?: number
  signal?: AbortSignal
}

/** Every PID this process started and has not seen exit; killed on any exit path. */
const livePids = new Set<number>()

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    // children are group leaders (detached), so this reaches anything they started
    process.kill(-pid, signal)
  } catch {
    try {
      process.kill(pid, signal)
    } catch {
      // already gone
    }
  }
}

let exitHooksInstalled = false

/**
 * Kills every child still alive when the driver exits, however it exits: normal
 * end, uncaught error, or a signal.
 */
function installExitHooks(): void {
  if (exitHooksInstalled) return
  exitHooksInstalled = true
  process.on('exit', () => {
    for (const pid of livePids) killGroup(pid, 'SIGKILL')
  })
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      for (const pid of livePids) killGroup(pid, 'SIGKILL')
      process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1))
    })
  }
}

/**
 * Kills `pid`'s process group when the driver exits before `untrackPid`: for processes the
 * bench starts itself rather than through a ProcessGroup (e.g. etcd members).
 */
export function trackPid(pid: number): void {
  installExitHooks()
  livePids.add(pid)
}

export function untrackPid(pid: number): void {
  livePids.delete(pid)
}

/** Sends `signal` to `pid`'s process group (or the process alone); quiet when it is gone. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  killGroup(pid, signal)
}

/** A started child process that answers commands over IPC. */
export class BenchChild {
  readonly name: string
  readonly info: Record<string, unknown>
  private readonly child: ChildProcess
  private nextId = 1
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (err: Error) => void }
  >()
  private exited = false
  private readonly exitPromise: Promise<void>

  constructor(name: string, child: ChildProcess, info: Record<string, unknown>) {
    this.name = name
    this.child = child
    this.info = info
    this.exitPromise = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exited = true
        if (child.pid !== undefined) livePids.delete(child.pid)
        const err = new ChildProcessError(`${name} exited (code ${code}, signal ${signal})`)
        for (const { reject } of this.pending.values()) reject(err)
        this.pending.clear()
        resolve()
      })
    })
    child.on('message', (message: unknown) => {
      if (!isChildMessage(message) || message.kind !== 'response') return
      this.settle(message)
    })
  }

  get pid(): number | undefined {
    return this.child.pid
  }

  private settle(message: ResponseMessage): void {
    const waiter = this.pending.get(message.id)
    if (waiter === undefined) return
    this.pending.delete(message.id)
    if (message.ok) waiter.resolve(message.result)
    else waiter.reject(new ChildProcessError(`${this.name}: ${message.error ?? 'command failed'}`))
  }

  /** Sends a command and waits for its answer, bounded by a timeout. */
  async request<T>(command: string, args: unknown = {}, options: RequestOptions = {}): Promise<T> {
    if (this.exited) throw new ChildProcessError(`${this.name} has exited`)
    const id = this.nextId++
    const timeoutMs = options.timeoutMs ?? 60_000
    const signals = [AbortSignal.timeout(timeoutMs)]
    if (options.signal !== undefined) signals.push(options.signal)
    const signal = AbortSignal.any(signals)
    const answer = new Promise<unknown>((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
    })
    let onAbort: (() => void) | undefined
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () =>
        reject(new ChildProcessError(`${this.name}: ${command} timed out after ${timeoutMs} ms`))
      signal.addEventListener('abort', onAbort, { once: true })
    })
    try {
      this.child.send({ kind: 'request', id, command, args })
      return (await Promise.race([answer, aborted])) as T
    } finally {
      this.pending.delete(id)
      if (onAbort !== undefined) signal.removeEventListener('abort', onAbort)
    }
  }

  /** Asks the child to stop cleanly; kills its process group if it does not. */
  async stop(timeoutMs = 5_000): Promise<void> {
    if (this.exited) return
    try {
      await this.request('stop', {}, { timeoutMs })
    } catch {
      // fall through to the kill below
    }
    const deadline = AbortSignal.timeout(timeoutMs)
    try {
      await Promise.race([this.exitPromise, once(deadline, 'abort')])
    } catch {
      // ignore
    }
    if (!this.exited && this.child.pid !== undefined) {
      killGroup(this.child.pid, 'SIGKILL')
      await this.exitPromise
    }
  }

  /** Kills the child at once (SIGKILL to its process group). */
  async kill(): Promise<void> {
    if (this.exited || this.child.pid === undefined) return
    killGroup(this.child.pid, 'SIGKILL')
    await this.exitPromise
  }
}

export interface ProcessGroupInit {
  /** Every child is killed by itself after this long. Default 30 min. */
  maxChildLifetimeMs?: number
}

/**
 * The processes one benchmark case starts. `stopAll()` ends every one of them;
 * exit hooks kill whatever is left if the driver dies first.
 */
export class ProcessGroup {
  private readonly children = new Set<BenchChild>()
  private readonly maxChildLifetimeMs: number

  constructor(init: ProcessGroupInit = {}) {
    this.maxChildLifetimeMs = init.maxChildLifetimeMs ?? 30 * 60_000
    installExitHooks()
  }

  get size(): number {
    return this.children.size
  }

  async spawn(init: SpawnInit): Promise<BenchChild> {
    const child = fork(init.script, init.args ?? [], {
      detached: true,
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: init.execArgv ?? [],
      env: { ...process.env, [MAX_LIFETIME_ENV]: String(this.maxChildLifetimeMs) },
    })
    if (child.pid !== undefined) livePids.add(child.pid)
    child.once('exit', () => {
      if (child.pid !== undefined) livePids.delete(child.pid)
    })
    const readyTimeoutMs = init.readyTimeoutMs ?? 30_000
    try {
      const info = await new Promise<Record<string, unknown>>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new ChildProcessError(`${init.name} not ready after ${readyTimeoutMs} ms`))
        }, readyTimeoutMs)
        const onMessage = (message: unknown): void => {
          if (!isChildMessage(message)) return
          if (message.kind === 'ready') {
            cleanup()
            resolve(message.info)
          } else if (message.kind === 'fatal') {
            cleanup()
            reject(new ChildProcessError(`${init.name} failed to start: ${message.error}`))
          }
        }
        const onExit = (code: number | null): void => {
          cleanup()
          reject(new ChildProcessError(`${init.name} exited before ready (code ${code})`))
        }
        const cleanup = (): void => {
          clearTimeout(timer)
          child.off('message', onMessage)
          child.off('exit', onExit)
        }
        child.on('message', onMessage)
        child.once('exit', onExit)
      })
      const handle = new BenchChild(init.name, child, info)
      this.children.add(handle)
      return handle
    } catch (err) {
      if (child.pid !== undefined && child.exitCode === null) killGroup(child.pid, 'SIGKILL')
      throw err
    }
  }

  /** Stops one child and forgets it. */
  async stop(child: BenchChild): Promise<void> {
    this.children.delete(child)
    await child.stop()
  }

  /** Stops every child, in parallel, each bounded by its own timeout. */
  async stopAll(): Promise<void> {
    const all = [...this.children]
    this.children.clear()
    await Promise.all(all.map((child) => child.stop()))
  }
}

/** Resolves a sibling compiled script next to the caller's module. */
export function scriptPath(from: string, relative: string): string {
  return new URL(relative, from).pathname
}
