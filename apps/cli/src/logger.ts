import { createRequire } from 'node:module'
import { type Logger, pino } from 'pino'
import type PinoPretty from 'pino-pretty'

/** pino-pretty (CommonJS) loads only when a person reads the logs: a daemon logging JSON skips it. */
const loadPretty = () => createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty

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
      loadPretty()({ colorize: process.stdout.isTTY === true, sync: true, ignore: 'pid,hostname' }),
    )
  }
  return pino(base, pino.destination({ fd: 1, sync: true }))
}
