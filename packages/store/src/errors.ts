import { RingdhtError } from '@ringdht/ring'

/**
 * Errors the stores throw, part of ringdht's one vocabulary (docs/errors.md). Each has a
 * stable `code` (match on `code` or `name`, never on the message) and is a caller mistake
 * or an environment problem: the stores never throw for a stale or duplicate record, which
 * is a normal `'stale'` outcome. None has a wire code of its own: a peer that meets one
 * while serving a request answers with `STORE_ERROR` (or `NOT_READY` for a closed store).
 */

/** The persistent store could not be opened: missing permissions, a file where a folder should be, a locked or corrupt environment. */
export class StoreOpenError extends RingdhtError<'STORE_OPEN'> {
  static readonly code = 'STORE_OPEN'
  override readonly name = 'StoreOpenError'
  /** The folder the store tried to open. */
  readonly path: string
  /** The system error code behind the failure (EACCES, ENOTDIR, ...) when there is one. */
  readonly reason: string | undefined

  constructor(path: string, cause: unknown) {
    const reason = systemErrorCode(cause)
    const detail = cause instanceof Error ? cause.message : String(cause)
    super(StoreOpenError.code, `cannot open the store at ${path}: ${detail}`, { cause })
    this.path = path
    this.reason = reason
  }
}

/** The store was used after `close()`. */
export class StoreClosedError extends RingdhtError<'STORE_CLOSED'> {
  static readonly code = 'STORE_CLOSED'
  override readonly name = 'StoreClosedError'

  constructor() {
    super(StoreClosedError.code, 'the store is closed')
  }
}

/**
 * A record the store cannot keep as given: its position is not the ring position of its
 * key (a caller bug that would make the record unfindable), or its key is longer than
 * the engine allows.
 */
export class InvalidRecordError extends RingdhtError<'INVALID_RECORD'> {
  static readonly code = 'INVALID_RECORD'
  override readonly name = 'InvalidRecordError'

  constructor(message: string, options?: ErrorOptions) {
    super(InvalidRecordError.code, message, options)
  }
}

function systemErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined
  return typeof error.code === 'string' ? error.code : undefined
}

/** Bytes on disk that this version of the store cannot read: a newer format or a damaged file. */
export class StoreCorruptError extends RingdhtError<'STORE_CORRUPT'> {
  static readonly code = 'STORE_CORRUPT'
  override readonly name = 'StoreCorruptError'

  constructor(message: string, options?: ErrorOptions) {
    super(StoreCorruptError.code, message, options)
  }
}
