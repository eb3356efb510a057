import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { DAEMON_NODE_FLAGS, daemonRelaunchArgs } from '../src/daemon-flags.js'
import { killAll, spawnDaemon, tempDir } from './helpers.js'

const BIN = '/app/dist/src/bin.js'

describe('daemonRelaunchArgs', () => {
  it('adds the daemon flags to `start`, keeping node flags first and the CLI argv after', () => {
    assert.deepEqual(
      daemonRelaunchArgs(['node', BIN, 'start', '--memory'], ['--enable-source-maps'], undefined),
      ['--enable-source-maps', ...DAEMON_NODE_FLAGS, BIN, 'start', '--memory'],
    )
  })

  it('leaves every other command alone', () => {
    for (const command of ['get', 'put', 'cluster', '--help']) {
      assert.equal(daemonRelaunchArgs(['node', BIN, command], [], undefined), undefined)
    }
  })

  it("keeps the operator's own setting, from node's argv or NODE_OPTIONS, in either spelling", () => {
    const argv = ['node', BIN, 'start']
    // each flag on its own: the one the operator set stays theirs, the other is added
    assert.deepEqual(daemonRelaunchArgs(argv, ['--max-semi-space-size=16'], undefined), [
      '--max-semi-space-size=16',
      '--heap-growing-percent=20',
      BIN,
      'start',
    ])
    assert.deepEqual(daemonRelaunchArgs(argv, [], '--max_semi_space_size=16 --trace-gc'), [
      '--heap-growing-percent=20',
      BIN,
      'start',
    ])
    const all = DAEMON_NODE_FLAGS.map((flag) => flag.replace(/=.*/, '=1'))
    assert.equal(daemonRelaunchArgs(argv, all, undefined), undefined)
    assert.equal(daemonRelaunchArgs(argv, [], all.join(' ')), undefined)
    assert.deepEqual(daemonRelaunchArgs(argv, [], '--trace-gc'), [
      ...DAEMON_NODE_FLAGS,
      BIN,
      'start',
    ])
  })
})

describe('ringdht start under its daemon flags', () => {
  it('runs in the same process with a small young generation', () => {
    // `start --help` goes through the relaunch and prints the help: the new image's V8 sizes
    // are read in a preloaded module (node's --import survives the relaunch)
    const probe = `data:text/javascript,${encodeURIComponent(
      "import v8 from 'node:v8';process.on('exit',()=>process.stderr.write('young '+v8.getHeapSpaceStatistics().find((s)=>s.space_name==='new_space').space_size+' pid '+process.pid+'\\n'))",
    )}`
    const bin = fileURLToPath(new URL('../src/bin.js', import.meta.url))
    const result = spawnSync(process.execPath, ['--import', probe, bin, 'start', '--help'], {
      encoding: 'utf8',
    })
    assert.equal(result.status, 0, result.stderr)
    const [, young, pid] = /young (\d+) pid (\d+)/.exec(result.stderr) ?? []
    assert.equal(Number(pid), result.pid, 'the relaunch keeps the pid')
    // 2 MiB semi-spaces: far below the 16-64 MiB V8 picks on its own
    assert.ok(Number(young) <= 8 * 2 ** 20, `young generation ${young} bytes`)
  })
})

describe('what a daemon loads', () => {
  after(() => killAll())

  it('a daemon without --http loads no HTTP gateway, metrics or pretty-printer', async () => {
    const dir = await tempDir('ringdht-footprint-')
    after(() => dir.remove())
    const list = join(dir.path, 'modules.json')
    // a preloaded hook that writes every module URL loaded when the process exits
    const hook = `data:text/javascript,${encodeURIComponent(
      `import { registerHooks } from 'node:module'; import { writeFileSync } from 'node:fs';
       const urls = []; registerHooks({ load(url, context, next) { urls.push(url); return next(url, context) } });
       process.on('exit', () => writeFileSync(${JSON.stringify(list)}, JSON.stringify(urls)))`,
    )}`
    const daemon = spawnDaemon(['start', '--memory', '--listen', '/ip4/127.0.0.1/tcp/0'], {
      env: { NODE_OPTIONS: `--import ${hook}` },
    })
    await daemon.ready
    process.kill(daemon.pid, 'SIGTERM')
    assert.equal(await daemon.exited, 0)
    const urls = JSON.parse(readFileSync(list, 'utf8')) as string[]
    assert.ok(
      urls.some((url) => url.includes('/libp2p/')),
      'the hook saw the daemon load',
    )
    for (const unneeded of ['fastify', 'prom-client', 'pino-pretty', 'cli-progress']) {
      const loaded = urls.filter((url) => url.includes(`/node_modules/${unneeded}/`))
      assert.deepEqual(loaded, [], `${unneeded} loaded by a daemon without --http`)
    }
  })
})
