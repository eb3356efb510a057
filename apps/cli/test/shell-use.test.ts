import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { CLI_BIN, freePorts, killAll, NODE, runCli, spawnDaemon, tempDir } from './helpers.js'

/**
 * The CLI in ordinary shell use, against real daemons: data that must survive export →
 * import byte for byte, imports that stop or skip at bad lines, pipes closed by `head`,
 * exit codes a script can branch on, and messages in the user's terms.
 */
describe('the CLI in shell use', { timeout: 240_000 }, () => {
  let dir: Awaited<ReturnType<typeof tempDir>>
  let peer: string
  let port: number
  let peerId: string
  let otherId: string

  before(async () => {
    dir = await tempDir('ringdht-shell-')
    port = await freePorts(3)
    const daemon = spawnDaemon(['start', '--memory', '--listen', `/ip4/127.0.0.1/tcp/${port}`])
    const other = spawnDaemon(['start', '--memory', '--listen', `/ip4/127.0.0.1/tcp/${port + 1}`])
    peerId = (await daemon.ready).peerId
    otherId = (await other.ready).peerId
    peer = `/ip4/127.0.0.1/tcp/${port}/p2p/${peerId}`
  })

  after(async () => {
    killAll()
    await dir?.remove()
  })

  const cli = (args: string[], input?: string) =>
    runCli([...args, '--peer', peer], input !== undefined ? { input } : {})

  async function exportAll(): Promise<Array<Record<string, string>>> {
    const exported = await cli(['export'])
    assert.equal(exported.code, 0, exported.stderr)
    return exported.stdout
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, string>)
  }

  it('export → import round-trips binary and text keys and values exactly', async () => {
    const records = [
      { key: 'rt-text', value: 'plain text' },
      { key: 'rt-binary-value', value: '/wABAg==', valueEncoding: 'base64' },
      { key: '/w==', keyEncoding: 'base64', value: 'binary key, text value' },
      { key: 'rt-empty', value: '' },
      { key: 'rt-looks-like-base64', value: 'aGk=' },
    ]
    const file = join(dir.path, 'round-trip.jsonl')
    await writeFile(file, `${records.map((record) => JSON.stringify(record)).join('\n')}\n`)
    const imported = await cli(['import', file])
    assert.equal(imported.code, 0, imported.stderr)
    assert.match(imported.stdout, /^imported 5 keys .* 0 failed(, .*)?$/m)

    const first = (await exportAll()).filter((line) => records.some((r) => r.key === line.key))
    assert.deepEqual(
      first.sort((a, b) => String(a.key).localeCompare(String(b.key))),
      records.map((record) => ({ ...record })).sort((a, b) => a.key.localeCompare(b.key)),
      'export writes each record as it was imported: text as text, binary as base64',
    )
    const got = await cli(['get', 'rt-binary-value'])
    assert.deepEqual([...got.stdoutBytes], [0xff, 0x00, 0x01, 0x02])
    const looksLikeBase64 = await cli(['get', 'rt-looks-like-base64'])
    assert.equal(looksLikeBase64.stdout, 'aGk=', 'a text value is never decoded')

    // and again: the export file imports as is
    const again = join(dir.path, 'exported.jsonl')
    await writeFile(again, `${first.map((line) => JSON.stringify(line)).join('\n')}\n`)
    const reimported = await cli(['import', again])
    assert.equal(reimported.code, 0, reimported.stderr)
  })

  it('an import stops at an invalid line, says how many keys it wrote, or skips with --skip-invalid', async () => {
    const lines = [
      ...Array.from({ length: 5 }, (_, i) => JSON.stringify({ key: `stop-${i}`, value: `v${i}` })),
      JSON.stringify({ key: 'stop-bad', value: 'not base64!', valueEncoding: 'base64' }),
      ...Array.from({ length: 3 }, (_, i) => JSON.stringify({ key: `after-${i}`, value: 'v' })),
      JSON.stringify({ key: 'old', value: 'aGk=', encoding: 'base64' }),
    ]
    const file = join(dir.path, 'bad-line.jsonl')
    await writeFile(file, `${lines.join('\n')}\n`)

    const stopped = await cli(['import', file])
    assert.equal(stopped.code, 2, `usage error: ${stopped.stderr}`)
    assert.match(
      stopped.stderr,
      /^ringdht: .*line 6: "value" is not valid base64.*5 keys from the lines before it were written.*--skip-invalid/m,
    )
    assert.equal((await cli(['get', 'stop-4'])).code, 0, 'the lines before it were written')
    assert.equal((await cli(['get', 'after-0'])).code, 1, 'nothing after it')
    assert.equal((await cli(['get', 'stop-bad'])).code, 1, 'the bad line stored nothing')

    const skipped = await cli(['import', file, '--skip-invalid'])
    assert.equal(skipped.code, 0, skipped.stderr)
    assert.match(skipped.stdout, /^imported 8 keys .* 0 failed, 2 invalid lines skipped$/m)
    assert.match(skipped.stderr, /skipped: .*line 6/)
    assert.match(skipped.stderr, /skipped: .*line 10: "encoding" is ambiguous/)
    assert.equal((await cli(['get', 'after-2'])).code, 0)
    const json = await cli(['import', file, '--skip-invalid', '--json'])
    assert.equal(JSON.parse(json.stdout).skipped, 2)
  })

  it('put with an empty stdin is an error; an explicit empty value is stored', async () => {
    const accidental = await cli(['put', 'empty-by-accident'], '')
    assert.equal(accidental.code, 2, accidental.stderr)
    assert.match(accidental.stderr, /^ringdht: stdin was empty: nothing stored .*put KEY ''/m)
    assert.equal((await cli(['get', 'empty-by-accident'])).code, 1, 'nothing stored')
    const viaDash = await cli(['put', 'empty-by-accident', '--file', '-'], '')
    assert.equal(viaDash.code, 2, viaDash.stderr)

    const explicit = await cli(['put', 'empty-on-purpose', ''])
    assert.equal(explicit.code, 0, explicit.stderr)
    const got = await cli(['get', 'empty-on-purpose'])
    assert.equal(got.code, 0, got.stderr)
    assert.equal(got.stdout, '')
    const piped = await cli(['put', 'piped'], 'x')
    assert.equal(piped.code, 0, piped.stderr)
  })

  it('ring counts keys, not the tombstones of deleted ones', async () => {
    for (const key of ['tomb-1', 'tomb-2', 'tomb-3']) {
      assert.equal((await cli(['put', key, 'v'])).code, 0)
    }
    assert.equal((await cli(['del', 'tomb-2'])).code, 0)
    const exported = await exportAll()
    assert.ok(!exported.some((line) => line.key === 'tomb-2'), 'deleted key not exported')
    const ring = await cli(['ring', '--json'])
    assert.equal(ring.code, 0, ring.stderr)
    const members = JSON.parse(ring.stdout) as Array<{ keyCount: number }>
    const counted = members.reduce((sum, member) => sum + member.keyCount, 0)
    assert.equal(counted, exported.length, 'ring and export agree on the number of keys')
    const table = await cli(['ring'])
    assert.match(table.stdout, new RegExp(`, ${exported.length} primary keys$`, 'm'))
  })

  it('a reader that closes the pipe (| head) ends the command quietly', async () => {
    assert.equal((await cli(['put', 'big'], 'x'.repeat(200_000))).code, 0)
    for (const args of [
      ['get', 'big'],
      ['get', 'big', '--json'],
      ['ring', '--json'],
      ['ring'],
      ['export'],
      ['status'],
    ]) {
      const result = await runCli([...args, '--peer', peer], { closeStdout: true })
      assert.equal(result.code, 141, `${args.join(' ')}: 128 + SIGPIPE, as cat: ${result.stderr}`)
      assert.equal(result.stderr, '', `${args.join(' ')}: nothing on stderr`)
    }
    // through a real shell pipe too
    const piped = execFileSync(
      'sh',
      ['-c', `"${NODE}" "${CLI_BIN}" export --peer ${peer} | head -c 10; echo " rc=$?"`],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    assert.match(piped, / rc=0$/m)
  })

  it('exit codes a script can branch on: 0 ok, 1 not found, 2 usage, 3 unreachable', async () => {
    assert.equal((await cli(['put', 'exit-code', 'v'])).code, 0)
    assert.equal((await cli(['get', 'exit-code'])).code, 0)
    assert.equal((await cli(['get', 'no-such-key'])).code, 1)
    for (const args of [
      ['get'],
      ['get', 'k', '--bogus'],
      ['get', 'k', '--timeout', 'abc'],
      ['frobnicate'],
    ]) {
      const result = await runCli([...args, '--peer', peer])
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`)
      assert.match(result.stderr, /^ringdht: /, `${args.join(' ')}: prefixed like every message`)
    }
    const closed = await runCli([
      'get',
      'k',
      '--peer',
      `/ip4/127.0.0.1/tcp/${port + 2}/p2p/${peerId}`,
      '--timeout',
      '3000',
    ])
    assert.equal(closed.code, 3, closed.stderr)
    assert.match(closed.stderr, /^ringdht: cannot reach/m)
  })

  it('errors name the argument the user typed', async () => {
    const timeout = await cli(['get', 'k', '--timeout', 'abc'])
    assert.match(timeout.stderr, /^ringdht: --timeout must be a positive integer, got "abc"/m)
    assert.doesNotMatch(timeout.stderr, /--timeout-ms/)

    const wrongId = await runCli([
      'get',
      'k',
      '--peer',
      `/ip4/127.0.0.1/tcp/${port + 1}/p2p/${peerId}`,
    ])
    assert.equal(wrongId.code, 2, wrongId.stderr)
    assert.match(
      wrongId.stderr,
      new RegExp(
        `^ringdht: --peer .*the peer at that address is ${otherId}, not ${peerId}; fix the /p2p/ id`,
        'm',
      ),
    )

    const garbage = await runCli(['get', 'k', '--peer', `/ip4/127.0.0.1/tcp/${port}/p2p/garbage`])
    assert.equal(garbage.code, 2, garbage.stderr)
    assert.match(garbage.stderr, /^ringdht: --peer: "garbage" in \S+ is not a peer id/m)
    const bootstrap = await runCli([
      'start',
      '--memory',
      '--listen',
      '/ip4/127.0.0.1/tcp/0',
      '--bootstrap',
      `/ip4/127.0.0.1/tcp/${port}/p2p/garbage`,
    ])
    assert.equal(bootstrap.code, 2, bootstrap.stderr)
    assert.match(bootstrap.stderr, /^ringdht: --bootstrap: "garbage" .* is not a peer id/m)
  })

  it('get ends its output with a newline on a terminal, and only there', async (t) => {
    try {
      execFileSync('script', ['--version'], { stdio: 'ignore' })
    } catch {
      t.skip('needs script(1) from util-linux for a pseudo-terminal')
      return
    }
    assert.equal((await cli(['put', 'tty', 'no newline'])).code, 0)
    const onTerminal = execFileSync(
      'script',
      ['-qec', `"${NODE}" "${CLI_BIN}" get tty --peer ${peer}`, '/dev/null'],
      {
        encoding: 'utf8',
      },
    )
    assert.equal(onTerminal, 'no newline\r\n')
    assert.equal(
      (await cli(['get', 'tty'])).stdout,
      'no newline',
      'a pipe gets the bytes as stored',
    )
  })
})
