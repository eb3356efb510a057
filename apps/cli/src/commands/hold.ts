import { spawn } from 'node:child_process'
import { constants } from 'node:os'
import { CliError, ExitCode, UsageError } from '../errors.js'

/** A flag that must be a whole number ≥ 1. */
export function positiveIntegerFlag(flag: string, value: string): number {
  const number = Number(value)
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number) || number < 1) {
    throw new UsageError(`${flag} must be a whole number ≥ 1, got ${JSON.stringify(value)}`)
  }
  return number
}

/** What a command runs under: a lock or a leadership that can be lost. */
export interface Holding {
  onLost(listener: (reason: Error) => void): void
}

/**
 * Run `command` with `env` added while `holding` lasts, as `etcdctl lock NAME CMD` does:
 * SIGINT and SIGTERM are passed on to it; when the holding is lost the command gets
 * SIGTERM and this fails (exit 4), since it may no longer act alone. Otherwise resolves
 * with the command's exit code (128 + the signal number when a signal ended it).
 */
export async function runWhileHeld(
  command: readonly string[],
  env: Record<string, string>,
  holding: Holding,
  what: string,
): Promise<number> {
  const [file, ...args] = command
  if (file === undefined) throw new UsageError('give the command to run after --')
  const child = spawn(file, args, { stdio: 'inherit', env: { ...process.env, ...env } })
  let lost: Error | undefined
  const forward = (signal: NodeJS.Signals) => child.kill(signal)
  process.on('SIGINT', forward)
  process.on('SIGTERM', forward)
  holding.onLost((reason) => {
    lost = reason
    child.kill('SIGTERM')
  })
  try {
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(
      (resolve, reject) => {
        child.once('error', (err) =>
          reject(new UsageError(`cannot run ${file}: ${err.message}`, err)),
        )
        child.once('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal]))
      },
    )
    if (lost !== undefined) {
      throw new CliError(`lost ${what} while ${file} ran: ${lost.message}`, {
        code: 'ERR_LOST',
        exitCode: ExitCode.FAILED,
        cause: lost,
      })
    }
    if (code !== null) return code
    return 128 + (signal === null ? 0 : (constants.signals[signal] ?? 0))
  } finally {
    process.off('SIGINT', forward)
    process.off('SIGTERM', forward)
  }
}
