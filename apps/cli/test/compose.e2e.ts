import assert from 'node:assert/strict'
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { chmodSync, existsSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it, type TestContext } from 'node:test'
import { fileURLToPath } from 'node:url'
import { keyValueLines, runCli, tempDir, waitFor } from './helpers.js'

/**
 * The repository's own docker-compose.yml, run with podman and docker-compose (no Docker
 * engine here), plus docker/compose.e2e.yml for what cannot be the same on a CI machine
 * (a locally built image, a test subnet in 198.18.0.0/15, a generated swarm key). It waits
 * for every service healthy, writes and reads through `docker-compose exec` and from the
 * host with the CLI routing directly to the members' announced addresses (the README's
 * /etc/hosts line, in a private mount namespace), SIGKILLs a member, checks that nothing
 * acknowledged is lost, restarts it from its volume while the seed is down, and tears
 * everything down (containers, network, volumes, the image) whatever happens.
 *
 * `pnpm test:compose` runs it; CI runs that as root. Figures go to the test diagnostics.
 */
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url))
const COMPOSE_FILES = ['-f', 'docker-compose.yml', '-f', 'docker/compose.e2e.yml']
const SERVICES = ['seed', 'node1', 'node2', 'node3', 'node4'] as const
const PORTS: Record<string, number> = {
  seed: 4001,
  node1: 4002,
  node2: 4003,
  node3: 4004,
  node4: 4005,
}

function missing(tool: string, args = ['--version']): boolean {
  try {
    execFileSync(tool, args, { stdio: 'ignore' })
    return false
  } catch {
    return true
  }
}

function unavailableReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (podman, a bridge network, unshare --mount)'
  for (const tool of ['podman', 'docker-compose', 'unshare']) {
    if (missing(tool)) return `\`${tool}\` is not installed (.ci/run installs it as root)`
  }
  if (missing('podman', ['image', 'exists', baseImage()]) && missing('debootstrap')) {
    return '`debootstrap` is not installed and there is no base image (.ci/run installs it as root)'
  }
  return undefined
}

function baseImage(): string {
  return process.env.RINGDHT_BASE_IMAGE ?? 'localhost/ringdht-base:bookworm-node24'
}

const unavailable = unavailableReason()
if (unavailable != null)
  process.stdout.write(`# skipping the docker-compose e2e test: ${unavailable}\n`)

/** A 198.18.N.0/24 (N in 100..199) no interface uses, so parallel runs do not share one. */
function freeSubnet(): string {
  const used = execFileSync('ip', ['-4', '-o', 'addr', 'show'], { encoding: 'utf8' })
  for (let offset = 0; offset < 100; offset++) {
    const candidate = 100 + ((process.pid + offset) % 100)
    if (!used.includes(` 198.18.${candidate}.`)) return `198.18.${candidate}.0/24`
  }
  throw new Error('no free 198.18.1xx.0/24 subnet')
}

