import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  type CliResult,
  freePorts,
  isCleanFailure,
  killAll,
  runCli,
  spawnDaemon,
  tempDir,
} from './helpers.js'

function assertClean(result: CliResult, pattern: RegExp, label: string): void {
  assert.ok(
    isCleanFailure(result),
    `${label}: expected a clean failure, got code ${result.code}:\n${result.stderr}`,
  )
  assert.match(result.stderr, pattern, `${label}: message`)
  assert.ok(
    result.stderr.trim().split('\n').length <= 2,
    `${label}: short message, got:\n${result.stderr}`,
  )
}

describe('bad input through the CLI: a clear message, non-zero exit, no stack trace', {
  timeout: 180_000,
}, () => {
  let dir: Awaited<ReturnType<typeof tempDir>>
  let peer: string
  let peerId: string
  let port: number
  let blocker: Server | undefined

  before(async () => {
    dir = await tempDir('ringdht-bad-')
    port = await freePorts(3)
    const daemon = spawnDaemon([
      'start',
      '--memory',
      '--listen',
      `/ip4/127.0.0.1/tcp/${port}`,
      '--max-key-bytes',
      '64',
    ])
    peerId = (await daemon.ready).peerId
    peer = `/ip4/127.0.0.1/tcp/${port}/p2p/${peerId}`
  })

  after(async () => {
    killAll()
    blocker?.close()
    await dir?.remove()
  })

  it('missing arguments', async () => {
    assertClean(await runCli(['get']), /missing required argument 'key'/, 'get without a key')
    assertClean(await runCli(['get', 'k']), /no peer to query/, 'get without --peer')
    assertClean(await runCli(['import']), /missing required argument/, 'import without a file')
    assertClean(await runCli(['nonsense']), /unknown command/, 'unknown command')
  })

  it('a non-existent file', async () => {
    const missing = join(dir.path, 'nope.jsonl')
    assertClean(await runCli(['import', missing, '--peer', peer]), /no such file/, 'import')
    assertClean(
      await runCli(['put', 'k', '--file', missing, '--peer', peer]),
      /no such file/,
      'put --file',
    )
    assertClean(
      await runCli(['get', 'k', '--peer', peer, '--psk', missing]),
      /no such file/,
      'get --psk',
    )
    assertClean(await runCli(['start', '--config', missing]), /no such file/, 'start --config')
  })

  it('a key over the size limit', async () => {
    const result = await runCli(['put', 'k'.repeat(65), 'v', '--peer', peer])
    assertClean(result, /key|large|limit|size/i, 'oversized key')
    const ok = await runCli(['put', 'k'.repeat(64), 'v', '--peer', peer])
    assert.equal(ok.code, 0, `a key at the limit is fine: ${ok.stderr}`)
  })

  it('a TTL without a unit or out of range; a good one shows in get --json', async () => {
    for (const ttl of ['5', '0s', '1.5h', 'soon']) {
      const result = await runCli(['put', 'ttl-key', 'v', '--ttl', ttl, '--peer', peer])
      assertClean(result, /--ttl must be a whole number with a unit/, `--ttl ${ttl}`)
    }
    const tooLong = await runCli(['put', 'ttl-key', 'v', '--ttl', '4000d', '--peer', peer])
    assertClean(tooLong, /ttlMs must be a whole number of ms from 1 to/, '--ttl 4000d')
    const absent = await runCli(['get', 'ttl-key', '--peer', peer])
    assert.equal(absent.code, 1, 'nothing was written')
    const put = await runCli(['put', 'ttl-key', 'v', '--ttl', '1h', '--peer', peer])
    assert.equal(put.code, 0, put.stderr)
    const got = await runCli(['get', 'ttl-key', '--json', '--peer', peer])
    const expiresAt = (JSON.parse(got.stdout) as { expiresAt?: number }).expiresAt ?? 0
    assert.ok(Math.abs(expiresAt - (Date.now() + 3_600_000)) < 60_000, `expiresAt ${expiresAt}`)
  })

  it('an absent key: exit 1, nothing on stdout', async () => {
    const result = await runCli(['get', 'never-written', '--peer', peer])
    assert.equal(result.code, 1)
    assert.equal(result.stdout, '')
    assert.match(result.stderr, /not found/)
  })

  it('an unreachable --peer', async () => {
    const closed = `/ip4/127.0.0.1/tcp/${port + 1}/p2p/${peerId}`
    assertClean(
      await runCli(['get', 'k', '--peer', closed, '--timeout', '3000']),
      /cannot reach|timed out/,
      'closed port',
    )
    // a peer that accepts TCP but never answers: the deadline must end it
    blocker = createServer(() => {})
    await new Promise<void>((resolve) => blocker?.listen(port + 2, '127.0.0.1', resolve))
    const silent = `/ip4/127.0.0.1/tcp/${port + 2}/p2p/${peerId}`
    const started = Date.now()
    assertClean(
      await runCli(['get', 'k', '--peer', silent, '--timeout', '2000']),
      /cannot reach|timed out/,
      'silent peer',
    )
    assert.ok(Date.now() - started < 15_000, 'gave up within the deadline')
  })

  it('bad daemon configuration', async () => {
    const file = join(dir.path, 'a-file')
    await writeFile(file, 'not a key')
    assertClean(
      await runCli(['start', '--listen', 'localhost:4001']),
      /not a multiaddr/,
      'unparseable multiaddr',
    )
    assertClean(
      await runCli(['start', '--memory', '--listen', `/ip4/127.0.0.1/tcp/${port}`]),
      /port in use/,
      'port in use',
    )
    assertClean(
      await runCli(['start', '--data-dir', join(file, 'sub'), '--listen', '/ip4/127.0.0.1/tcp/0']),
      /data dir .* not usable/,
      'unusable data dir',
    )
    assertClean(
      await runCli(['start', '--memory', '--psk', file]),
      /not a libp2p swarm key/,
      'wrong PSK file',
    )
    assertClean(
      await runCli(['start', '--memory'], { env: { RINGDHT_REPLICAS: 'three' } }),
      /RINGDHT_REPLICAS must be a positive integer/,
      'bad env var',
    )
  })
})
