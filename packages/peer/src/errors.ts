import { ErrorCode, type ErrorCodeName, errorCodeName } from '@ringdht/protocol'
import { EmptyRingError, RingdhtError } from '@ringdht/ring'
import {
  InvalidRecordError,
  StoreClosedError,
  StoreCorruptError,
  StoreOpenError,
} from '@ringdht/store'

/**
 * The errors of the peer library, and the one place where wire error numbers
 * (`@ringdht/protocol`'s `ErrorCode`) and error classes meet: `errorFromWire` and
 * `wireCodeOf`. Every class here is a RingdhtError whose `code` is the name of a wire
 * code. The catalogue of every code in every package is docs/errors.md.
 */

export { InvalidRecordError, RingdhtError, StoreClosedError, StoreCorruptError, StoreOpenError }

/**
 * Base of every error that can cross the wire: `code` is stable and is the name of the
 * matching wire code in `@ringdht/protocol`'s `ErrorCode`.
 */
export class RingError extends RingdhtError<ErrorCodeName> {
  override name = 'RingError'
  constructor(code: ErrorCodeName, message: string, options?: ErrorOptions) {
    super(code, message, options)
  }
}

/** A bad option, an empty key, a missing or out-of-range field. */
export class InvalidInputError extends RingError {
  static readonly code = 'INVALID_INPUT'
  override name = 'InvalidInputError'
  constructor(message: string) {
    super(InvalidInputError.code, message)
  }
}

export class KeyTooLargeError extends RingError {
  static readonly code = 'KEY_TOO_LARGE'
  override name = 'KeyTooLargeError'
  constructor(message: string) {
    super(KeyTooLargeError.code, message)
  }
}

export class ValueTooLargeError extends RingError {
  static readonly code = 'VALUE_TOO_LARGE'
  override name = 'ValueTooLargeError'
  constructor(message: string) {
    super(ValueTooLargeError.code, message)
  }
}

export class HopLimitExceededError extends RingError {
  static readonly code = 'HOP_LIMIT_EXCEEDED'
  override name = 'HopLimitExceededError'
  constructor(message: string) {
    super(HopLimitExceededError.code, message)
  }
}

export class RequestTimeoutError extends RingError {
  static readonly code = 'TIMEOUT'
  override name = 'RequestTimeoutError'
  constructor(message: string) {
    super(RequestTimeoutError.code, message)
  }
}

export class PeerUnreachableError extends RingError {
  static readonly code = 'PEER_UNREACHABLE'
  override name = 'PeerUnreachableError'
  /**
   * True when the connection was lost after the request went out: the peer may have
   * acted on it. A write is then reported, not sent again (a cas resent after it was
   * applied reports a mismatch with its own value in the register).
   */
  readonly mayHaveArrived: boolean
  constructor(message: string, options: { mayHaveArrived?: boolean } = {}) {
    super(PeerUnreachableError.code, message)
    this.mayHaveArrived = options.mayHaveArrived ?? false
  }
}

export class PeerBusyError extends RingError {
  static readonly code = 'BUSY'
  override name = 'PeerBusyError'
  constructor(message: string) {
    super(PeerBusyError.code, message)
  }
}

export class NotReadyError extends RingError {
  static readonly code = 'NOT_READY'
  override name = 'NotReadyError'
  constructor(message: string) {
    super(NotReadyError.code, message)
  }
}

/** A peer's store failed while it served the request (a read or write error, a damaged file). */
export class StoreFailedError extends RingError {
  static readonly code = 'STORE_ERROR'
  override name = 'StoreFailedError'
  constructor(message: string, options?: ErrorOptions) {
    super(StoreFailedError.code, message, options)
  }
}

/**
 * The remote peer sent something this peer could not parse, or reported that we did.
 * The one class with several codes: `code` says which.
 */
export class ProtocolError extends RingError {
  static readonly codes = ['MALFORMED_MESSAGE', 'UNKNOWN_REQUEST_TYPE', 'FRAME_TOO_LARGE'] as const
  override name = 'ProtocolError'
}

export class QuorumNotReachedError extends RingError {
  static readonly code = 'QUORUM_NOT_REACHED'
  override name = 'QuorumNotReachedError'
  constructor(message: string) {
    super(QuorumNotReachedError.code, message)
  }
}

/**
 * A failure the remote peer reported as `INTERNAL` (a bug there), or with a wire number
 * this version does not know (then `code` is `INTERNAL` and the message names the number).
 */
export class RemoteError extends RingError {
  static readonly code = 'INTERNAL'
  override name = 'RemoteError'
}

/** The class each wire code arrives as; OK (0) is not an error. */
/**
 * The caller may not do this: a client sent a message only ring members may send
 * (replication, hand-over, repair, maintenance), a member sent one for a range it takes
 * no part in, or a message named a sender other than the peer Noise authenticated.
 */
export class ForbiddenError extends RingError {
  static readonly code = 'FORBIDDEN'
  override name = 'ForbiddenError'
  constructor(message: string) {
    super(ForbiddenError.code, message)
  }
}

