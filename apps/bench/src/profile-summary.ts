/**
 * Where a process's CPU went, from a V8 .cpuprofile: self time by package
 * (`@libp2p/mplex`, `@chainsafe/libp2p-noise`, `@ringdht/peer`, node's own
 * internals, GC) and by function.
 */

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
}

export interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

/** `…/node_modules/.pnpm/x@1/node_modules/@scope/name/dist/…` → `@scope/name`; workspace → `@ringdht/<dir>`. */
export function packageOf(url: string, functionName: string): string {
  if (url === '') {
    if (functionName === '(garbage collector)') return '(gc)'
    if (functionName === '(idle)' || functionName === '(program)') return functionName
    return '(native)'
  }
  if (url === 'node:inspector') return '(profiler)'
  if (url.startsWith('node:')) return 'node (internals)'
  const modules = url.lastIndexOf('/node_modules/')
  if (modules !== -1) {
    const parts = url.slice(modules + '/node_modules/'.length).split('/')
    return parts[0]?.startsWith('@') === true ? `${parts[0]}/${parts[1] ?? ''}` : (parts[0] ?? '?')
  }
  const workspace = /\/(packages|apps)\/([^/]+)\//.exec(url)
  return workspace === null ? url : `@ringdht/${workspace[2]}`
}

export interface SelfTime {
  /** Microseconds of self time by key. */
  byPackage: Map<string, number>
  byFunction: Map<string, number>
  /**
   * Microseconds of samples not idle. V8 samples by wall time, so on a loaded machine
   * this includes time the process was descheduled: use the shares, and /proc for CPU.
   */
  busyUs: number
}

export function selfTime(profile: CpuProfile, into?: SelfTime): SelfTime {
  const out = into ?? { byPackage: new Map(), byFunction: new Map(), busyUs: 0 }
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i] ?? -1)
    const delta = profile.timeDeltas[i] ?? 0
    if (node === undefined) continue
    const { functionName, url, lineNumber } = node.callFrame
    const pkg = packageOf(url, functionName)
    // idle, and the inspector answering the profiler itself, are not the workload's
    if (pkg === '(idle)' || pkg === '(profiler)') continue
    out.busyUs += delta
    out.byPackage.set(pkg, (out.byPackage.get(pkg) ?? 0) + delta)
    const file = url.split('/').slice(-2).join('/')
    const key = `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`
    out.byFunction.set(key, (out.byFunction.get(key) ?? 0) + delta)
  }
  return out
}

/**
 * The top entries as Markdown rows: name, share of the sampled busy time, and
 * that share of the CPU per operation measured from /proc (µs).
 */
export function topRows(
  map: Map<string, number>,
  busyUs: number,
  cpuUsPerOp: number,
  limit: number,
): string[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, us]) => {
      const share = us / Math.max(1, busyUs)
      return `| ${name} | ${(100 * share).toFixed(1)}% | ${(share * cpuUsPerOp).toFixed(0)} |`
    })
}
