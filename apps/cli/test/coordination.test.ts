import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  CLI_BIN,
  freePorts,
  isCleanFailure,
  killAll,
  NODE,
  runCli,
  spawnDaemon,
  tempDir,
} from './helpers.js'

/**
 * `ringdht cas`, `ringdht lock NAME -- CMD` and `ringdht elect` against a real daemon: exit
 * codes a script can branch on, the fencing token in the command's environment, one
 * holder at a time, and bad input refused before anything is sent.
 */
describe('the coordination commands', { timeout: 120_000 }, () => {
  let dir: Awaited<ReturnType<typeof tempDir>>
  let peer: string

  before(async () => {
    dir = await tempDir('ringdht-coord-')
    const port = await freePorts(1)
    const daemon = spawnDaemon(['start', '--memory', '--listen', `/ip4/127.0.0.1/tcp/${port}`])
    peer = `/ip4/127.0.0.1/tcp/${port}/p2p/${(await daemon.ready).peerId}`
  })
  after(async () => {
    killAll()
    await dir?.remove()
  })

  // --peer before the arguments: everything after `--` belongs to the command run
  const cli = ([name, ...rest]: string[]) => runCli([name as string, '--peer', peer, ...rest])

  it('cas sets a register only from the expected value, and exits 1 when it held another', async () => {
    const created = await cli(['cas', '--absent', 'cfg', 'v1'])
    assert.equal(created.code, 0, created.stderr)
    const again = await cli(['cas', '--absent', 'cfg', 'v1'])
    assert.equal(again.code, 1)
    assert.match(
      again.stderr,
      /^ringdht: cas cfg: it holds "v1" \(version 1\), not the expected value/,
    )
    const swapped = await cli(['cas', 'cfg', 'v1', 'v2', '--json'])
    assert.equal(swapped.code, 0, swapped.stderr)
    assert.deepEqual(JSON.parse(swapped.stdout), {
      key: 'cfg',
      succeeded: true,
      value: 'v2',
      version: 2,
    })
    // a register is not a put/get key
    const get = await cli(['get', 'cfg'])
    assert.equal(get.code, 1)
    const deleted = await cli(['cas', '--delete', 'cfg', 'v2'])
    assert.equal(deleted.code, 0, deleted.stderr)
  })

  it('lock runs the command holding the lock, with a token that grows, and exits with its code', async () => {
    const first = await cli(['lock', 'tokens', '--', 'sh', '-c', 'echo "$RINGDHT_LOCK_TOKEN"'])
    assert.equal(first.code, 0, first.stderr)
    const second = await cli(['lock', 'tokens', '--', 'sh', '-c', 'echo "$RINGDHT_LOCK_TOKEN"'])
    assert.ok(Number(second.stdout) > Number(first.stdout), `${first.stdout} then ${second.stdout}`)
    const failing = await cli(['lock', 'tokens', '--', 'sh', '-c', 'exit 3'])
    assert.equal(failing.code, 3)
    // the token fences writes: a cas fenced with the current token goes through, and then
    // one with an older token is refused
    const write = `"${NODE}" "${CLI_BIN}" cas --absent fenced-reg x --fence "$RINGDHT_LOCK_TOKEN" --lock "$RINGDHT_LOCK_NAME" --peer ${peer}`
    const fenced = await cli(['lock', 'tokens', '--', 'sh', '-c', write])
    assert.equal(fenced.code, 0, fenced.stderr)
    const stale = await cli(['cas', 'fenced-reg', 'x', 'y', '--fence', first.stdout.trim()])
    assert.equal(stale.code, 4)
    assert.match(stale.stderr, /fencing token \d+ is below/)
    const future = await cli(['cas', 'fenced-reg', 'x', 'y', '--fence', '1000', '--lock', 'tokens'])
    assert.equal(future.code, 2)
    assert.match(future.stderr, /from the future/)
  })

  it('lets one lock holder run at a time', async () => {
    const log = join(dir.path, 'lock.log')
    const script = `echo start >> "${log}"; sleep 0.3; echo end >> "${log}"`
    const runs = await Promise.all(
      [1, 2, 3].map(() => cli(['lock', 'one-at-a-time', '--', 'sh', '-c', script])),
    )
    for (const run of runs) assert.equal(run.code, 0, run.stderr)
    const lines = (await readFile(log, 'utf8')).trim().split('\n')
    assert.deepEqual(lines, ['start', 'end', 'start', 'end', 'start', 'end'])
  })

  it('elect leads with a term while its command runs; the next leader gets a higher term', async () => {
    const led = await cli([
      'elect',
      'sched',
      '--id',
      'node-a',
      '--',
      'sh',
      '-c',
      'echo "term=$RINGDHT_LEADER_TERM"',
    ])
    assert.equal(led.code, 0, led.stderr)
    assert.match(led.stdout, /^leading sched as node-a, term 1\nterm=1\n$/)
    const next = await cli(['elect', 'sched', '--id', 'node-b', '--json', '--', 'true'])
    assert.equal(next.code, 0, next.stderr)
    assert.deepEqual(JSON.parse(next.stdout.split('\n')[0] as string), {
      election: 'sched',
      leader: 'node-b',
      term: 2,
    })
  })

  it('refuses bad input with a usage error before sending anything', async () => {
    for (const args of [
      ['cas', 'k'],
      ['cas', 'k', 'a', 'b', '--absent'],
      ['cas', 'k', 'a', '--absent', '--delete'],
      ['cas', 'k', 'a', 'b', '--fence', 'soon'],
      ['lock', 'l', '--ttl', '0', '--', 'true'],
      ['lock', 'l', '--ttl', '99999999999', '--', 'true'],
      ['elect', 'e', '--ttl', '-1', '--', 'true'],
    ]) {
      const result = await cli(args)
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`)
      assert.ok(isCleanFailure(result), result.stderr)
    }
    const missing = await cli(['lock', 'l', '--', 'no-such-command-here'])
    assert.equal(missing.code, 2, missing.stderr)
    assert.match(missing.stderr, /cannot run no-such-command-here/)
  })
})
