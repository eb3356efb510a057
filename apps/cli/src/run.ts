import { CommanderError } from 'commander'
import { describeError, ExitCode, exitCodeOf, isUserFacing } from './errors.js'

let longRunning = false

/** Daemons (`start`, `cluster`) keep the process alive after their handler returns. */
export function markLongRunning(): void {
  longRunning = true
}

/**
 * Runs the parsed command. User mistakes print one line (`ringdht: <message>`) and exit
 * with the code of their kind (see `ExitCode`); anything else is a bug and prints its
 * stack. Set RINGDHT_DEBUG=1 for stacks always. A reader that closes stdout early
 * (`ringdht export | head`) ends the command quietly, as it ends cat. Short commands exit
 * as soon as they are done, whatever timers a closed client left.
 */
export async function run(main: () => Promise<unknown>): Promise<void> {
  process.stdout.on('error', onStdoutError)
  try {
    await main()
  } catch (err) {
    process.exitCode = report(err)
    process.exit()
  }
  if (!longRunning) process.exit(process.exitCode ?? 0)
}

export function isBrokenPipe(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'EPIPE'
}

/** Stdout errors arrive as events, outside any await: EPIPE ends us quietly, others report. */
function onStdoutError(err: Error): void {
  process.exit(isBrokenPipe(err) ? ExitCode.BROKEN_PIPE : report(err))
}

function report(err: unknown): number {
  if (isBrokenPipe(err)) return ExitCode.BROKEN_PIPE
  if (err instanceof CommanderError) {
    // help and --version exit 0; every parse error is a usage error
    return err.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE
  }
  if (isUserFacing(err)) {
    if (process.env.RINGDHT_DEBUG === '1') process.stderr.write(`${err.stack}\n`)
    else process.stderr.write(`ringdht: ${describeError(err)}\n`)
    return exitCodeOf(err)
  }
  process.stderr.write(
    `ringdht: unexpected error (a bug; please report it)\n${err instanceof Error ? err.stack : String(err)}\n`,
  )
  return ExitCode.INTERNAL
}