interface Result {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs a command to completion, SIGKILLed at the deadline; never throws. */
function run(
  file: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string } = {},
): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(file, args, {
      cwd: ROOT,
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    child.stdin.end(options.input ?? '')
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000)
    child.once('error', (err) => {
      clearTimeout(timer)
      resolve({ code: null, stdout, stderr: `${stderr}${err.message}` })
    })
    child.once('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

describe('docker-compose.yml in containers (podman + docker-compose)', {
  skip: unavailable,
  timeout: 600_000,
}, () => {
  const tag = `rdte2e${process.pid}`
  const project = tag
  const image = `localhost/ringdht:${tag}`
  let dir: Awaited<ReturnType<typeof tempDir>>
  let env: NodeJS.ProcessEnv = {}
  let service: ChildProcess | undefined
  let healthDriver: NodeJS.Timeout | undefined
  let psk = ''
  let hosts = ''
  const figures: Record<string, string> = {}
  const acknowledged = new Map<string, string>()

  const compose = (args: string[], timeoutMs = 120_000) =>
    run('docker-compose', ['-p', project, ...COMPOSE_FILES, ...args], { env, timeoutMs })

  const containerOf = (name: string) => `${project}_${name}_1`

  /** `docker-compose exec -T SERVICE ringdht ...` (RINGDHT_PEER and RINGDHT_PSK are set in compose). */
  async function exec(name: string, args: string[], input?: string): Promise<Result> {
    const result = await run(
      'docker-compose',
      ['-p', project, ...COMPOSE_FILES, 'exec', '-T', name, 'ringdht', ...args],
      { env, timeoutMs: 60_000, ...(input === undefined ? {} : { input }) },
    )
    return result
  }

  /** The CLI on the host, with the README's `127.0.0.1 seed node1 ...` hosts line (private mount namespace). */
  function fromHost(args: string[], timeoutMs = 60_000) {
    return runCli([...args, '--psk', psk], {
      wrap: [
        'unshare',
        '--mount',
        '--',
        'sh',
        '-c',
        'mount --bind "$0" /etc/hosts && exec "$@"',
        hosts,
      ],
      timeoutMs,
    })
  }

  /**
   * podman runs healthchecks from systemd timers, and there is no systemd here: run each
   * container's own HEALTHCHECK command (`podman healthcheck run`) every 2 s instead, which
   * is what the timer would do. docker-compose sees the same health states as with Docker.
   */
  function driveHealthchecks(): void {
    let busy = false
    healthDriver = setInterval(async () => {
      if (busy) return
      busy = true
      try {
        const ids = await run('podman', [
          'ps',
          '-q',
          '--filter',
          `label=com.docker.compose.project=${project}`,
        ])
        for (const id of ids.stdout.split('\n').filter((line) => line !== '')) {
          await run('podman', ['healthcheck', 'run', id], { timeoutMs: 10_000 })
        }
      } finally {
        busy = false
      }
    }, 2_000)
  }

  async function health(): Promise<Map<string, string>> {
    const out = new Map<string, string>()
    for (const name of SERVICES) {
      const result = await run('podman', [
        'inspect',
        containerOf(name),
        '--format',
        '{{.State.Health.Status}}',
      ])
      out.set(name, result.stdout.trim() || result.stderr.trim())
    }
    return out
  }

  async function allHealthy(timeoutMs: number): Promise<void> {
    let last = new Map<string, string>()
    await waitFor(
      'every service healthy',
      async () => {
        last = await health()
        return [...last.values()].every((state) => state === 'healthy')
      },
      { timeoutMs, intervalMs: 1_000 },
    ).catch(async (err: Error) =>
      assert.fail(`${err.message}: ${JSON.stringify(Object.fromEntries(last))}\n${await logs()}`),
    )
  }

  async function logs(): Promise<string> {
    const out: string[] = []
    for (const name of SERVICES) {
      const result = await run('podman', ['logs', '--tail', '8', containerOf(name)])
      out.push(`--- ${name} ---\n${result.stdout}${result.stderr}`)
    }
    return out.join('\n')
  }

  async function peerIdOf(name: string): Promise<string> {
    const status = await exec(name, ['status', '--json'])
    assert.equal(status.code, 0, `status in ${name}: ${status.stderr}`)
    return (JSON.parse(status.stdout) as { peerId: string }).peerId
  }

  /** Every acknowledged key, read back by an export from the host through `via`. */
  async function nothingLost(via: string, timeoutMs: number): Promise<void> {
    let lost: string[] = []
    await waitFor(
      `every acknowledged key in an export through ${via}`,
      async () => {
        const exported = await fromHost(
          ['export', '--peer', `/dns4/${via}/tcp/${PORTS[via]}`],
          60_000,
        )
        if (exported.code !== 0) return false
        const seen = new Map(
          exported.stdout
            .split('\n')
            .filter((line) => line !== '')
            .map((line) => {
              const record = JSON.parse(line) as { key: string; value: string }
              return [record.key, record.value] as const
            }),
        )
        lost = [...acknowledged]
          .filter(([key, value]) => seen.get(key) !== value)
          .map(([key]) => key)
        return lost.length === 0
      },
      { timeoutMs, intervalMs: 2_000 },
    ).catch((err: Error) =>
      assert.fail(`${err.message}: ${lost.length} missing, e.g. ${lost.slice(0, 10).join(', ')}`),
    )
  }

  /** Removes what `docker-compose down` would, by the project's label; safe to repeat. */
  const label = `label=com.docker.compose.project=${project}`
  const leftovers: string[][] = [
    ['rm', '--force', '--time', '0', '--filter', label],
    ['volume', 'prune', '--force', '--filter', label],
    ['network', 'rm', '--force', `${project}_default`],
    ['rmi', '--force', image],
  ]
  /** Images present before the build: any other image (but the cached base) is the test's. */
  let imagesBefore: Set<string> | undefined
  const imageIds = (): string[] =>
    execFileSync('podman', ['images', '--all', '--quiet', '--no-trunc'], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line !== '')
  const builtImages = (): string[] => {
    if (imagesBefore === undefined) return []
    let base = ''
    try {
      base = execFileSync('podman', ['image', 'inspect', baseImage(), '--format', '{{.Id}}'], {
        encoding: 'utf8',
      }).trim()
    } catch {}
    return imageIds().filter((id) => !imagesBefore?.has(id) && !id.endsWith(base || '-'))
  }
  const cleanupSync = () => {
    // the last resort when the process exits without running `after`
    clearInterval(healthDriver)
    for (const args of [...leftovers, ['rmi', '--force', ...builtImages()]]) {
      try {
        execFileSync('podman', args, { stdio: 'ignore', timeout: 30_000 })
      } catch {}
    }
    service?.kill('SIGKILL')
    if (dir !== undefined) rmSync(dir.path, { recursive: true, force: true })
  }
  const onSignal = (signal: NodeJS.Signals) => {
    cleanupSync()
    process.exit(signal === 'SIGINT' ? 130 : 143)
  }

  /** Later steps build on earlier ones: once one fails, the rest are skipped, not timed out. */
  let failed: string | undefined
  function step(name: string, fn: (t: TestContext) => Promise<void>) {
    it(name, async (t) => {
      if (failed !== undefined) {
        t.skip(`an earlier step failed: ${failed}`)
        return
      }
      try {
        await fn(t)
      } catch (err) {
        failed = name
        throw err
      }
    })
  }

  before(async () => {
    dir = await tempDir('ringdht-compose-')
    process.on('exit', cleanupSync)
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
    psk = join(dir.path, 'ringdht.key')
    hosts = join(dir.path, 'hosts')
    const generated = await runCli(['psk', 'generate', psk])
    assert.equal(generated.code, 0, `psk generate: ${generated.stderr}`)
    // compose bind-mounts file secrets as they are: the image's `node` user (uid 1000) reads it
    chmodSync(psk, 0o644)
    writeFileSync(hosts, `127.0.0.1 localhost ${SERVICES.join(' ')}\n`)
    for (const [name, port] of Object.entries(PORTS)) {
      const busy = await run('sh', ['-c', `ss -Hltn 'sport = :${port}' | grep -q .`])
      assert.notEqual(
        busy.code,
        0,
        `127.0.0.1:${port} (published by ${name}) is in use on this host`,
      )
    }
    const socket = join(dir.path, 'podman.sock')
    service = spawn('podman', ['system', 'service', '--time=0', `unix://${socket}`], {
      stdio: 'ignore',
    })
    env = {
      DOCKER_HOST: `unix://${socket}`,
      COMPOSE_HTTP_TIMEOUT: '120',
      RINGDHT_E2E_IMAGE: image,
      RINGDHT_E2E_SUBNET: freeSubnet(),
      RINGDHT_E2E_PSK: psk,
    }
    await waitFor('the podman API socket', () => existsSync(socket), { timeoutMs: 20_000 })
  })

  after(async () => {
    clearInterval(healthDriver)
    if (unavailable == null && env.DOCKER_HOST !== undefined) {
      const down = await compose(['down', '--volumes', '--remove-orphans', '--timeout', '5'])
      if (down.code !== 0) process.stdout.write(`# docker-compose down: ${down.stderr}\n`)
    }
    // whatever `down` missed (it failed, or `up` never finished)
    for (const args of leftovers) await run('podman', args)
    // the image and the build stages' intermediate images; the base image stays, a cache
    const built = builtImages()
    if (built.length > 0) await run('podman', ['rmi', '--force', ...built])
    service?.kill('SIGTERM')
    process.off('exit', cleanupSync)
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    await dir?.remove()
    const left = await run('podman', ['ps', '-aq', '--filter', label])
    assert.equal(left.stdout.trim(), '', 'no container of the test is left')
    process.stdout.write(`# compose e2e figures: ${JSON.stringify(figures)}\n`)
  })

  step('builds the image from the Dockerfile on a local base', async (t) => {
    imagesBefore = new Set(imageIds())
    const started = Date.now()
    const built = await run(join(ROOT, 'docker/build-image.sh'), [image], { timeoutMs: 420_000 })
    assert.equal(built.code, 0, `docker/build-image.sh:\n${built.stderr.slice(-3000)}`)
    figures.build = built.stdout.trim().split('\n').at(-1) ?? ''
    figures.buildSeconds = ((Date.now() - started) / 1000).toFixed(1)
    t.diagnostic(figures.build)
    const user = await run('podman', [
      'image',
      'inspect',
      image,
      '--format',
      '{{.Config.User}} {{.Size}}',
    ])
    assert.match(user.stdout, /^node \d+/, 'the image runs as the non-root `node` user')
    // one Node binary: the base image's, none in node_modules (no `node` package, no devDependencies)
    const nodes = await run('podman', [
      'run',
      '--rm',
      '--network',
      'none',
      '--entrypoint',
      'sh',
      image,
      '-c',
      'find / -xdev -type f -name node -size +10M; ls /app/node_modules/.pnpm | grep -c -E "^(typescript|@biomejs|fast-check|node)@" || true',
    ])
    assert.equal(
      nodes.stdout.trim(),
      '/usr/local/bin/node\n0',
      `node binaries and dev dependencies:\n${nodes.stdout}`,
    )
  })

  step('starts every service healthy, each announcing its service name', async (t) => {
    driveHealthchecks()
    const started = Date.now()
    const up = await compose(['up', '--detach', '--no-build'], 240_000)
    assert.equal(up.code, 0, `docker-compose up:\n${up.stderr.slice(-3000)}\n${await logs()}`)
    await allHealthy(120_000)
    figures.upToHealthySeconds = ((Date.now() - started) / 1000).toFixed(1)
    t.diagnostic(`docker-compose up to all healthy: ${figures.upToHealthySeconds} s`)
    // healthy means joined; successor lists take a few stabilize rounds more to name
    // every member, so the walk is asked again until it finds all five
    let lastWalk = ''
    const members = await waitFor(
      'a ring walk of five members',
      async () => {
        const ring = await exec('seed', ['ring', '--json'])
        lastWalk = `${ring.code}: ${ring.stdout}${ring.stderr}`
        if (ring.code !== 0) return undefined
        const walked = JSON.parse(ring.stdout) as Array<{ multiaddrs: string[] }>
        return walked.length === 5 ? walked : undefined
      },
      { timeoutMs: 60_000, intervalMs: 1_000 },
    ).catch((err: Error) => assert.fail(`${err.message}; last walk ${lastWalk}`))
    const announced = members.map((member) =>
      member.multiaddrs.map((ma) => ma.replace(/\/p2p\/.*$/, '')),
    )
    assert.deepEqual(
      announced.flat().sort(),
      SERVICES.map((name) => `/dns4/${name}/tcp/${PORTS[name]}`).sort(),
      'each member announces only /dns4/<service>/tcp/<port>',
    )
  })

  step(
    'writes and reads through docker-compose exec and from the host, routing directly',
    async () => {
      const put = await exec('node2', ['put', 'hello', 'world'])
      assert.equal(put.code, 0, `put in node2: ${put.stderr}`)
      acknowledged.set('hello', 'world')
      const got = await exec('node3', ['get', 'hello'])
      assert.equal(got.stdout, 'world', `get in node3: ${got.stderr}`)
      // from the host: 200 keys through the seed's published port; direct routing dials
      // every member at the name it announces
      const records = keyValueLines(200, 'compose')
      const file = join(dir.path, 'records.jsonl')
      writeFileSync(file, records.map((record) => JSON.stringify(record)).join('\n'))
      const imported = await fromHost(['import', file, '--peer', '/dns4/seed/tcp/4001'], 120_000)
      assert.equal(imported.code, 0, `import from the host: ${imported.stderr.slice(0, 2000)}`)
      assert.match(imported.stdout, /^imported 200 keys .* 0 failed(, .*)?$/m, imported.stdout)
      for (const record of records) acknowledged.set(record.key, record.value)
      const traced = await fromHost([
        'get',
        'compose-00007',
        '--trace',
        '--peer',
        '/dns4/node4/tcp/4005',
      ])
      assert.equal(traced.code, 0, `get from the host: ${traced.stderr}`)
      assert.equal(traced.stdout, (records[7] as { value: string }).value)
      const inside = await exec('node1', ['get', 'compose-00123'])
      assert.equal(inside.stdout, (records[123] as { value: string }).value, inside.stderr)
    },
  )

  step(
    'loses nothing acknowledged when a member is killed, and takes it back from its volume',
    async (t) => {
      const identity = await peerIdOf('node2')
      const killed = await run('podman', ['kill', '--signal', 'KILL', containerOf('node2')])
      assert.equal(killed.code, 0, `podman kill: ${killed.stderr}`)
      // writes while it is down: acknowledged ones must survive too
      for (const index of [1, 2, 3, 4, 5]) {
        const key = `while-node2-down-${index}`
        const put = await fromHost(['put', key, `v${index}`, '--peer', '/dns4/node1/tcp/4002'])
        if (put.code === 0) acknowledged.set(key, `v${index}`)
      }
      await nothingLost('seed', 90_000)
      t.diagnostic(`node2 killed: ${acknowledged.size} acknowledged keys all readable`)
      // the seed goes down too; node2 restarts from its volume and joins through node1
      const seedDown = await run('podman', ['kill', '--signal', 'KILL', containerOf('seed')])
      assert.equal(seedDown.code, 0, `podman kill seed: ${seedDown.stderr}`)
      const restarted = Date.now()
      const up = await compose(['up', '--detach', '--no-build', '--no-deps', 'node2'])
      assert.equal(up.code, 0, `docker-compose up node2: ${up.stderr}`)
      await waitFor(
        'node2 healthy while the seed is down',
        async () => (await health()).get('node2') === 'healthy',
        { timeoutMs: 90_000, intervalMs: 1_000 },
      ).catch(async (err: Error) => assert.fail(`${err.message}\n${await logs()}`))
      figures.restartToHealthySeconds = ((Date.now() - restarted) / 1000).toFixed(1)
      assert.equal(await peerIdOf('node2'), identity, 'node2 keeps its identity (its volume)')
      const seedUp = await compose(['up', '--detach', '--no-build', '--no-deps', 'seed'])
      assert.equal(seedUp.code, 0, `docker-compose up seed: ${seedUp.stderr}`)
      await allHealthy(90_000)
      await waitFor(
        'five members seen from node2',
        async () => {
          const ring = await exec('node2', ['ring', '--json'])
          return ring.code === 0 && (JSON.parse(ring.stdout) as unknown[]).length === 5
        },
        { timeoutMs: 60_000, intervalMs: 1_000 },
      )
      await nothingLost('node2', 90_000)
      t.diagnostic(`restarted node2 healthy in ${figures.restartToHealthySeconds} s; nothing lost`)
    },
  )
})
