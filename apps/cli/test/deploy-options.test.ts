import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { dirname, join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { CLI_BIN, freePorts, killAll, NODE, runCli, spawnDaemon, tempDir } from './helpers.js'

/**
 * The start options containers rely on: --announce (what members and clients are told to
 * dial), --health-socket with dist/src/healthcheck.js (the compose healthcheck), several
 * bootstrap addresses of which one is down, and --bootstrap-optional (a seed that lists
 * members which are not there yet).
 */
const HEALTHCHECK = join(dirname(CLI_BIN), 'healthcheck.js')

function healthcheck(socket: string): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(NODE, [HEALTHCHECK, socket], { timeout: 10_000 }, (err, stdout) => {
      resolve({ code: err == null ? 0 : ((err as { code?: number }).code ?? 1), stdout })
    })
  })
}

describe('start options for containers', { timeout: 120_000 }, () => {
  let dir: Awaited<ReturnType<typeof tempDir>>
  let port: number

  before(async () => {
    dir = await tempDir('ringdht-deploy-')
    port = await freePorts(3)
  })

  after(async () => {
    killAll()
    await dir?.remove()
  })

  it('announces the --announce address instead of the listen address, and reports health', async () => {
    const socket = join(dir.path, 'seed.sock')
    const seed = spawnDaemon(
      [
        'start',
        '--memory',
        '--listen',
        `/ip4/127.0.0.1/tcp/${port}`,
        '--health-socket',
        socket,
        // a member that is not there: --bootstrap-optional starts a new ring after 1 s
        '--bootstrap',
        `/ip4/127.0.0.1/tcp/${port + 2}`,
        '--bootstrap-optional',
        '--bootstrap-timeout-ms',
        '1000',
      ],
      { env: { RINGDHT_ANNOUNCE: `/dns4/localhost/tcp/${port}` } },
    )
    const ready = await seed.ready
    assert.deepEqual(ready.multiaddrs, [`/dns4/localhost/tcp/${port}/p2p/${ready.peerId}`])
    assert.ok(
      seed.logs.some((line) => line.includes('starting a new ring (--bootstrap-optional)')),
      'started a new ring when no bootstrap peer answered',
    )
    const health = await healthcheck(socket)
    assert.equal(health.code, 0, health.stdout)
    assert.equal((JSON.parse(health.stdout) as { state: string }).state, 'ok')

    // a joiner with two bootstrap addresses, one of them down, joins through the other
    const joiner = spawnDaemon([
      'start',
      '--memory',
      '--listen',
      `/ip4/127.0.0.1/tcp/${port + 1}`,
      '--bootstrap',
      `/ip4/127.0.0.1/tcp/${port + 2}`,
      `/ip4/127.0.0.1/tcp/${port}`,
    ])
    const joined = await joiner.ready
    const ring = await runCli([
      'ring',
      '--json',
      '--peer',
      `/ip4/127.0.0.1/tcp/${port + 1}/p2p/${joined.peerId}`,
    ])
    assert.equal(ring.code, 0, ring.stderr)
    const members = JSON.parse(ring.stdout) as Array<{ peerId: string; multiaddrs: string[] }>
    assert.equal(members.length, 2)
    const seen = members.find((member) => member.peerId === ready.peerId)
    assert.deepEqual(seen?.multiaddrs, [`/dns4/localhost/tcp/${port}/p2p/${ready.peerId}`])
    // clients route directly to the announced name
    const put = await runCli(['put', 'k', 'v', '--peer', `/dns4/localhost/tcp/${port}`])
    assert.equal(put.code, 0, put.stderr)

    seed.child.kill('SIGTERM')
    await seed.exited
    const gone = await healthcheck(socket)
    assert.equal(gone.code, 1, 'no daemon, no health')
  })

  it('healthcheck.js fails without a socket to ask', async () => {
    const result = await healthcheck(join(dir.path, 'nobody.sock'))
    assert.equal(result.code, 1)
  })
})
