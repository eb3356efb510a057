/**
 * CPU time and resident memory of the bench's own child processes, read by
 * PID from /proc (Linux) or `ps` elsewhere. The PIDs are those `fork` got from
 * the real node binary, never a shell shim that would hide the process doing
 * the work.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

export interface ProcessSample {
  pid: number
  /** User + system CPU time since the process started, in seconds. */
  cpuSeconds: number
  rssBytes: number
}

/** Clock ticks per second for /proc/<pid>/stat; 100 on every Linux the bench runs on. */
const CLOCK_TICKS = 100

/**
 * utime and stime (fields 14 and 15) of /proc/<pid>/stat. The command name
 * (field 2) may contain spaces and parentheses, so fields are counted after
 * its closing parenthesis.
 */
export function parseProcStat(text: string): { cpuSeconds: number; rssPages: number } {
  const afterName = text.slice(text.lastIndexOf(')') + 2).split(' ')
  // afterName[0] is field 3 (state); field n is afterName[n - 3]
  const utime = Number(afterName[11])
  const stime = Number(afterName[12])
  const rssPages = Number(afterName[21])
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error('unreadable stat line')
  return { cpuSeconds: (utime + stime) / CLOCK_TICKS, rssPages }
}

/** `[[dd-]hh:]mm:ss` of `ps -o time=` in seconds. */
export function parsePsTime(text: string): number {
  const [days, clock] = text.trim().includes('-') ? text.trim().split('-') : ['0', text.trim()]
  const parts = (clock ?? '').split(':').map(Number)
  let seconds = 0
  for (const part of parts) seconds = seconds * 60 + part
  return Number(days) * 86_400 + seconds
}

function fromProc(pid: number): ProcessSample {
  const { cpuSeconds } = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const rssKiB = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? Number.NaN)
  return { pid, cpuSeconds, rssBytes: rssKiB * 1024 }
}

function fromPs(pid: number): ProcessSample {
  const out = execFileSync('ps', ['-o', 'rss=,time=', '-p', String(pid)], { encoding: 'utf8' })
  const [rss, time] = out.trim().split(/\s+/)
  return { pid, cpuSeconds: parsePsTime(time ?? ''), rssBytes: Number(rss) * 1024 }
}

/** One sample of a live process; undefined when it has gone. */
export function sampleProcess(pid: number): ProcessSample | undefined {
  try {
    return process.platform === 'linux' ? fromProc(pid) : fromPs(pid)
  } catch {
    return undefined
  }
}

/** CPU seconds used by the PIDs together between two samples of them. */
export function cpuBetween(
  before: readonly ProcessSample[],
  after: readonly ProcessSample[],
): number {
  let total = 0
  for (const end of after) {
    const start = before.find((sample) => sample.pid === end.pid)
    if (start !== undefined) total += Math.max(0, end.cpuSeconds - start.cpuSeconds)
  }
  return total
}

export function samplePids(pids: readonly number[]): ProcessSample[] {
  return pids.flatMap((pid) => {
    const sample = sampleProcess(pid)
    return sample === undefined ? [] : [sample]
  })
}

/**
 * Write system calls the process has made (`syscw` of /proc/<pid>/io, Linux); undefined
 * elsewhere or when it has gone. Each socket write on loopback also runs the receiver's
 * TCP path, so the count is a load-independent figure of how chatty a system is.
 */
export function writeCalls(pid: number): number | undefined {
  if (process.platform !== 'linux') return undefined
  try {
    const syscw = /^syscw:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1]
    return syscw === undefined ? undefined : Number(syscw)
  } catch {
    return undefined
  }
}

/** Write calls of the PIDs together between two readings (taken with `writeCallsOf`). */
export function writeCallsOf(pids: readonly number[]): Map<number, number> {
  const calls = new Map<number, number>()
  for (const pid of pids) {
    const count = writeCalls(pid)
    if (count !== undefined) calls.set(pid, count)
  }
  return calls
}

export function writeCallsBetween(
  before: ReadonlyMap<number, number>,
  after: ReadonlyMap<number, number>,
): number {
  let total = 0
  for (const [pid, count] of after) total += Math.max(0, count - (before.get(pid) ?? count))
  return total
}

/** CPU ticks of the whole machine from the first line of /proc/stat. */
export interface MachineTicks {
  busy: number
  total: number
}

/** `cpu user nice system idle iowait irq softirq steal ...`: idle and iowait are not busy. */
export function parseCpuLine(text: string): MachineTicks {
  const fields = (text.split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number)
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] =
    fields
  const busy = user + nice + system + irq + softirq + steal
  return { busy, total: busy + idle + iowait }
}

export function readMachineTicks(): MachineTicks | undefined {
  if (process.platform !== 'linux') return undefined
  try {
    return parseCpuLine(readFileSync('/proc/stat', 'utf8'))
  } catch {
    return undefined
  }
}

/**
 * Share of the machine's CPU capacity that went to processes other than the
 * measured ones between two readings: how much the shared cores were taken by
 * someone else while a block ran. 0 when unknown.
 */
export function othersShare(
  before: MachineTicks | undefined,
  after: MachineTicks | undefined,
  ownCpuS: number,
): number {
  if (before === undefined || after === undefined) return 0
  const capacityS = (after.total - before.total) / CLOCK_TICKS
  if (capacityS <= 0) return 0
  const othersS = (after.busy - before.busy) / CLOCK_TICKS - ownCpuS
  return Math.min(1, Math.max(0, othersS / capacityS))
}