/**
 * A write met a stored version it cannot supersede (one from further in the future than
 * the clock drift allows): nothing was changed, and the write was not acknowledged.
 */
export class VersionConflictError extends RingError {
  static readonly code = 'VERSION_CONFLICT'
  override name = 'VersionConflictError'
  constructor(message: string) {
    super(VersionConflictError.code, message)
  }
}

/**
 * A coordination operation reached some of the key's acceptors but not a quorum before
 * its deadline: it may still take effect (when a later round finds it) or never. A read
 * of the register tells which; repeating a cas blindly could apply it twice.
 */
export class OutcomeUnknownError extends RingError {
  static readonly code = 'OUTCOME_UNKNOWN'
  override name = 'OutcomeUnknownError'
  constructor(message: string) {
    super(OutcomeUnknownError.code, message)
  }
}

/** A lock renewal or release by a caller that does not hold the lock (any more). */
export class LockNotHeldError extends RingError {
  static readonly code = 'LOCK_NOT_HELD'
  override name = 'LockNotHeldError'
  constructor(message: string) {
    super(LockNotHeldError.code, message)
  }
}

/**
 * A fenced write carried a fencing token below the highest the register has seen: a
 * newer holder of the lock has written since. Nothing was changed.
 */
export class FencedError extends RingError {
  static readonly code = 'FENCED'
  override name = 'FencedError'
  constructor(message: string) {
    super(FencedError.code, message)
  }
}

/**
 * A read of a log (a topic) from a sequence number below what it retains: its retention
 * (by count or by age) dropped those entries. `firstRetained` is where reading can resume.
 */
export class TrimmedError extends RingError {
  static readonly code = 'TRIMMED'
  override name = 'TrimmedError'
  /** The first sequence number still retained (0 when the message did not say). */
  readonly firstRetained: number
  constructor(message: string, firstRetained?: number) {
    super(TrimmedError.code, message)
    this.firstRetained = firstRetained ?? Number(/first retained is (\d+)/.exec(message)?.[1] ?? 0)
  }
}

const FROM_WIRE: { readonly [N in Exclude<ErrorCodeName, 'OK'>]: (message: string) => RingError } =
  {
    MALFORMED_MESSAGE: (message) => new ProtocolError('MALFORMED_MESSAGE', message),
    UNKNOWN_REQUEST_TYPE: (message) => new ProtocolError('UNKNOWN_REQUEST_TYPE', message),
    INVALID_INPUT: (message) => new InvalidInputError(message),
    KEY_TOO_LARGE: (message) => new KeyTooLargeError(message),
    VALUE_TOO_LARGE: (message) => new ValueTooLargeError(message),
    HOP_LIMIT_EXCEEDED: (message) => new HopLimitExceededError(message),
    FRAME_TOO_LARGE: (message) => new ProtocolError('FRAME_TOO_LARGE', message),
    BUSY: (message) => new PeerBusyError(message),
    TIMEOUT: (message) => new RequestTimeoutError(message),
    PEER_UNREACHABLE: (message) => new PeerUnreachableError(message),
    NOT_READY: (message) => new NotReadyError(message),
    STORE_ERROR: (message) => new StoreFailedError(message),
    INTERNAL: (message) => new RemoteError('INTERNAL', message),
    QUORUM_NOT_REACHED: (message) => new QuorumNotReachedError(message),
    FORBIDDEN: (message) => new ForbiddenError(message),
    VERSION_CONFLICT: (message) => new VersionConflictError(message),
    OUTCOME_UNKNOWN: (message) => new OutcomeUnknownError(message),
    LOCK_NOT_HELD: (message) => new LockNotHeldError(message),
    FENCED: (message) => new FencedError(message),
    TRIMMED: (message) => new TrimmedError(message),
  }

/**
 * The wire code a peer answers with for the errors of the vocabulary that have no wire
 * code of their own. Anything not here and not a RingError is answered `INTERNAL`.
 */
const LOCAL_TO_WIRE: ReadonlyMap<string, ErrorCodeName> = new Map<string, ErrorCodeName>([
  [StoreOpenError.code, 'STORE_ERROR'],
  [StoreClosedError.code, 'NOT_READY'],
  [InvalidRecordError.code, 'STORE_ERROR'],
  [StoreCorruptError.code, 'STORE_ERROR'],
  [EmptyRingError.code, 'INTERNAL'],
])

/** The error class to throw for a wire error code a remote peer answered with. */
export function errorFromWire(code: number, message: string): RingError {
  const name = errorCodeName(code)
  if (name === undefined || name === 'OK') {
    return new RemoteError('INTERNAL', `wire error ${code}: ${message}`)
  }
  return FROM_WIRE[name](message)
}

/** The wire code for an error thrown while serving a request. */
export function wireCodeOf(err: unknown): number {
  if (err instanceof RingError) return ErrorCode[err.code]
  if (err instanceof RingdhtError) return ErrorCode[LOCAL_TO_WIRE.get(err.code) ?? 'INTERNAL']
  return ErrorCode.INTERNAL
}
