import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { createClient, type RingClient } from '@ringdht/peer'
import { ringIdOf } from '@ringdht/ring'
import {
  type Daemon,
  freePorts,
  isCleanFailure,
  killAll,
  killGroup,
  runCli,
  spawnDaemon,
  tail,
  tempDir,
  waitFor,
} from './helpers.js'

interface WatchLine {
  op: 'put' | 'delete'
  version: string
  value?: string
  seq: number
}

/**
 * `ringdht watch` against three real daemons: a watch process records a key's changes
 * while a client's puts are acknowledged and the key's owner is SIGKILLed; the recorded
 * history holds every acknowledged put, in order, with no gap in the key's change log.
 * Also bad input, a clean exit on SIGTERM, and `pub --retain-count`.
 */
describe('the watch command (3 daemons)', { timeout: 90_000 }, () => {
  let dir: Awaited<ReturnType<typeof tempDir>>
  const daemons: Daemon[] = []
  const addrs: string[] = []
  const ringIds: bigint[] = []
  let client: RingClient | undefined

  before(async () => {
    dir = await tempDir('ringdht-watches-')
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
      daemons[i] = daemon
      const ready = await daemon.ready
      addrs[i] = `/ip4/127.0.0.1/tcp/${port + i}/p2p/${ready.peerId}`
      ringIds[i] = BigInt(`0x${ready.ringId}`)
    }
  })
  after(async () => {
    await client?.close().catch(() => {})
    killAll()
    await dir?.remove()
  })

  /** The daemon that owns `key`: the first ring id at or after the key's position. */
  const ownerOf = (key: string): number => {
    const position = ringIdOf(new TextEncoder().encode(key))
    const sorted = ringIds.map((id, i) => ({ id, i })).sort((a, b) => (a.id < b.id ? -1 : 1))
    return (sorted.find((n) => n.id >= position) ?? sorted[0])?.i as number
  }

  it('a watch prints every acknowledged put, in order, while the key’s owner is killed', async () => {
    // a key owned by node 2, so the watch (node 0) and the writer (node 1) outlive its owner
    let key = ''
    for (let i = 0; ownerOf(key) !== 2 || key === ''; i++) key = `flags-${i}`
    const watch = spawnDaemon(['watch', key, '--json', '--peer', addrs[0] as string])
    const history = () =>
      watch.logs.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as WatchLine)
    client = await createClient({ peer: addrs[1] as string })
    const writer = client
    // the watch starts from now: put until it shows a change
    await waitFor(
      'the watch to start',
      async () => {
        await writer.put(key, 'probe')
        return history().length > 0
      },
      { timeoutMs: 20_000, intervalMs: 100 },
    ).catch((err: Error) => assert.fail(`${err.message}\n${tail(watch.logs)}`))

    const acked: string[] = []
    let writing = true
    let failures = 0
    const writes = (async () => {
      for (let n = 0; writing; n++) {
        try {
          await writer.put(key, `m-${n}`)
          acked.push(`m-${n}`)
        } catch {
          // not acknowledged: the watch may or may not show it
          failures++
          await new Promise((resolve) => setTimeout(resolve, 50))
        }
      }
    })()
    try {
      await waitFor('20 acknowledged puts', () => acked.length >= 20, { intervalMs: 20 })
      killGroup(daemons[2]?.child as Daemon['child'], 'SIGKILL')
      await daemons[2]?.exited
      const atKill = acked.length
      await waitFor('20 more after the owner was killed', () => acked.length >= atKill + 20, {
        timeoutMs: 30_000,
        intervalMs: 20,
      })
    } finally {
      writing = false
      await writes
    }
    const last = acked.at(-1)
    await waitFor(
      'the watch to print the last put',
      () => history().some((c) => c.value === last),
      {
        timeoutMs: 20_000,
        intervalMs: 50,
      },
    ).catch((err: Error) => assert.fail(`${err.message}\n${tail(watch.logs)}`))

    const seen = history()
    const values = seen.map((c) => c.value)
    let at = -1
    for (const value of acked) {
      const found = values.indexOf(value, at + 1)
      assert.ok(found > at, `acknowledged put ${value} printed after the one before it`)
      at = found
    }
    for (let i = 1; i < seen.length; i++) {
      const [a, b] = [seen[i - 1] as WatchLine, seen[i] as WatchLine]
      assert.equal(b.seq, a.seq + 1, `no gap in the change log at line ${i}`)
      assert.ok(BigInt(b.version) > BigInt(a.version), `line ${i} has a newer version`)
    }
    killGroup(watch.child, 'SIGTERM')
    assert.equal(await watch.exited, 0, 'the watch exits cleanly on SIGTERM')
    console.log(
      `watch e2e: ${acked.length} acknowledged, ${failures} failed, ${seen.length} printed`,
    )
  })

  it('refuses bad input with a clear message; pub --retain-count bounds a topic', async () => {
    const peer = addrs[0] as string
    const long = await runCli(['watch', 'k'.repeat(2000), '--peer', peer])
    assert.ok(isCleanFailure(long), long.stderr)
    assert.match(long.stderr, /key is 2000 bytes; the limit is 1024/)
    const anHourAhead = String(BigInt(Date.now() + 3_600_000) << 16n)
    const future = await runCli(['watch', 'k', '--from-version', anHourAhead, '--peer', peer])
    assert.ok(isCleanFailure(future), future.stderr)
    assert.match(future.stderr, /in the future/)
    const notVersion = await runCli(['watch', 'k', '--from-version', 'yesterday', '--peer', peer])
    assert.ok(isCleanFailure(notVersion), notVersion.stderr)
    assert.match(notVersion.stderr, /--from-version must be a version/)

    for (let i = 1; i <= 3; i++) {
      const pub = await runCli(['pub', 'brief', `m${i}`, '--retain-count', '2', '--peer', peer])
      assert.equal(pub.code, 0, pub.stderr)
    }
    const old = await runCli(['sub', 'brief', '--from', '1', '--peer', peer])
    assert.ok(isCleanFailure(old), old.stderr)
    assert.match(old.stderr, /first retained is 2/)
    const kept = await runCli(['sub', 'brief', '--from', '2', '--count', '2', '--peer', peer])
    assert.equal(kept.stdout, 'm2\nm3\n', kept.stderr)
  })
})
