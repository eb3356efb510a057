import { execFileSync } from 'node:child_process'
import { readFileSync, readlinkSync } from 'node:fs'

/** What /proc tells of one process at one moment. */
export interface ProcSample {
  at: number
  /** utime + stime, in seconds. */
  cpuSeconds: number
  /** Bytes passed through read()/write() syscalls: sockets mostly, also logs and files. */
  readBytes: number
  writtenBytes: number
  rssBytes: number
  /**
   * The part of the RSS that is this process's own (heap, stacks, malloc): RSS also counts
   * file pages (the node binary, LMDB's mapped file) that every process mapping them shares.
   */
  rssAnonBytes: number
  rssFileBytes: number
}

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  } catch {
    return 100
  }
})()

/** The sample of a live process; undefined when it is gone. */
export function sampleProcess(pid: number): ProcSample | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // fields after the command name, which is in parentheses and may hold spaces
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const ticks = Number(fields[11]) + Number(fields[12]) // utime, stime (fields 14, 15)
    const io = readFileSync(`/proc/${pid}/io`, 'utf8')
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    return {
      at: performance.now(),
      cpuSeconds: ticks / CLOCK_TICKS,
      readBytes: fieldOf(io, 'rchar'),
      writtenBytes: fieldOf(io, 'wchar'),
      rssBytes: fieldOf(status, 'VmRSS') * 1024,
      rssAnonBytes: fieldOf(status, 'RssAnon') * 1024,
      rssFileBytes: fieldOf(status, 'RssFile') * 1024,
    }
  } catch {
    return undefined
  }
}

/**
 * The proportional set size (a shared page counted 1/n in each of the n processes that map
 * it): what adding up the members' memory should use. Undefined when not readable.
 */
export function pssBytes(pid: number): number | undefined {
  try {
    return fieldOf(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'), 'Pss') * 1024
  } catch {
    return undefined
  }
}

/** The executable of a process (to make sure the node binary is sampled, not a shim). */
export function executableOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/exe`)
  } catch {
    return undefined
  }
}

export interface ProcRates {
  /** Share of one core, 0..1. */
  cpu: number
  readBytesPerSecond: number
  writtenBytesPerSecond: number
}

export function ratesBetween(before: ProcSample, after: ProcSample): ProcRates {
  const seconds = (after.at - before.at) / 1000
  return {
    cpu: (after.cpuSeconds - before.cpuSeconds) / seconds,
    readBytesPerSecond: (after.readBytes - before.readBytes) / seconds,
    writtenBytesPerSecond: (after.writtenBytes - before.writtenBytes) / seconds,
  }
}

function fieldOf(text: string, name: string): number {
  const match = new RegExp(`^${name}:\\s*(\\d+)`, 'm').exec(text)
  return match === null ? 0 : Number(match[1])
}

/** min / median / mean / max of some numbers. */
export function summary(values: readonly number[]): {
  min: number
  median: number
  mean: number
  max: number
} {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0
  return {
    min: sorted[0] ?? 0,
    median: at(0.5),
    mean: sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length),
    max: sorted[sorted.length - 1] ?? 0,
  }
}
