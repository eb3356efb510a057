import { type ChildProcess, spawn } from 'node:child_process'
import { createWriteStream, type WriteStream } from 'node:fs'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { CliError } from '../../errors.js'
import { writeOut } from '../../io.js'
import { checkListenPorts } from '../../preflight.js'
import { readSwarmKey } from '../../psk.js'
import { markLongRunning } from '../../run.js'
import { watchParent } from '../../signals.js'

export interface ClusterFlags {
  nodes?: string
  basePort?: string
  dataDir?: string
  memory?: boolean
  psk?: string
  json?: boolean
}

interface Node {
  index: number
  port: number
  dataDir: string
  logFile: string
  child: ChildProcess
  log: WriteStream
  exited: Promise<number | null>
  peerId?: string
  multiaddr?: string
}

const READY_DEADLINE_MS = 90_000
const STOP_DEADLINE_MS = 60_000

export async function clusterHandler(flags: ClusterFlags): Promise<void> {
  const count = integer(flags.nodes ?? '5', '--nodes', 1, 64)
  const basePort = integer(flags.basePort ?? '4001', '--base-port', 1, 65535 - count)
  if (flags.psk != null) await readSwarmKey(flags.psk)
  const listen = Array.from(
    { length: count },
    (_, index) => `/ip4/127.0.0.1/tcp/${basePort + index}`,
  )
  await checkListenPorts(listen)
  const ownDir = flags.dataDir == null
  const dir = ownDir
    ? await mkdtemp(join(tmpdir(), 'ringdht-cluster-'))
    : resolve(flags.dataDir as string)
  await mkdir(dir, { recursive: true })
  markLongRunning()

  const nodes: Node[] = []
  let stopping = false
  const stopAll = async (): Promise<number> => {
    stopping = true
    // the exit status reports the stop we asked for, not nodes that died earlier
    const running = nodes.filter(
      (node) => node.child.exitCode == null && node.child.signalCode == null,
    )
    for (const node of running) signal(node.child, 'SIGTERM')
    const timer = setTimeout(() => {
      for (const node of nodes) signal(node.child, 'SIGKILL')
    }, STOP_DEADLINE_MS)
    const codes = await Promise.all(running.map((node) => node.exited))
    clearTimeout(timer)
    await Promise.all(nodes.map((node) => new Promise((done) => node.log.end(done))))
    if (ownDir) await rm(dir, { recursive: true, force: true })
    return codes.every((code) => code === 0) ? 0 : 1
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
    process.stderr.write(`${name}: stopping ${nodes.length} nodes (again to force)\n`)
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
    const seed = await spawnNode(nodes, 0, basePort, dir, [...common])
    await waitReady(seed, () => stopping)
    const rest: Array<Promise<void>> = []
    for (let index = 1; index < count; index++) {
      const node = await spawnNode(nodes, index, basePort, dir, [
        ...common,
        '--bootstrap',
        seed.multiaddr as string,
      ])
      rest.push(waitReady(node, () => stopping))
    }
    await Promise.all(rest)
  } catch (err) {
    await stopAll()
    throw err
  }

  for (const node of nodes) {
    void node.exited.then((code) => {
      if (!stopping)
        process.stderr.write(
          `node ${node.index} (pid ${node.child.pid}) exited with code ${code}; see ${node.logFile}\n`,
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
  const exited = new Promise<number | null>((done) =>
    child.once('exit', (code, sig) => done(code ?? (sig != null ? 128 : null))),
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
        clearTimeout(timer)
        done()
      }
    })
    node.child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString().trim()
      if (text !== '') lastError = text.split('\n').at(-1) ?? text
    })
    void node.exited.then((code) => {
      clearTimeout(timer)
      if (node.peerId == null && !stopping()) {
        fail(
          new CliError(
            `node ${node.index} exited with code ${code} before it was ready: ${lastError || `see ${node.logFile}`}`,
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
        dataDir: node.dataDir,
        logFile: node.logFile,
      })),
    }
    await writeOut(`${JSON.stringify(out)}\n`)
    return
  }
  const viaPnpm = process.env.npm_lifecycle_event === 'ringdht'
  const cli = viaPnpm ? 'pnpm --silent ringdht' : 'ringdht'
  const seed = nodes[0]?.multiaddr ?? ''
  const lines = [
    `ringdht cluster: ${nodes.length} nodes up; data in ${dir}${ownDir ? ' (removed on exit)' : ''}, logs in node-<i>.log`,
    '',
    ...nodes.map((node) => `  node ${node.index}  pid ${node.child.pid}  ${node.multiaddr}`),
    '',
    'Try it from another terminal:',
    `  export RINGDHT_PEER=${seed}`,
    `  ${cli} put hello world`,
    `  ${cli} get hello`,
    `  ${cli} ring`,
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
    throw new CliError(
      `${flag} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`,
    )
  }
  return value
}
