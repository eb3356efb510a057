import { CommanderError } from 'commander'
import { describeError, isUserFacing } from './errors.js'

let longRunning = false

/** Daemons (`start`, `cluster`) keep the process alive after their handler returns. */
export function markLongRunning(): void {
  longRunning = true
}

/**
 * Runs the parsed command. User mistakes print one line (`ringdht: <message>`) and exit 1;
 * anything else is a bug and prints its stack. Set RINGDHT_DEBUG=1 for stacks always.
 * Short commands exit as soon as they are done, whatever timers a closed client left.
 */
export async function run(main: () => Promise<unknown>): Promise<void> {
  try {
    await main()
  } catch (err) {
    process.exitCode = report(err)
    process.exit()
  }
  if (!longRunning) process.exit(process.exitCode ?? 0)
}

function report(err: unknown): number {
  if (err instanceof CommanderError) return err.exitCode
  const debug = process.env.RINGDHT_DEBUG === '1'
  if (isUserFacing(err) && !debug) {
    process.stderr.write(`ringdht: ${describeError(err)}\n`)
    return (err as { exitCode?: number }).exitCode ?? 1
  }
  process.stderr.write(
    `ringdht: unexpected error (a bug; please report it)\n${err instanceof Error ? err.stack : String(err)}\n`,
  )
  return 70
}
