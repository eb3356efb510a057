/**
 * One redis-server (Debian's Redis 7) for the BullMQ side of the queue comparison, on a
 * free port of 127.0.0.1 with its own temporary folder (removed on stop and on any exit of
 * the driver), killed with the driver however it ends. It runs as BullMQ users run it by
 * default: no AOF (`appendonly no`), Redis's own RDB save points left as they are, so a
 * SIGKILL loses what was written since the last snapshot.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs'
import { createConnection } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '../harness/free-port.js'
import { signalGroup, trackPid, untrackPid } from '../harness/process-group.js'
import { waitFor } from '../harness/wait.js'

/** redis-server on PATH (Debian's redis-server package puts it at /usr/bin), if any. */
export function findRedis(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const candidate = join(dir, 'redis-server')
    if (dir !== '' && existsSync(candidate)) return candidate
  }
  return undefined
}

/** "7.0.15" from `redis-server --version` ("Redis server v=7.0.15 sha=…"). */
export function redisVersion(binary: string): string {
  const out = execFileSync(binary, ['--version'], { encoding: 'utf8' })
  return /v=(\S+)/.exec(out)?.[1] ?? 'unknown'
}

/** Answers true when a PING on a fresh connection gets +PONG within the timeout. */
function ping(port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port })
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.once('error', () => done(false))
    socket.once('connect', () => socket.write('PING\r\n'))
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')))
  })
}

export class RedisServer {
  readonly version: string
  readonly port: number
  /** Data folder (RDB file, if Redis ever saves one) and log; removed on stop. */
  readonly root: string
  private child: ChildProcess | undefined
  private readonly cleanup = () => rmSync(this.root, { recursive: true, force: true })

  private constructor(
    private readonly binary: string,
    port: number,
    root: string,
  ) {
    this.port = port
    this.root = root
    this.version = redisVersion(binary)
    process.on('exit', this.cleanup)
  }

  static async start(binary: string): Promise<RedisServer> {
    const root = mkdtempSync(join(tmpdir(), 'ringdht-bench-redis-'))
    const server = new RedisServer(binary, await freePort(), root)
    try {
      await server.launch()
      return server
    } catch (err) {
      await server.stop()
      throw err
    }
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`
  }

  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined
  }

  private get running(): boolean {
    const child = this.child
    return child !== undefined && child.exitCode === null && child.signalCode === null
  }

  private async launch(): Promise<void> {
    const logPath = join(this.root, 'redis.log')
    const log = openSync(logPath, 'a')
    const child = spawn(
      this.binary,
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.root,
        '--appendonly',
        'no',
        '--daemonize',
        'no',
        '--protected-mode',
        'no',
      ],
      { detached: true, stdio: ['ignore', log, log] },
    )
    if (child.pid !== undefined) trackPid(child.pid)
    child.once('exit', () => {
      if (child.pid !== undefined) untrackPid(child.pid)
    })
    this.child = child
    try {
      await waitFor(() => ping(this.port), {
        timeoutMs: 15_000,
        intervalMs: 25,
        description: `redis-server on port ${this.port} to answer PING`,
      })
    } catch (err) {
      const tail = existsSync(logPath) ? readFileSync(logPath, 'utf8').split('\n').slice(-5) : []
      throw new Error(`redis-server did not start: ${(err as Error).message}\n${tail.join('\n')}`)
    }
  }

  /** SIGKILL: whatever Redis had not saved is gone, as in a crash. */
  async kill(): Promise<void> {
    const child = this.child
    if (child?.pid === undefined || !this.running) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    signalGroup(child.pid, 'SIGKILL')
    await exited
  }

  /** Starts Redis again on the same port and folder (it loads its RDB file, if any). */
  async restart(): Promise<void> {
    await this.kill()
    await this.launch()
  }

  async stop(): Promise<void> {
    await this.kill()
    this.cleanup()
    process.off('exit', this.cleanup)
  }
}
