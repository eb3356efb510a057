import { type Logger, pino } from 'pino'
import pretty from 'pino-pretty'

export type LogFormat = 'auto' | 'json' | 'pretty'

/**
 * pino JSON on stdout; human-readable when a person is watching (stdout is a terminal)
 * or asked for. Synchronous writes so the last lines survive `process.exit`.
 */
export function createLogger(options: { level: string; format: LogFormat; name?: string }): Logger {
  const wantPretty =
    options.format === 'pretty' || (options.format === 'auto' && process.stdout.isTTY === true)
  const base = { level: options.level, name: options.name ?? 'ringdht' }
  if (wantPretty) {
    return pino(
      base,
      pretty({ colorize: process.stdout.isTTY === true, sync: true, ignore: 'pid,hostname' }),
    )
  }
  return pino(base, pino.destination({ fd: 1, sync: true }))
}
