import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdir, readdir, writeFile } from 'node:fs/promises'
import { delimiter, dirname, join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { NODE, tempDir } from './helpers.js'

const run = promisify(execFile)
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url))
const PACKAGES = [
  'packages/ring',
  'packages/protocol',
  'packages/store',
  'packages/consensus',
  'packages/peer',
  'packages/gateway',
  'apps/cli',
]

/** npm and pnpm read npm_config_* from the environment; `pnpm test` sets some of them. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(npm|pnpm)_/i.test(name)) env[name] = value
  }
  // the app's Node is this test's Node 24, first on PATH (`#!/usr/bin/env node` bins)
  env.PATH = `${dirname(NODE)}${delimiter}${env.PATH ?? ''}`
  return env
}

const SMOKE = `
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClient, createPeer } from '@ringdht/peer'

const dataDir = await mkdtemp(join(tmpdir(), 'ringdht-smoke-'))
const peer = await createPeer({ listen: ['/ip4/127.0.0.1/tcp/0'], dataDir })
await peer.ready
const client = await createClient({ peer: peer.getMultiaddrs()[0].toString() })
try {
  await client.put('hello', 'world')
  const got = await client.get('hello')
  const text = new TextDecoder().decode(got?.value)
  if (text !== 'world') throw new Error('expected "world", got ' + JSON.stringify(text))
  console.log('ok')
} finally {
  await client.close()
  await peer.stop()
  await rm(dataDir, { recursive: true, force: true })
}
`

const TYPES = `
import { createClient, createPeer, type RingClient, type RingPeer } from '@ringdht/peer'

export async function roundTrip(): Promise<string> {
  const peer: RingPeer = await createPeer({ listen: ['/ip4/127.0.0.1/tcp/0'] })
  const client: RingClient = await createClient({ peer: String(peer.getMultiaddrs()[0]) })
  await client.put('k', 'v')
  const got = await client.get('k')
  await client.close()
  await peer.stop()
  return new TextDecoder().decode(got?.value)
}
`

/**
 * What an app developer does: `pnpm pack` the libraries (and the CLI), `npm install` the
 * tarballs into a project outside the repository, import @ringdht/peer, type-check against
 * its declarations and run a put/get on 127.0.0.1; `ringdht` runs from node_modules/.bin.
 * Needs npx (pnpm runs through it) and the npm registry for the third-party dependencies.
 */
describe('the packages install from their tarballs into an app outside the repo', {
  timeout: 240_000,
}, () => {
  let dir: Awaited<ReturnType<typeof tempDir>>
  let tarballs: string[] = []
  let app: string
  const env = cleanEnv()

  before(async () => {
    dir = await tempDir('ringdht-pack-')
    const packed = join(dir.path, 'packed')
    await mkdir(packed)
    for (const pkg of PACKAGES) {
      await run('npx', ['--yes', 'pnpm@10', 'pack', '--pack-destination', packed], {
        cwd: join(ROOT, pkg),
        env,
        timeout: 60_000,
      })
    }
    tarballs = (await readdir(packed)).map((name) => join(packed, name)).sort()
    app = join(dir.path, 'app')
    await mkdir(app)
    await writeFile(
      join(app, 'package.json'),
      JSON.stringify({ name: 'scratch-app', private: true, type: 'module' }),
    )
  })

  after(async () => {
    await dir?.remove()
  })

  it('each tarball is publishable: metadata, no workspace: ranges, a LICENSE, types', async () => {
    assert.equal(tarballs.length, PACKAGES.length, tarballs.join(', '))
    for (const tarball of tarballs) {
      const { stdout: files } = await run('tar', ['tzf', tarball])
      assert.match(files, /^package\/LICENSE$/m, `${tarball}: LICENSE`)
      assert.doesNotMatch(
        files,
        /^package\/(src|test)\/|dist\/test\//m,
        `${tarball}: no sources or tests`,
      )
      const { stdout } = await run('tar', ['xzf', tarball, '-O', 'package/package.json'])
      const manifest = JSON.parse(stdout) as Record<string, unknown>
      const name = String(manifest.name)
      assert.equal(manifest.private, undefined, `${name}: not private`)
      assert.equal(manifest.license, 'MIT', `${name}: license`)
      assert.ok(manifest.repository != null, `${name}: repository`)
      assert.deepEqual(manifest.engines, { node: '>=24' }, `${name}: engines`)
      assert.doesNotMatch(stdout, /workspace:/, `${name}: workspace ranges rewritten`)
      if (name !== '@ringdht/cli') {
        assert.match(files, /^package\/dist\/src\/index\.d\.ts$/m, `${name}: types`)
      }
    }
  })

  it('npm install of the tarballs, then import, type-check and put/get in a scratch app', async () => {
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...tarballs], {
      cwd: app,
      env,
      timeout: 150_000,
    })
    await writeFile(join(app, 'smoke.mjs'), SMOKE)
    const smoke = await run(NODE, ['smoke.mjs'], { cwd: app, env, timeout: 60_000 })
    assert.equal(smoke.stdout.trim(), 'ok')

    await writeFile(join(app, 'types.ts'), TYPES)
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc')
    const types = [
      '--noEmit',
      '--strict',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--target',
      'es2022',
      '--typeRoots',
      join(ROOT, 'node_modules', '@types'),
      '--types',
      'node',
      'types.ts',
    ]
    await run(NODE, [tsc, ...types], { cwd: app, env, timeout: 60_000 }).catch(
      (err: { stdout?: string }) => assert.fail(`types.ts does not type-check:\n${err.stdout}`),
    )

    const version = await run(join(app, 'node_modules', '.bin', 'ringdht'), ['--version'], {
      cwd: app,
      env,
      timeout: 30_000,
    })
    assert.equal(version.stdout.trim(), '0.1.0')
  })
})
