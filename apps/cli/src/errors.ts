/**
 * Errors a person at the terminal caused and can fix: the CLI prints their message on one
 * line and exits 1, never a stack trace. Anything else is a bug and prints its stack.
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
    this.exitCode = options.exitCode ?? 1
  }
}

/** Bad flags, environment or config file. */
export class ConfigError extends CliError {
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'ERR_CONFIG', cause })
    this.name = 'ConfigError'
  }
}

/** A `get` for a key the ring does not hold: exit 1, message on stderr. */
export class NotFoundError extends CliError {
  constructor(key: string) {
    super(`not found: ${key}`, { code: 'ERR_NOT_FOUND' })
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

/** One line, no stack: `error: <message>` with the code when it adds something. */
export function describeError(err: Error): string {
  const message = err.message.split('\n')[0] ?? err.name
  if (err.name === 'AbortError' || err.name === 'TimeoutError') {
    return `timed out: ${message}`
  }
  return message
}
