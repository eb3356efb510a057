import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { readFile, rm } from 'node:fs/promises'
import { after, describe, it } from 'node:test'
import { freePorts, killAll, killGroup, spawnDaemon, tail, waitFor } from './helpers.js'

interface Summary {
  dataDir: string
  nodes: Array<{ index: number; pid: number; logFile: string }>
}

describe('ringdht cluster when a node dies', { timeout: 180_000 }, () => {
  const cleanup: string[] = []
  const pids: number[] = []
  after(async () => {
    killAll(pids)
    for (const dir of cleanup) await rm(dir, { recursive: true, force: true })
  })

  it('reports the signal, counts only the nodes it stops, and keeps the dead node’s log', async () => {
    const basePort = await freePorts(2)
    // no --data-dir: a temp folder the cluster owns and would remove on exit
    const cluster = spawnDaemon([
      'cluster',
      '--nodes',
      '2',
      '--base-port',
      String(basePort),
      '--memory',
      '--json',
    ])
    const summary = await waitFor(
      'the cluster summary',
      () => {
        const line = cluster.logs.find((entry) => entry.startsWith('{"dataDir"'))
        return line != null ? (JSON.parse(line) as Summary) : undefined
      },
      { timeoutMs: 120_000, intervalMs: 200 },
    ).catch((err: Error) => assert.fail(`${err.message}\n${tail(cluster.logs)}`))
    cleanup.push(summary.dataDir)
    pids.push(...summary.nodes.map((node) => node.pid))
    const victim = summary.nodes[1] as Summary['nodes'][number]

    killGroup(victim.pid, 'SIGKILL')
    const report = await waitFor(
      'the cluster to report the dead node',
      () => cluster.logs.find((line) => line.startsWith(`stderr: node 1 (pid ${victim.pid})`)),
      { timeoutMs: 15_000, intervalMs: 100 },
    ).catch((err: Error) => assert.fail(`${err.message}\n${tail(cluster.logs)}`))
    assert.match(report, /was killed by SIGKILL; its log: \S+node-1\.log \(kept after exit\)$/)
    assert.doesNotMatch(report, /exited with code/)

    killGroup(cluster.child, 'SIGTERM')
    const code = await cluster.exited
    assert.equal(code, 0, `the stop we asked for went well\n${tail(cluster.logs)}`)
    const stopping = cluster.logs.find((line) => line.startsWith('stderr: SIGTERM: stopping'))
    assert.equal(stopping, 'stderr: SIGTERM: stopping 1 node (1 already gone) (again to force)')
    assert.ok(
      existsSync(victim.logFile),
      `the log the message points to is still there: ${victim.logFile}`,
    )
    assert.match(await readFile(victim.logFile, 'utf8'), /"msg":"ready"/)
    assert.ok(
      cluster.logs.some((line) => line.includes(`kept ${summary.dataDir} for the logs`)),
      tail(cluster.logs),
    )
  })

  it('started as `pnpm ringdht` or `npx ringdht`, it suggests commands that work with npm alone', async () => {
    const basePort = await freePorts(1)
    const cluster = spawnDaemon(
      ['cluster', '--nodes', '1', '--base-port', String(basePort), '--memory'],
      {
        env: { npm_lifecycle_event: 'ringdht' },
      },
    )
    await waitFor('the summary', () => cluster.logs.includes('Ctrl-C stops every node.'), {
      timeoutMs: 60_000,
      intervalMs: 200,
    }).catch((err: Error) => assert.fail(`${err.message}\n${tail(cluster.logs)}`))
    const dataDir = /data in (\S+) \(removed on exit unless a node failed\)/.exec(
      cluster.logs.join('\n'),
    )?.[1]
    assert.ok(dataDir != null, tail(cluster.logs))
    cleanup.push(dataDir)
    assert.ok(cluster.logs.includes('  npx ringdht put hello world'), tail(cluster.logs))
    assert.ok(!cluster.logs.some((line) => line.includes('pnpm')), 'no pnpm in the suggestions')
    killGroup(cluster.child, 'SIGTERM')
    assert.equal(await cluster.exited, 0, tail(cluster.logs))
    assert.ok(!existsSync(dataDir), 'nothing failed: its temp folder is removed')
  })
})
