import { type ChildProcess, spawn } from 'node:child_process'
import { createWriteStream, type WriteStream } from 'node:fs'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { CliError, UsageError } from '../../errors.js'
import { writeOut } from '../../io.js'
import { checkListenPorts } from '../../preflight.js'
import { readSwarmKey } from '../../psk.js'
import { markLongRunning } from '../../run.js'
import { watchParent } from '../../signals.js'
import { waitForRingFormed } from './ring-formed.js'

export interface ClusterFlags {
  nodes?: string
  basePort?: string
  dataDir?: string
  memory?: boolean
  psk?: string
  json?: boolean
  /** true (base port 8080) or the base port: node i serves HTTP on 127.0.0.1:BASE+i. */
  http?: boolean | string
}

interface Node {
  index: number
  port: number
  dataDir: string
  logFile: string
  child: ChildProcess
  log: WriteStream
  /** Resolves with how the process ended: an exit code, or the signal that killed it. */
  exited: Promise<Ending>
  /** Set when it ended before we asked it to stop. */
  died?: Ending
  peerId?: string
  multiaddr?: string
  /** Where node i serves HTTP, with --http. */
  http?: string
}

interface Ending {
  code: number | null
  signal: NodeJS.Signals | null
}

/** "exited with code 1" or "was killed by SIGKILL": signals reported as signals. */
function describeEnding(ending: Ending): string {
  return ending.signal != null
    ? `was killed by ${ending.signal}`
    : `exited with code ${ending.code ?? '?'}`
}

const READY_DEADLINE_MS = 90_000
const STOP_DEADLINE_MS = 60_000
/** How long the summary waits for every member to see its neighbours (then warns and goes on). */
const RING_FORMED_DEADLINE_MS = 30_000

