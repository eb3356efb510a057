/**
 * Errors the stores throw. Each has a stable `code` (match on `code` or `name`, never
 * on the message) and is a caller mistake or an environment problem: the stores never
 * throw for a stale or duplicate record, which is a normal `'stale'` outcome.
 */

/** The persistent store could not be opened: missing permissions, a file where a folder should be, a locked or corrupt environment. */
export class StoreOpenError extends Error {
  static readonly code = 'ERR_STORE_OPEN'
  override readonly name = 'StoreOpenError'
  readonly code = StoreOpenError.code
  /** The folder the store tried to open. */
  readonly path: string
  /** The system error code behind the failure (EACCES, ENOTDIR, ...) when there is one. */
  readonly reason: string | undefined

  constructor(path: string, cause: unknown) {
    const reason = systemErrorCode(cause)
    const detail = cause instanceof Error ? cause.message : String(cause)
    super(`cannot open the store at ${path}: ${detail}`, { cause })
    this.path = path
    this.reason = reason
  }
}

/** The store was used after `close()`. */
export class StoreClosedError extends Error {
  static readonly code = 'ERR_STORE_CLOSED'
  override readonly name = 'StoreClosedError'
  readonly code = StoreClosedError.code

  constructor() {
    super('the store is closed')
  }
}

/**
 * A record the store cannot keep as given: its position is not the ring position of its
 * key (a caller bug that would make the record unfindable), or its key is longer than
 * the engine allows.
 */
export class InvalidRecordError extends Error {
  static readonly code = 'ERR_INVALID_RECORD'
  override readonly name = 'InvalidRecordError'
  readonly code = InvalidRecordError.code
}

function systemErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined
  return typeof error.code === 'string' ? error.code : undefined
}

/** Bytes on disk that this version of the store cannot read: a newer format or a damaged file. */
export class StoreCorruptError extends Error {
  static readonly code = 'ERR_STORE_CORRUPT'
  override readonly name = 'StoreCorruptError'
  readonly code = StoreCorruptError.code
}
