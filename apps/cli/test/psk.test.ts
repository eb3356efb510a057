import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  type Daemon,
  freePorts,
  isCleanFailure,
  killAll,
  runCli,
  spawnDaemon,
  tail,
  tempDir,
} from './helpers.js'

describe('a private ring (pre-shared key)', { timeout: 180_000 }, () => {
  let dir: Awaited<ReturnType<typeof tempDir>>
  let member: Daemon
  let memberAddr: string
  let keyA: string
  let keyB: string
  let port: number

  before(async () => {
    dir = await tempDir('ringdht-psk-')
    keyA = join(dir.path, 'a.key')
    keyB = join(dir.path, 'b.key')
    for (const file of [keyA, keyB]) {
      const generated = await runCli(['psk', 'generate', file])
      assert.equal(generated.code, 0, generated.stderr)
    }
    port = await freePorts(2)
    member = spawnDaemon([
      'start',
      '--memory',
      '--listen',
      `/ip4/127.0.0.1/tcp/${port}`,
      '--psk',
      keyA,
    ])
    const ready = await member.ready
    memberAddr = `/ip4/127.0.0.1/tcp/${port}/p2p/${ready.peerId}`
  })

  after(async () => {
    killAll()
    await dir?.remove()
  })

  it('psk generate writes the libp2p swarm key format with mode 0600 and refuses to overwrite', async () => {
    const text = await readFile(keyA, 'utf8')
    assert.match(text, /^\/key\/swarm\/psk\/1\.0\.0\/\n\/base16\/\n[0-9a-f]{64}$/)
    assert.notEqual(text, await readFile(keyB, 'utf8'), 'two keys differ')
    const again = await runCli(['psk', 'generate', keyA])
    assert.ok(isCleanFailure(again), `overwrite refused cleanly: ${again.stderr}`)
  })

  it('serves clients that have the key', async () => {
    const put = await runCli(['put', 'secret', 'sauce', '--peer', memberAddr, '--psk', keyA])
    assert.equal(put.code, 0, put.stderr)
    const got = await runCli(['get', 'secret', '--peer', memberAddr], {
      env: { RINGDHT_PSK: keyA },
    })
    assert.equal(got.code, 0, got.stderr)
    assert.equal(got.stdout, 'sauce')
  })

  it('a CLI without the key, or with another key, cannot query', async () => {
    for (const [label, extra] of [
      ['no key', []],
      ['another key', ['--psk', keyB]],
    ] as const) {
      const result = await runCli([
        'get',
        'secret',
        '--peer',
        memberAddr,
        '--timeout',
        '3000',
        ...extra,
      ])
      assert.ok(
        isCleanFailure(result),
        `${label}: clean failure expected, got ${result.code}: ${result.stderr}`,
      )
      assert.equal(result.stdout, '', `${label}: no value leaked`)
      // the person learns the ring is private, not ECONNRESET or a timeout
      assert.equal(result.code, 3, `${label}: exit code 3 (unreachable): ${result.stderr}`)
      assert.match(
        result.stderr,
        label === 'no key'
          ? /^ringdht: cannot reach \S+: .*the ring is private: pass its swarm key with --psk FILE/m
          : /^ringdht: cannot reach \S+: .*the ring is private with another swarm key than \S+b\.key/m,
        label,
      )
      assert.doesNotMatch(result.stderr, /ECONNRESET|Message length/, label)
    }
  })

  it('without /p2p/ (a timeout, not a reset) the message still says the ring is private', async () => {
    const result = await runCli([
      'status',
      '--peer',
      `/ip4/127.0.0.1/tcp/${port}`,
      '--timeout',
      '2000',
    ])
    assert.equal(result.code, 3, result.stderr)
    assert.match(
      result.stderr,
      /^ringdht: cannot reach \S+: the ring is private: pass its swarm key/m,
    )
  })

  it('a daemon without the key is told the ring is private', async () => {
    const outsider = await runCli(
      [
        'start',
        '--memory',
        '--listen',
        '/ip4/127.0.0.1/tcp/0',
        '--bootstrap',
        `/ip4/127.0.0.1/tcp/${port}`,
        '--bootstrap-timeout-ms',
        '2000',
      ],
      { env: { RINGDHT_LOG_FORMAT: 'json' }, timeoutMs: 30_000 },
    )
    assert.equal(outsider.code, 3, outsider.stderr)
    assert.match(
      outsider.stderr,
      /^ringdht: cannot join through \S+: the ring is private: start with its swarm key/m,
    )
  })

  it('a peer with a different key cannot join', async () => {
    const outsider = spawnDaemon([
      'start',
      '--memory',
      '--listen',
      `/ip4/127.0.0.1/tcp/${port + 1}`,
      '--psk',
      keyB,
      '--bootstrap',
      memberAddr,
      '--bootstrap-timeout-ms',
      '4000',
    ])
    const code = await outsider.exited
    assert.notEqual(code, 0, `the outsider must not join\n${tail(outsider.logs)}`)
    assert.ok(
      !outsider.logs.some((line) => line.includes('"msg":"ready"')),
      'the outsider never became ready',
    )
    const reason = outsider.logs.filter((line) => line.startsWith('stderr: ')).join('\n')
    assert.match(reason, /ringdht: /, 'a one-line reason on stderr')
    assert.doesNotMatch(reason, /^stderr:\s+at /m, 'no stack trace')
  })
})
