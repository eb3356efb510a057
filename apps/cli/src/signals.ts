import { readFileSync } from 'node:fs'
import type { Logger } from 'pino'

/**
 * First SIGINT/SIGTERM runs `stop` (a graceful leave) and exits 0 once it finishes, or 1 if
 * it fails; a second signal while stopping exits at once with code 1.
 */
export function exitOnSignals(
  logger: Logger,
  stop: (signal: NodeJS.Signals) => Promise<void>,
): () => void {
  let stopping = false
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting without finishing the graceful stop')
      process.exit(1)
    }
    stopping = true
    logger.info(
      { signal },
      'stopping: handing off and leaving the ring (send the signal again to force)',
    )
    stop(signal).then(
      () => {
        logger.info('stopped')
        process.exit(0)
      },
      (err: unknown) => {
        logger.error({ err }, 'graceful stop failed')
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  const unwatch = watchSignalShim(logger)
  return () => {
    unwatch()
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}

/** pnpm's `node_modules/.bin/node`: `/bin/sh <path>/node_modules/.bin/node ARGS...`. */
const SHIM_SCRIPT = /(^|\/)node_modules\/\.bin\/node$/
const SHELL = /(^|\/)(sh|dash|bash)$/
/** The signals a waiting dash catches: SIGINT (2) and SIGCHLD (17), bits 1 and 16. */
const SHIM_CAUGHT = 0x10002n

/**
 * `node_modules/.bin/node` (the shim of the `node` package this repository runs on) is a
 * shell script that runs Node as its child and forwards no signal, so a process manager
 * that signals the PID it started signals the shell, not us. When our parent is that shim
 * (Linux), watch it and stop as if signalled ourselves:
 * - SIGTERM, SIGHUP or SIGKILL end the shell: we are re-parented, and stop as on SIGTERM.
 * - SIGINT is caught by the shell, which goes on waiting for us: every signal it catches
 *   wakes it once, which `/proc/<pid>/status` counts as a voluntary context switch. It
 *   catches only SIGINT and SIGCHLD (which it gets only when we stop or continue), so a
 *   wake-up is a SIGINT: we stop as on SIGINT (a second one forces, as usual).
 * Elsewhere, run `node_modules/node/bin/node` or the `ringdht` bin (no shell in between).
 */
export function watchSignalShim(logger: Logger, intervalMs = 250): () => void {
  const shim = process.ppid
  const caught = process.platform === 'linux' ? shimCatches(shim) : undefined
  if (caught === undefined) return () => {}
  // a shim that ignores SIGINT (started in the background of a shell) never wakes for it
  const watchWakeups = caught === SHIM_CAUGHT
  let wakeups = wakeupsOf(shim)
  if (wakeups === undefined) return () => {}
  logger.info(
    { shim, sigint: watchWakeups },
    'running under node_modules/.bin/node, a shell that forwards no signal: watching it for SIGTERM and SIGINT',
  )
  const timer = setInterval(() => {
    const now = process.ppid === shim ? wakeupsOf(shim) : undefined
    if (now === undefined) {
      clearInterval(timer)
      logger.warn({ shim }, 'the node_modules/.bin/node shell that started us is gone (SIGTERM?)')
      process.kill(process.pid, 'SIGTERM')
    } else if (watchWakeups && now > (wakeups as number)) {
      wakeups = now
      logger.warn({ shim }, 'the node_modules/.bin/node shell that started us caught a SIGINT')
      process.kill(process.pid, 'SIGINT')
    }
  }, intervalMs)
  timer.unref()
  return () => clearInterval(timer)
}

/** The mask of signals the shim catches, or undefined when `pid` is not the shim. */
function shimCatches(pid: number): bigint | undefined {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
    if (!SHELL.test(argv[0] ?? '') || !SHIM_SCRIPT.test(argv[1] ?? '')) return undefined
    const caught = /^SigCgt:\s*([0-9a-f]+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return caught != null ? BigInt(`0x${caught[1]}`) : 0n
  } catch {
    return undefined
  }
}

function wakeupsOf(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const match = /^voluntary_ctxt_switches:\s*(\d+)$/m.exec(status)
    return match != null ? Number(match[1]) : undefined
  } catch {
    return undefined
  }
}

/**
 * When RINGDHT_PARENT_PID names a process (`ringdht cluster` sets it for its nodes, test
 * harnesses for their daemons) and that process dies without stopping us, e.g. by
 * SIGKILL, stop as if sent SIGTERM instead of lingering as an orphan.
 */
export function watchParent(onOrphaned: () => void): void {
  const parent = Number(process.env.RINGDHT_PARENT_PID)
  if (!Number.isSafeInteger(parent) || parent <= 0) return
  const timer = setInterval(() => {
    try {
      process.kill(parent, 0)
    } catch {
      clearInterval(timer)
      onOrphaned()
      process.kill(process.pid, 'SIGTERM')
    }
  }, 1_000)
  timer.unref()
}