export async function clusterHandler(flags: ClusterFlags): Promise<void> {
  const count = integer(flags.nodes ?? '5', '--nodes', 1, 64)
  const basePort = integer(flags.basePort ?? '4001', '--base-port', 1, 65535 - count)
  const psk = flags.psk != null ? await readSwarmKey(flags.psk) : undefined
  const httpBase =
    flags.http == null || flags.http === false
      ? undefined
      : integer(flags.http === true ? '8080' : flags.http, '--http', 1, 65535 - count)
  const listen = Array.from(
    { length: count },
    (_, index) => `/ip4/127.0.0.1/tcp/${basePort + index}`,
  )
  if (httpBase !== undefined) {
    listen.push(...listen.map((_, index) => `/ip4/127.0.0.1/tcp/${httpBase + index}`))
  }
  await checkListenPorts(listen)
  const ownDir = flags.dataDir == null
  const dir = ownDir
    ? await mkdtemp(join(tmpdir(), 'ringdht-cluster-'))
    : resolve(flags.dataDir as string)
  await mkdir(dir, { recursive: true })
  markLongRunning()

  const nodes: Node[] = []
  let stopping = false
  const isRunning = (node: Node) => node.child.exitCode == null && node.child.signalCode == null
  const stopAll = async (): Promise<number> => {
    stopping = true
    // the exit status reports the stop we asked for, not nodes that died earlier
    const running = nodes.filter(isRunning)
    for (const node of running) signal(node.child, 'SIGTERM')
    const timer = setTimeout(() => {
      for (const node of nodes) signal(node.child, 'SIGKILL')
    }, STOP_DEADLINE_MS)
    const endings = await Promise.all(running.map((node) => node.exited))
    clearTimeout(timer)
    await Promise.all(nodes.map((node) => new Promise((done) => node.log.end(done))))
    const failed = running.filter((_, index) => endings[index]?.code !== 0)
    for (const node of failed) {
      process.stderr.write(
        `node ${node.index} ${describeEnding(endings[running.indexOf(node)] as Ending)} while stopping; its log: ${node.logFile}\n`,
      )
    }
    // a temp folder goes, unless it holds the log of a node that died or failed to stop
    const keep = failed.length > 0 || nodes.some((node) => node.died != null)
    if (ownDir && !keep) await rm(dir, { recursive: true, force: true })
    else if (ownDir) process.stderr.write(`kept ${dir} for the logs of the nodes that failed\n`)
    return failed.length === 0 ? 0 : 1
  }
  // Children run in their own process groups so a terminal's Ctrl-C reaches only us and
  // each daemon gets exactly one SIGTERM (a second one would force it to exit).
  let signals = 0
  const onSignal = (name: NodeJS.Signals): void => {
    signals++
    if (signals > 1) {
      process.stderr.write(`${name} again: killing every node\n`)
      for (const node of nodes) signal(node.child, 'SIGKILL')
      process.exit(1)
    }
    const running = nodes.filter(isRunning).length
    const gone = nodes.length - running
    process.stderr.write(
      `${name}: stopping ${running} node${running === 1 ? '' : 's'}${gone > 0 ? ` (${gone} already gone)` : ''} (again to force)\n`,
    )
    stopAll().then(
      (code) => process.exit(code),
      (err: unknown) => {
        process.stderr.write(`${(err as Error).stack}\n`)
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  watchParent(() => process.stderr.write('the process that started this cluster is gone\n'))
  process.on('exit', () => {
    for (const node of nodes) signal(node.child, 'SIGKILL')
  })

  const common = [
    ...(flags.memory === true ? ['--memory'] : []),
    ...(flags.psk != null ? ['--psk', resolve(flags.psk)] : []),
  ]
  try {
    const http = (index: number): string[] =>
      httpBase === undefined ? [] : ['--http', `127.0.0.1:${httpBase + index}`]
    const seed = await spawnNode(nodes, 0, basePort, dir, [...common, ...http(0)])
    await waitReady(seed, () => stopping)
    const rest: Array<Promise<void>> = []
    for (let index = 1; index < count; index++) {
      const node = await spawnNode(nodes, index, basePort, dir, [
        ...common,
        ...http(index),
        '--bootstrap',
        seed.multiaddr as string,
      ])
      rest.push(waitReady(node, () => stopping))
    }
    await Promise.all(rest)
    // ready means joined; the summary waits until the members also know each other, so
    // the user's first command does not meet a member that lacks its replicas
    const unformed = await waitForRingFormed(nodes, {
      ...(psk === undefined ? {} : { psk }),
      deadlineMs: RING_FORMED_DEADLINE_MS,
    })
    if (unformed !== undefined) {
      process.stderr.write(
        `warning: the ring has not settled after ${RING_FORMED_DEADLINE_MS / 1000} s (${unformed}); requests may be retried until it does\n`,
      )
    }
  } catch (err) {
    await stopAll()
    throw err
  }

  for (const node of nodes) {
    void node.exited.then((ending) => {
      if (stopping) return
      node.died = ending
      process.stderr.write(
        `node ${node.index} (pid ${node.child.pid}) ${describeEnding(ending)}; its log: ${node.logFile}${ownDir ? ' (kept after exit)' : ''}\n`,
      )
    })
  }
  await printSummary(nodes, dir, ownDir, flags.json === true)
}

async function spawnNode(
  nodes: Node[],
  index: number,
  basePort: number,
  dir: string,
  extra: string[],
): Promise<Node> {
  const port = basePort + index
  const dataDir = join(dir, `node-${index}`)
  const logFile = join(dir, `node-${index}.log`)
  const args = [
    process.argv[1] as string,
    'start',
    '--listen',
    `/ip4/127.0.0.1/tcp/${port}`,
    '--data-dir',
    dataDir,
    '--log-format',
    'json',
    ...extra,
  ]
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      RINGDHT_PARENT_PID: String(process.pid),
      // one node's settings, not the whole cluster's (the image sets RINGDHT_HEALTH_SOCKET)
      RINGDHT_ANNOUNCE: '',
      RINGDHT_HEALTH_SOCKET: '',
    },
  })
  const log = createWriteStream(logFile, { flags: 'a' })
  const exited = new Promise<Ending>((done) =>
    child.once('exit', (code, sig) => done({ code, signal: sig })),
  )
  const node: Node = { index, port, dataDir, logFile, child, log, exited }
  nodes.push(node)
  child.stderr?.pipe(log, { end: false })
  return node
}

