import assert from 'node:assert/strict'
import { existsSync, realpathSync } from 'node:fs'
import { after, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { freePorts, killAll, spawnDaemon, tail, waitFor } from './helpers.js'

/** pnpm's shell shim of the `node` package: runs Node as its child and forwards no signal. */
const SHIM = fileURLToPath(new URL('../../../../node_modules/.bin/node', import.meta.url))

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('the daemon', { timeout: 180_000 }, () => {
  after(() => killAll())

  it('logs event details as data, not "[object Object]"', async () => {
    const port = await freePorts(2)
    const seed = spawnDaemon(['start', '--memory', '--listen', `/ip4/127.0.0.1/tcp/${port}`])
    const seedReady = await seed.ready
    const joiner = spawnDaemon([
      'start',
      '--memory',
      '--listen',
      `/ip4/127.0.0.1/tcp/${port + 1}`,
      '--bootstrap',
      `/ip4/127.0.0.1/tcp/${port}/p2p/${seedReady.peerId}`,
    ])
    const joined = await joiner.ready
    const entry = await waitFor(
      "the seed's log of its new successor",
      () => {
        const line = seed.logs.find((candidate) => candidate.includes('"msg":"successor:changed"'))
        return line != null ? (JSON.parse(line) as { detail: Record<string, unknown> }) : undefined
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    ).catch((err: Error) => assert.fail(`${err.message}\n${tail(seed.logs)}`))
    const successor = entry.detail.successor as { peerId?: unknown; ringId?: unknown }
    assert.equal(typeof successor, 'object', JSON.stringify(entry.detail))
    assert.equal(successor.peerId, joined.peerId)
    assert.match(String(successor.ringId), /^[0-9a-f]{16}$/)
    for (const log of [seed.logs, joiner.logs]) {
      assert.ok(!log.some((line) => line.includes('[object Object]')), tail(log))
    }
  })

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`started through node_modules/.bin/node, stops gracefully when that PID gets ${signal}`, async (t) => {
      if (process.platform !== 'linux' || !existsSync(SHIM)) {
        t.skip('needs Linux and the node package shim')
        return
      }
      if (signal === 'SIGINT' && !realpathSync('/bin/sh').endsWith('dash')) {
        // the shim's SIGINT is read from how a waiting dash wakes up (see signals.ts)
        t.skip('SIGINT through the shim is watched when /bin/sh is dash')
        return
      }
      const port = await freePorts(1)
      const daemon = spawnDaemon(['start', '--memory', '--listen', `/ip4/127.0.0.1/tcp/${port}`], {
        node: SHIM,
      })
      await daemon.ready
      const inner = JSON.parse(
        daemon.logs.find((line) => line.includes('"msg":"ready"')) as string,
      ) as { pid: number }
      assert.notEqual(inner.pid, daemon.pid, 'the daemon runs as a child of the shim')
      // a process manager signals the PID it started: the shim, not the process group
      process.kill(daemon.pid, signal)
      await waitFor('the daemon to stop', () => !isAlive(inner.pid), {
        timeoutMs: 20_000,
        intervalMs: 100,
      }).catch((err: Error) => {
        process.kill(inner.pid, 'SIGKILL')
        assert.fail(`${err.message}\n${tail(daemon.logs)}`)
      })
      await daemon.exited
      assert.ok(
        daemon.logs.some((line) => line.includes('"msg":"stopped"')),
        `a graceful stop, logged\n${tail(daemon.logs)}`,
      )
    })
  }
})
