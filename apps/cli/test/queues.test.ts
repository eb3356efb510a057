import assert from 'node:assert/strict'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { createClient } from '@ringdht/peer'
import {
  type Daemon,
  freePorts,
  isCleanFailure,
  killAll,
  killGroup,
  runCli,
  spawnDaemon,
  tempDir,
  waitFor,
} from './helpers.js'

const MEMBERS = 4

/**
 * `ringdht enqueue`, `ringdht work QUEUE -- CMD` and `ringdht queue` against real daemons:
 * tasks run by worker processes, the queue's home SIGKILLed mid-run, and every task
 * enqueued is done at least once by the end.
 */
describe('the work queue commands', { timeout: 180_000 }, () => {
  let dir: Awaited<ReturnType<typeof tempDir>>
  const daemons: { daemon: Daemon; address: string; peerId: string }[] = []

  before(async () => {
    dir = await tempDir('ringdht-queues-')
    const base = await freePorts(MEMBERS)
    for (let i = 0; i < MEMBERS; i++) {
      const first = daemons[0]
      const daemon = spawnDaemon([
        'start',
        '--memory',
        // the CLI is a client: let it configure queues and replay dead letters
        '--client-queue-admin',
        '--listen',
        `/ip4/127.0.0.1/tcp/${base + i}`,
        ...(first === undefined ? [] : ['--bootstrap', first.address]),
      ])
      const { peerId } = await daemon.ready
      daemons.push({ daemon, peerId, address: `/ip4/127.0.0.1/tcp/${base + i}/p2p/${peerId}` })
    }
  })
  after(async () => {
    killAll()
    await dir?.remove()
  })

  const cli = (peer: string, [name, ...rest]: string[], input?: string) =>
    runCli([name as string, ...rest, '--peer', peer], input === undefined ? {} : { input })

  it('refuses bad input with a clear message', async () => {
    const peer = daemons[0]?.address as string
    const negative = await cli(peer, ['enqueue', 'q', 'x', '--delay', '-5s'])
    assert.ok(isCleanFailure(negative), negative.stderr)
    assert.equal(negative.code, 2)
    const long = await cli(peer, ['enqueue', 'q'.repeat(300), 'x'])
    assert.ok(isCleanFailure(long), long.stderr)
    assert.match(long.stderr, /queue name is 300 bytes/)
    const policy = await cli(peer, ['queue', 'config', 'q', '--policy', 'random'])
    assert.equal(policy.code, 2, policy.stderr)
  })

  it('nacks a task whose command fails, dead-letters it after max attempts, and replays it', async () => {
    const peer = daemons[1]?.address as string
    const config = await cli(peer, [
      'queue',
      'config',
      'flaky',
      '--max-attempts',
      '2',
      '--backoff',
      '100ms',
    ])
    assert.equal(config.code, 0, config.stderr)
    assert.equal((await cli(peer, ['enqueue', 'flaky', 'boom'])).code, 0)
    const failing = await runCli(
      [
        'work',
        'flaky',
        '--peer',
        peer,
        '--max-tasks',
        '2',
        '--json',
        '--',
        'sh',
        '-c',
        'cat >/dev/null; exit 3',
      ],
      { timeoutMs: 30_000 },
    )
    assert.equal(failing.code, 0, failing.stderr)
    const runs = failing.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
    assert.deepEqual(
      runs.map((run) => [run.attempt, run.exitCode]),
      [
        [1, 3],
        [2, 3],
      ],
    )
    const dead = await waitFor('the task to be dead-lettered', async () => {
      const result = await cli(peer, ['queue', 'dead', 'flaky'])
      return result.stdout.trim() === '' ? undefined : result.stdout
    })
    assert.match(dead, /^1\t2\t.*exited with 3\tboom\n$/)
    const replay = await cli(peer, ['queue', 'replay', 'flaky'])
    assert.equal(replay.stdout, '1\n')
    const ok = await runCli([
      'work',
      'flaky',
      '--peer',
      peer,
      '--max-tasks',
      '1',
      '--',
      'sh',
      '-c',
      'cat >/dev/null',
    ])
    assert.equal(ok.code, 0, ok.stderr)
    const stats = await waitFor('the replayed task to be acked', async () => {
      const parsed = JSON.parse((await cli(peer, ['queue', 'stats', 'flaky', '--json'])).stdout)
      return parsed.acked === 1 ? parsed : undefined
    })
    assert.equal(stats.dead, 0)
    // `ringdht status` on the queue's home lists it with its counts
    const home = daemons.find((d) => d.peerId === stats.home)
    assert.ok(home, `the home ${stats.home} is one of the daemons`)
    const status = await cli(home.address, ['status'])
    assert.equal(status.code, 0, status.stderr)
    assert.match(
      status.stdout,
      /^ {2}- flaky \(round-robin\): ready 0, leased 0, delayed 0, dead 0; enqueued 1, acked 1;/m,
    )
    const json = JSON.parse((await cli(home.address, ['status', '--json'])).stdout)
    assert.equal(json.queues.find((q: { queue: string }) => q.queue === 'flaky')?.acked, 1)
  })

  it('runs every task with worker processes, and loses none when the home is SIGKILLed', async () => {
    const queue = 'e2e'
    const entry = daemons[0]?.address as string
    const config = await cli(entry, ['queue', 'config', queue, '--lease', '3s', '--json'])
    assert.equal(config.code, 0, config.stderr)
    assert.equal(JSON.parse(config.stdout).leaseMs, 3_000)
    const stats = JSON.parse((await cli(entry, ['queue', 'stats', queue, '--json'])).stdout)
    const home = daemons.find((d) => d.peerId === stats.home)
    assert.ok(home, `the home ${stats.home} is one of the daemons`)
    const others = daemons.filter((d) => d !== home)
    const count = 24
    for (let i = 0; i < count; i++) {
      const viaStdin = i % 2 === 0
      const result = await cli(
        others[i % others.length]?.address as string,
        viaStdin ? ['enqueue', queue, '-'] : ['enqueue', queue, `task-${i}`],
        viaStdin ? `task-${i}` : undefined,
      )
      assert.equal(result.code, 0, result.stderr)
      assert.equal(Number(result.stdout), i + 1, 'its place in the queue')
    }
    // each run appends the payload to a file named after the task and this run
    const out = join(dir.path, 'out')
    const script = `mkdir -p ${out} && cat > ${out}/$RINGDHT_TASK_ID.$RINGDHT_TASK_ATTEMPT.$$ && sleep 0.3`
    const workers = others
      .slice(0, 2)
      .map((member, i) =>
        spawnDaemon([
          'work',
          queue,
          '--peer',
          member.address,
          '--name',
          `w${i}`,
          '--',
          'sh',
          '-c',
          script,
        ]),
      )
    const done = async () =>
      new Set((await readdir(out).catch(() => [])).map((f) => f.split('.')[0])).size
    await waitFor('a few tasks done', async () => (await done()) >= 4, {
      timeoutMs: 30_000,
      intervalMs: 100,
    })
    killGroup(home.daemon.child, 'SIGKILL')
    await waitFor('every task done after the home died', async () => (await done()) === count, {
      timeoutMs: 90_000,
    })
    const survivor = others[0]?.address as string
    const final = await waitFor(
      'the new home to count every ack',
      async () => {
        const result = await cli(survivor, ['queue', 'stats', queue, '--json'])
        const parsed = result.code === 0 ? JSON.parse(result.stdout) : undefined
        return parsed?.acked === count ? parsed : undefined
      },
      { timeoutMs: 60_000 },
    )
    assert.notEqual(final.home, home.peerId)
    assert.equal(final.enqueued, count)
    assert.equal(final.dead, 0)
    const files = await readdir(out)
    for (let id = 1; id <= count; id++) {
      const runs = files.filter((f) => f.startsWith(`${id}.`))
      assert.ok(runs.length >= 1, `task ${id} ran`)
      assert.equal(await readFile(join(out, runs[0] as string), 'utf8'), `task-${id - 1}`)
    }
    const duplicates = files.length - count
    process.stdout.write(`# ${count} tasks, ${duplicates} run twice (at least once delivery)\n`)
    for (const worker of workers) killGroup(worker.child, 'SIGTERM')
  })

  it('loses no task when a worker and then the home are SIGKILLed under load', async () => {
    const queue = 'load'
    const count = Number(process.env.RINGDHT_QUEUE_E2E_TASKS ?? 600)
    const alive = daemons.filter(
      (d) => d.daemon.child.exitCode === null && d.daemon.child.signalCode === null,
    )
    const entry = alive[0]?.address as string
    const config = await cli(entry, ['queue', 'config', queue, '--lease', '3s'])
    assert.equal(config.code, 0, config.stderr)
    const stats = JSON.parse((await cli(entry, ['queue', 'stats', queue, '--json'])).stdout)
    const home = alive.find((d) => d.peerId === stats.home)
    assert.ok(home)
    const others = alive.filter((d) => d !== home)
    const client = await createClient({ peer: others[0]?.address as string })
    try {
      for (let i = 0; i < count; i += 100) {
        const batch = Array.from({ length: Math.min(100, count - i) }, (_, j) => `load-${i + j}`)
        await Promise.all(batch.map((payload) => client.enqueue(queue, payload)))
      }
    } finally {
      await client.close()
    }
    const out = join(dir.path, 'load')
    // a run: its task id, attempt and payload, one file per run
    const script = `mkdir -p ${out} && cat > ${out}/$RINGDHT_TASK_ID.$RINGDHT_TASK_ATTEMPT.$$ && sleep 0.05`
    const workers = Array.from({ length: 4 }, (_, i) =>
      spawnDaemon([
        'work',
        queue,
        '--peer',
        others[i % others.length]?.address as string,
        '--name',
        `load${i}`,
        '--concurrency',
        '4',
        '--',
        'sh',
        '-c',
        script,
      ]),
    )
    const done = async () =>
      new Set((await readdir(out).catch(() => [])).map((f) => f.split('.')[0])).size
    await waitFor('a quarter done', async () => (await done()) >= count / 4, {
      timeoutMs: 120_000,
      intervalMs: 100,
    })
    killGroup(workers[0]?.child as NonNullable<(typeof workers)[0]>['child'], 'SIGKILL')
    await waitFor('half done', async () => (await done()) >= count / 2, {
      timeoutMs: 120_000,
      intervalMs: 100,
    })
    killGroup(home.daemon.child, 'SIGKILL')
    await waitFor('every task done', async () => (await done()) === count, { timeoutMs: 180_000 })
    const files = await readdir(out)
    const ids = new Set(files.map((f) => Number(f.split('.')[0])))
    for (let id = 1; id <= count; id++) assert.ok(ids.has(id), `task ${id} ran`)
    const survivor = others[1]?.address as string
    const final = await waitFor(
      'the new home to count every ack',
      async () => {
        const result = await cli(survivor, ['queue', 'stats', queue, '--json'])
        const parsed = result.code === 0 ? JSON.parse(result.stdout) : undefined
        return parsed?.acked === count ? parsed : undefined
      },
      { timeoutMs: 60_000 },
    )
    assert.equal(final.enqueued, count)
    const doneByWorkers = final.workers.reduce(
      (sum: number, w: { done: number }) => sum + w.done,
      0,
    )
    assert.equal(doneByWorkers, count, 'every ack counted once, for the worker that made it')
    const retried = files.filter((f) => f.split('.')[1] !== '1').length
    process.stdout.write(
      `# per worker: ${JSON.stringify(final.workers)}; runs after an expired lease: ${retried}\n`,
    )
    process.stdout.write(
      `# ${count} tasks, 4 workers (one SIGKILLed), the home SIGKILLed: none lost, ${files.length - count} run more than once\n`,
    )
    for (const worker of workers.slice(1)) killGroup(worker.child, 'SIGTERM')
  })
})