async function waitReady(node: Node, stopping: () => boolean): Promise<void> {
  const stdout = node.child.stdout
  if (stdout == null) throw new Error('child has no stdout')
  const lines = createInterface({ input: stdout, crlfDelay: Number.POSITIVE_INFINITY })
  let lastError = ''
  const ready = new Promise<void>((done, fail) => {
    const timer = setTimeout(
      () =>
        fail(
          new CliError(
            `node ${node.index} not ready after ${READY_DEADLINE_MS / 1000} s; see ${node.logFile}`,
          ),
        ),
      READY_DEADLINE_MS,
    )
    lines.on('line', (line) => {
      node.log.write(`${line}\n`)
      let entry: {
        msg?: string
        level?: number
        peerId?: string
        multiaddrs?: string[]
        http?: string
        err?: { message?: string }
      }
      try {
        entry = JSON.parse(line)
      } catch {
        return
      }
      if ((entry.level ?? 0) >= 50) lastError = entry.msg ?? ''
      if (entry.msg === 'ready' && entry.peerId != null && node.peerId == null) {
        node.peerId = entry.peerId
        const local = (entry.multiaddrs ?? []).find((addr) =>
          addr.startsWith(`/ip4/127.0.0.1/tcp/${node.port}/`),
        )
        node.multiaddr = local ?? `/ip4/127.0.0.1/tcp/${node.port}/p2p/${entry.peerId}`
        if (entry.http != null) node.http = entry.http
        clearTimeout(timer)
        done()
      }
    })
    node.child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString().trim()
      if (text !== '') lastError = text.split('\n').at(-1) ?? text
    })
    void node.exited.then((ending) => {
      clearTimeout(timer)
      if (node.peerId == null && !stopping()) {
        node.died = ending
        fail(
          new CliError(
            `node ${node.index} ${describeEnding(ending)} before it was ready: ${lastError || `see ${node.logFile}`}`,
          ),
        )
      }
    })
  })
  await ready
}

async function printSummary(
  nodes: Node[],
  dir: string,
  ownDir: boolean,
  json: boolean,
): Promise<void> {
  if (json) {
    const out = {
      dataDir: dir,
      nodes: nodes.map((node) => ({
        index: node.index,
        pid: node.child.pid,
        port: node.port,
        peerId: node.peerId,
        multiaddr: node.multiaddr,
        ...(node.http === undefined ? {} : { http: node.http }),
        dataDir: node.dataDir,
        logFile: node.logFile,
      })),
    }
    await writeOut(`${JSON.stringify(out)}\n`)
    return
  }
  // started with `npx ringdht` or the workspace's `pnpm ringdht` script: `ringdht` is not on
  // PATH, but `npx ringdht` works from the same folder, with npm alone
  const viaPackageManager =
    process.env.npm_lifecycle_event === 'ringdht' || process.env.npm_command === 'exec'
  const cli = viaPackageManager ? 'npx ringdht' : 'ringdht'
  const seed = nodes[0]?.multiaddr ?? ''
  const http = nodes[0]?.http
  const lines = [
    `ringdht cluster: ${nodes.length} nodes up; data in ${dir}${ownDir ? ' (removed on exit unless a node failed)' : ''}, logs in node-<i>.log`,
    '',
    ...nodes.map(
      (node) =>
        `  node ${node.index}  pid ${node.child.pid}  ${node.multiaddr}${node.http === undefined ? '' : `  ${node.http}`}`,
    ),
    '',
    'Try it from another terminal:',
    `  export RINGDHT_PEER=${seed}`,
    `  ${cli} put hello world`,
    `  ${cli} get hello`,
    `  ${cli} ring`,
    ...(http === undefined
      ? []
      : [
          `  curl -X PUT --data-binary world ${http}/v1/kv/hello`,
          `  curl ${http}/v1/kv/hello`,
          `  curl ${http}/metrics`,
          `  ${http}/   (the ring page, in a browser)`,
        ]),
    '',
    'Ctrl-C stops every node.',
    '',
  ]
  await writeOut(lines.join('\n'))
}

function signal(child: ChildProcess, name: NodeJS.Signals): void {
  if (child.exitCode != null || child.signalCode != null || child.pid == null) return
  try {
    process.kill(child.pid, name)
  } catch {
    // already gone
  }
}

function integer(text: string, flag: string, min: number, max: number): number {
  const value = Number(text)
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(
      `${flag} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`,
    )
  }
  return value
}
