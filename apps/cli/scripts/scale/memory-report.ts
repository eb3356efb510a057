/**
 * Preloaded into a daemon by `pnpm memory -- --breakdown` (`node --import <this file>`):
 * on SIGUSR2 it writes where the process's memory goes, as V8 and Node see it, to
 * `$RINGDHT_MEMORY_REPORT_DIR/<pid>.json`: `process.memoryUsage()`, the V8 heap spaces
 * (used / committed), and the modules loaded (files and source bytes per package). A debug
 * hook of the measuring script, never part of a daemon started otherwise.
 */
import { writeFileSync } from 'node:fs'
import { registerHooks } from 'node:module'
import { join } from 'node:path'
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8'

export interface MemoryReport {
  pid: number
  /** process.memoryUsage(), MiB. */
  usage: Record<string, number>
  /** V8 heap: committed and used, malloced (V8's own), external, MiB. */
  heap: Record<string, number>
  /** Per V8 space, MiB: [used, committed]. */
  spaces: Record<string, [number, number]>
  /** Modules loaded since start: count, source MiB, and the packages with the most source. */
  modules: { count: number; sourceMiB: number; packages: Array<[string, number, number]> }
}

const reportDir = process.env.RINGDHT_MEMORY_REPORT_DIR
const mib = (bytes: number) => Number((bytes / 2 ** 20).toFixed(2))
const loaded = new Map<string, { files: number; bytes: number }>()

/** The package a module URL belongs to: a workspace package, a dependency, or a builtin. */
function packageOf(url: string): string {
  if (url.startsWith('node:')) return 'node:'
  const dependency = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)
  if (dependency !== null) return dependency[1] as string
  const workspace = /\/(?:packages|apps)\/([^/]+)\//.exec(url)
  return workspace === null ? url : `@ringdht/${workspace[1]}`
}

registerHooks({
  load(url, context, nextLoad) {
    const result = nextLoad(url, context)
    const source = result.source as { length?: number; byteLength?: number } | undefined
    const entry = loaded.get(packageOf(url)) ?? { files: 0, bytes: 0 }
    entry.files += 1
    entry.bytes += source?.byteLength ?? source?.length ?? 0
    loaded.set(packageOf(url), entry)
    return result
  },
})

process.on('SIGUSR2', () => {
  if (reportDir === undefined) return
  const heap = getHeapStatistics()
  const packages = [...loaded.entries()].sort((a, b) => b[1].bytes - a[1].bytes)
  const report: MemoryReport = {
    pid: process.pid,
    usage: Object.fromEntries(Object.entries(process.memoryUsage()).map(([k, v]) => [k, mib(v)])),
    heap: {
      committed: mib(heap.total_heap_size),
      used: mib(heap.used_heap_size),
      malloced: mib(heap.malloced_memory),
      external: mib(heap.external_memory),
    },
    spaces: Object.fromEntries(
      getHeapSpaceStatistics()
        .filter((space) => space.space_size > 0)
        .map((space) => [space.space_name, [mib(space.space_used_size), mib(space.space_size)]]),
    ),
    modules: {
      count: packages.reduce((sum, [, entry]) => sum + entry.files, 0),
      sourceMiB: mib(packages.reduce((sum, [, entry]) => sum + entry.bytes, 0)),
      packages: packages.slice(0, 15).map(([name, e]) => [name, e.files, mib(e.bytes)]),
    },
  }
  writeFileSync(join(reportDir, `${process.pid}.json`), JSON.stringify(report))
})
