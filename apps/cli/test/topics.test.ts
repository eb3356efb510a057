import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  freePorts,
  isCleanFailure,
  killAll,
  runCli,
  spawnDaemon,
  tail,
  tempDir,
  waitFor,
} from './helpers.js'

/**
 * `ringdht pub` and `ringdht sub` against three real daemons: what a script sees (one line
 * per message, sequence numbers, replay with --from, --count) and bad input refused with
 * a clear message. The failover e2e is topics-failover.e2e.ts.
 */
describe('the topic commands (3 daemons)', { timeout: 120_000 }, () => {
  let dir: Awaited<ReturnType<typeof tempDir>>
  const addrs: string[] = []

  before(async () => {
    dir = await tempDir('ringdht-topics-')
    const port = await freePorts(3)
    for (let i = 0; i < 3; i++) {
      const daemon = spawnDaemon([
        'start',
        '--listen',
        `/ip4/127.0.0.1/tcp/${port + i}`,
        '--data-dir',
        join(dir.path, `node-${i}`),
        ...(i === 0 ? [] : ['--bootstrap', addrs[0] as string]),
      ])
      addrs[i] = `/ip4/127.0.0.1/tcp/${port + i}/p2p/${(await daemon.ready).peerId}`
    }
  })
  after(async () => {
    killAll()
    await dir?.remove()
  })

  it('pub prints sequence numbers; sub prints the messages in order, live and replayed', async () => {
    const live = spawnDaemon(['sub', 'news', '--from', '1', '--json', '--peer', addrs[1] as string])
    const one = await runCli(['pub', 'news', 'hello', '--peer', addrs[2] as string])
    assert.equal(one.code, 0, one.stderr)
    assert.equal(one.stdout, '1\n')
    const lines = await runCli(['pub', 'news', '--lines', '--json', '--peer', addrs[0] as string], {
      input: 'a\nb\nc\n',
    })
    assert.equal(lines.code, 0, lines.stderr)
    assert.deepEqual(
      lines.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
      [2, 3, 4].map((seq) => ({ topic: 'news', seq })),
    )
    const seen = () =>
      live.logs
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { seq: number; message: string })
    await waitFor('the live subscriber to print 4 messages', () => seen().length >= 4, {
      intervalMs: 50,
    }).catch((err: Error) => assert.fail(`${err.message}\n${tail(live.logs)}`))
    assert.deepEqual(
      seen().map((m) => [m.seq, m.message]),
      [
        [1, 'hello'],
        [2, 'a'],
        [3, 'b'],
        [4, 'c'],
      ],
    )
    const replay = await runCli([
      'sub',
      'news',
      '--from',
      '3',
      '--count',
      '2',
      '--peer',
      addrs[2] as string,
    ])
    assert.equal(replay.code, 0, replay.stderr)
    assert.equal(replay.stdout, 'b\nc\n')
  })

  it('refuses bad input with a clear message: a long topic, a big message, from in the future', async () => {
    const peer = addrs[0] as string
    const long = await runCli(['pub', 'x'.repeat(300), 'm', '--peer', peer])
    assert.ok(isCleanFailure(long), long.stderr)
    assert.match(long.stderr, /topic name is 300 bytes; the limit is 256/)
    const big = await runCli(['pub', 'bad-input', '-', '--peer', peer], {
      input: Buffer.alloc(1024 * 1024 + 1, 1),
    })
    assert.ok(isCleanFailure(big), big.stderr)
    assert.match(big.stderr, /message is 1048577 bytes; the limit is 1048576/)
    const future = await runCli(['sub', 'bad-input', '--from', '5', '--peer', peer])
    assert.ok(isCleanFailure(future), future.stderr)
    assert.match(future.stderr, /in the future/)
  })
})
