/**
 * Exit codes a script can tell apart (documented in the README and `ringdht --help`):
 * like grep, 1 means "not found" and 2 a usage error; like curl, a peer that cannot be
 * reached or does not answer in time has its own code.
 */
export const ExitCode = {
  /** Done. */
  OK: 0,
  /** `get`: the key is not in the ring; `cas`: the register held another value. */
  NOT_FOUND: 1,
  /** Bad command line, config, environment, input file or input line; nothing was sent. */
  USAGE: 2,
  /** The peer cannot be reached, refused the handshake (private ring) or did not answer in time. */
  UNREACHABLE: 3,
  /** The ring answered but the request failed (e.g. quorum not reached, some keys not imported), or the daemon failed. */
  FAILED: 4,
  /** A bug: the stack trace is printed. */
  INTERNAL: 70,
  /** The reader of stdout went away (`| head`): quiet, 128 + SIGPIPE, as cat or grep end. */
  BROKEN_PIPE: 141,
} as const

/**
 * Errors a person at the terminal caused or can act on: the CLI prints their message on
 * one line (`ringdht: ...`) and exits with `exitCode`, never a stack trace. Anything else is
 * a bug and prints its stack.
 */
export class CliError extends Error {
  static readonly code: string = 'ERR_CLI'
  readonly code: string
  readonly exitCode: number

  constructor(
    message: string,
    options: { code?: string; exitCode?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause })
    this.name = 'CliError'
    this.code = options.code ?? 'ERR_CLI'
    this.exitCode = options.exitCode ?? ExitCode.FAILED
  }
}

/** A wrong argument, flag or input file: exit 2. */
export class UsageError extends CliError {
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'ERR_USAGE', exitCode: ExitCode.USAGE, cause })
    this.name = 'UsageError'
  }
}

/** Bad flags, environment or config file: exit 2. */
export class ConfigError extends CliError {
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'ERR_CONFIG', exitCode: ExitCode.USAGE, cause })
    this.name = 'ConfigError'
  }
}

/** The peer cannot be reached, refused the handshake or did not answer in time: exit 3. */
export class UnreachableError extends CliError {
  constructor(message: string, options: { code?: string; cause?: unknown } = {}) {
    super(message, {
      code: options.code ?? 'ERR_UNREACHABLE',
      exitCode: ExitCode.UNREACHABLE,
      cause: options.cause,
    })
    this.name = 'UnreachableError'
  }
}

/** A `get` for a key the ring does not hold: exit 1, message on stderr. */
export class NotFoundError extends CliError {
  constructor(key: string) {
    super(`not found: ${key}`, { code: 'ERR_NOT_FOUND', exitCode: ExitCode.NOT_FOUND })
    this.name = 'NotFoundError'
  }
}

const PROGRAMMING_ERRORS = new Set(['TypeError', 'ReferenceError', 'SyntaxError', 'RangeError'])

/**
 * True for failures the user can act on: our own CliErrors, the named errors of
 * @ringdht/peer and libp2p (they carry a `name` other than the built-in ones), aborts and
 * timeouts, and Node system errors (ENOENT, ECONNREFUSED, ...), which carry a `code`.
 */
export function isUserFacing(err: unknown): err is Error {
  if (!(err instanceof Error)) return false
  if (err instanceof CliError) return true
  if (PROGRAMMING_ERRORS.has(err.name)) return false
  if (err.name === 'AbortError' || err.name === 'TimeoutError') return true
  const code = (err as { code?: unknown }).code
  if (typeof code === 'string' && code !== '') return true
  return err.name !== 'Error'
}

/** The peer library's errors the caller's input caused (its wire code names). */
const USAGE_CODES = new Set(['INVALID_INPUT', 'KEY_TOO_LARGE', 'VALUE_TOO_LARGE'])
const UNREACHABLE_CODES = new Set([
  'TIMEOUT',
  'PEER_UNREACHABLE',
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
])

/** The exit code of a user-facing error (see `ExitCode`). */
export function exitCodeOf(err: Error): number {
  if (err instanceof CliError) return err.exitCode
  if (err.name === 'AbortError' || err.name === 'TimeoutError') return ExitCode.UNREACHABLE
  const code = String((err as { code?: unknown }).code ?? '')
  if (USAGE_CODES.has(code)) return ExitCode.USAGE
  if (UNREACHABLE_CODES.has(code)) return ExitCode.UNREACHABLE
  return ExitCode.FAILED
}

/** One line, no stack: `error: <message>` with the code when it adds something. */
export function describeError(err: Error): string {
  const message = err.message.split('\n')[0] ?? err.name
  if (err.name === 'AbortError' || err.name === 'TimeoutError') {
    return `timed out: ${message}`
  }
  return message
}
