#!/usr/bin/env node
/**
 * Where ringdht's get spends its time: a ring of N members, a client, puts
 * first, then CPU profiles of every process taken during the gets only.
 * `node apps/bench/dist/src/profile-get.js --nodes 16 --ops 2000 --out /tmp/get-prof`
 */
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Command, InvalidArgumentError } from 'commander'
import { FloorDriver } from './drivers/floor-driver.js'
import { MeshDriver } from './drivers/mesh-driver.js'
import { cpuBetween, samplePids } from './process-cost.js'
import { type CpuProfile, type SelfTime, selfTime, topRows } from './profile-summary.js'
import { ringdhtSpec } from './ringdht/ringdht-spec.js'

function positiveInt(value: string): number {
  const parsed = Number(value)
  if (!Number.isInteger(parsed) || parsed <= 0) throw new InvalidArgumentError('positive integer')
  return parsed
}

const flags = new Command()
  .option('--nodes <n>', 'ring size', positiveInt, 16)
  .option('--ops <n>', 'gets profiled (after as many puts)', positiveInt, 2000)
  .option('--out <dir>', 'where the .cpuprofile files go', '/tmp/ringdht-get-profile')
  .parse(process.argv.slice(process.argv[2] === '--' ? 3 : 2), { from: 'user' })
  .opts<{ nodes: number; ops: number; out: string }>()

mkdirSync(flags.out, { recursive: true })
const spec = (op: 'put' | 'get' | 'open-stream', count: number) => ({
  op,
  runTag: 'profile',
  offset: 0,
  count,
  concurrency: 1,
  timeLimitMs: 300_000,
  operationTimeoutMs: 10_000,
})

interface RoleProfile {
  profile: SelfTime
  p50: number
  /** CPU per operation from /proc, µs: the real cost the shares are split from. */
  cpuUsPerOp: number
}

async function profiled(
  driver: MeshDriver | FloorDriver,
  op: 'get' | 'open-stream',
): Promise<Map<string, RoleProfile>> {
  await driver.broadcast('profile-start')
  const processes = driver.processes()
  const before = samplePids(processes.map((p) => p.pid))
  const result = await driver.runBlock(spec(op, flags.ops))
  const after = samplePids(processes.map((p) => p.pid))
  const cpuOf = (role: 'member' | 'client') => {
    const pids = new Set(processes.filter((p) => p.role === role).map((p) => p.pid))
    const inRole = (s: { pid: number }) => pids.has(s.pid)
    return (cpuBetween(before.filter(inRole), after.filter(inRole)) * 1e6) / flags.ops
  }
  const paths = await driver.broadcast('profile-stop', (name) => ({
    path: join(flags.out, `${name}.cpuprofile`),
  }))
  const out = new Map<string, RoleProfile>()
  for (const [name, path] of paths) {
    const role = name.endsWith('client') ? 'client' : 'members'
    const profile = JSON.parse(readFileSync(String(path), 'utf8')) as CpuProfile
    const entry = out.get(role)
    if (entry === undefined) {
      out.set(role, {
        profile: selfTime(profile),
        p50: result.latencyMs.p50,
        cpuUsPerOp: cpuOf(role === 'client' ? 'client' : 'member'),
      })
    } else selfTime(profile, entry.profile)
  }
  return out
}

function print(title: string, roles: Map<string, RoleProfile>): void {
  for (const [role, { profile, p50, cpuUsPerOp }] of roles) {
    process.stdout.write(
      `\n### ${title}: ${role} (p50 ${p50} ms, CPU ${cpuUsPerOp.toFixed(0)} µs per operation from /proc)\n\n` +
        '| package | share | µs/op |\n| --- | --- | --- |\n' +
        `${topRows(profile.byPackage, profile.busyUs, cpuUsPerOp, 12).join('\n')}\n\n` +
        '| function (self time) | share | µs/op |\n| --- | --- | --- |\n' +
        `${topRows(profile.byFunction, profile.busyUs, cpuUsPerOp, 20).join('\n')}\n`,
    )
  }
}

const ring = new MeshDriver(ringdhtSpec, {
  nodes: flags.nodes,
  valueBytes: 100,
  settleTimeoutMs: 60_000,
})
const floor = new FloorDriver()
try {
  await floor.start()
  await floor.ready()
  print('floor open-stream', await profiled(floor, 'open-stream'))
  await ring.start()
  await ring.ready()
  await ring.runBlock(spec('put', flags.ops))
  await ring.runBlock({ ...spec('get', Math.min(200, flags.ops)), runTag: 'warm-up' })
  print(`ringdht get, N=${flags.nodes}, c=1`, await profiled(ring, 'get'))
} finally {
  await ring.stop()
  await floor.stop()
}
process.exit(0)
