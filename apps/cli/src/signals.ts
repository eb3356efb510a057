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
  return () => {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
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
