import assert from 'node:assert/strict'
import { readdir, readFile } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'

// dist/test/core -> the package's src/
const src = resolve(dirname(fileURLToPath(import.meta.url)), '../../../src')

async function sourceFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true })
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name))
}

/** The package-relative paths a file imports from inside the package. */
async function localImports(file: string): Promise<string[]> {
  const code = await readFile(file, 'utf8')
  const specifiers = [...code.matchAll(/from '(\.[^']+)'/g)].map((m) => m[1] as string)
  return specifiers.map((s) => relative(src, resolve(dirname(file), s)))
}

/** Where a package path lies: core/, a capability's folder, client/, or the top level (shared or composition). */
function layerOf(path: string): string {
  const top = path.split('/')[0] as string
  return ['core', 'kv', 'coordination', 'election', 'client', 'homes', 'tasks'].includes(top)
    ? top
    : path.replace(/\.(js|ts)$/, '')
}

/** What each layer may import from inside the package; arrows point down only. */
const SHARED = ['config', 'errors', 'events', 'counters', 'operations', 'member-info']
const ALLOWED: Record<string, string[]> = {
  core: ['core', ...SHARED],
  kv: ['kv', 'core', ...SHARED],
  coordination: ['coordination', 'core', ...SHARED],
  election: ['election', 'core', ...SHARED],
  tasks: ['tasks', 'core', ...SHARED],
  config: ['errors'],
  errors: [],
  events: ['member-info'],
  'member-info': [],
  counters: [],
  operations: ['errors'],
}

describe('the peer package layering', () => {
  it('keeps the core below every capability: core imports no capability, shared files neither', async () => {
    const problems: string[] = []
    for (const file of await sourceFiles(src)) {
      const from = layerOf(relative(src, file))
      const allowed = ALLOWED[from]
      if (allowed === undefined) continue // composition roots and the client may import anything
      for (const target of await localImports(file)) {
        const to = layerOf(target)
        if (!allowed.includes(to)) problems.push(`${relative(src, file)} imports ${target}`)
      }
    }
    assert.deepEqual(problems, [])
  })

  it('has a core that does not mention the key/value store', async () => {
    for (const file of await sourceFiles(join(src, 'core'))) {
      const code = await readFile(file, 'utf8')
      assert.doesNotMatch(code, /from '[^']*\/kv\//, relative(src, file))
    }
  })
})
