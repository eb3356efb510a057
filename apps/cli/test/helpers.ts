import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

/** The compiled CLI, run exactly as `ringdht` would be. */
export const CLI_BIN = fileURLToPath(new URL('../src/bin.js', import.meta.url))
export const NODE = process.execPath

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stdoutBytes: Buffer
  stderr: string
}

/** Every process a test started; `killAll()` SIGKILLs their process groups. */
const started = new Set<ChildProcess>()

export interface RunOptions {
  env?: NodeJS.ProcessEnv
  input?: string | Uint8Array
  timeoutMs?: number
  /** Prefix, e.g. ['ip', 'netns', 'exec', 'ns'] to run inside a network namespace. */
  wrap?: string[]
  /** Close our end of the child's stdout at once, as `| head` does when it has read enough. */
  closeStdout?: boolean
  /** The node executable to run the CLI with (default: this test's). */
  node?: string
}

function command(args: string[], wrap: string[] = [], node = NODE): [string, string[]] {
  const full = [...wrap, node, CLI_BIN, ...args]
  return [full[0] as string, full.slice(1)]
}

/** Runs one CLI command to completion (or SIGKILLs it at the deadline). */
export async function runCli(args: string[], options: RunOptions = {}): Promise<CliResult> {
  const [file, argv] = command(args, options.wrap)
  const child = spawn(file, argv, {
    detached: true,
    env: { ...process.env, RINGDHT_PEER: '', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  started.add(child)
  const stdout: Buffer[] = []
  const stderr: Buffer[] = []
  if (options.closeStdout === true) child.stdout?.destroy()
  else child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk))
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk))
  child.stdin?.end(options.input ?? '')
  const timeoutMs = options.timeoutMs ?? 30_000
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), timeoutMs)
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.once('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal])),
  )
  clearTimeout(timer)
  started.delete(child)
  const stdoutBytes = Buffer.concat(stdout)
  return {
    code,
    signal,
    stdout: stdoutBytes.toString(),
    stdoutBytes,
    stderr: Buffer.concat(stderr).toString(),
  }
}

export interface Daemon {
  child: ChildProcess
  pid: number
  /** Resolves with the 'ready' log entry. */
  ready: Promise<{ peerId: string; multiaddrs: string[]; ringId: string }>
  exited: Promise<number | null>
  logs: string[]
}

/** Starts a long-running CLI process (`start` or `cluster`) in its own process group. */
export function spawnDaemon(
  args: string[],
  options: RunOptions & { readyTimeoutMs?: number } = {},
): Daemon {
  const [file, argv] = command(args, options.wrap, options.node)
  const child = spawn(file, argv, {
    detached: true,
    // daemons stop themselves if this test process dies before its `after` hooks run
    env: {
      ...process.env,
      RINGDHT_LOG_FORMAT: 'json',
      RINGDHT_PARENT_PID: String(process.pid),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  started.add(child)
  const logs: string[] = []
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => {
      started.delete(child)
      resolve(code ?? (signal != null ? -1 : null))
    }),
  )
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000
  const ready = new Promise<{ peerId: string; multiaddrs: string[]; ringId: string }>(
    (resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`not ready after ${readyTimeoutMs} ms:\n${tail(logs)}`)),
        readyTimeoutMs,
      )
      createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
        logs.push(line)
        try {
          const entry = JSON.parse(line) as {
            msg?: string
            peerId?: string
            multiaddrs?: string[]
            ringId?: string
          }
          if (entry.msg === 'ready' && entry.peerId != null) {
            clearTimeout(timer)
            resolve({
              peerId: entry.peerId,
              multiaddrs: entry.multiaddrs ?? [],
              ringId: entry.ringId ?? '',
            })
          }
        } catch {
          // not a log line
        }
      })
      createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) =>
        logs.push(`stderr: ${line}`),
      )
      void exited.then((code) => {
        clearTimeout(timer)
        reject(new Error(`exited with ${code} before ready:\n${tail(logs)}`))
      })
    },
  )
  ready.catch(() => {})
  return { child, pid: child.pid as number, ready, exited, logs }
}

export function tail(lines: string[], count = 15): string {
  return lines.slice(-count).join('\n')
}

export function killGroup(child: ChildProcess | number, signal: NodeJS.Signals): void {
  const pid = typeof child === 'number' ? child : child.pid
  if (pid == null) return
  try {
    process.kill(-pid, signal)
  } catch {
    try {
      process.kill(pid, signal)
    } catch {
      // already gone
    }
  }
}

/** SIGKILLs every process group this test file started (plus extra pids, e.g. cluster children). */
export function killAll(extraPids: number[] = []): void {
  for (const child of started) killGroup(child, 'SIGKILL')
  for (const pid of extraPids) killGroup(pid, 'SIGKILL')
  started.clear()
}

/** Polls `check` until it returns a value other than undefined/false, or fails at the deadline. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000)
  let lastError: unknown
  for (;;) {
    try {
      const value = await check()
      if (value !== undefined && value !== false) return value
    } catch (err) {
      lastError = err
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${what}${lastError != null ? `: ${(lastError as Error).message}` : ''}`,
      )
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 500))
  }
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () =>
      server.close(() => resolve(true)),
    )
  })
}

/** A base port with `count` free ports after it, spread by pid so parallel runs rarely meet. */
export async function freePorts(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + ((process.pid * 7 + attempt * 997) % 30_000)
    let free = true
    for (let offset = 0; offset < count && free; offset++) free = await portFree(base + offset)
    if (free) return base
  }
  throw new Error('no free port range found')
}

export async function tempDir(
  prefix: string,
): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix))
  return { path, remove: () => rm(path, { recursive: true, force: true }) }
}

/** A user-facing failure: non-zero exit, a message, and no stack trace. */
export function isCleanFailure(result: CliResult): boolean {
  return (
    result.code !== 0 &&
    result.code != null &&
    result.stderr.trim() !== '' &&
    !/^\s+at /m.test(result.stderr)
  )
}

export function keyValueLines(
  count: number,
  prefix: string,
): Array<{ key: string; value: string }> {
  return Array.from({ length: count }, (_, index) => ({
    key: `${prefix}-${String(index).padStart(5, '0')}`,
    value: `value of ${prefix} #${index} ${'x'.repeat(index % 40)}`,
  }))
}
