import { ErrorCode, type ErrorCodeName, errorCodeName } from '@ringdht/protocol'

/**
 * Base of every error the peer library throws on purpose. `code` is stable and is the
 * name of the matching wire code in `@ringdht/protocol`'s `ErrorCode`.
 */
export class RingError extends Error {
  readonly code: ErrorCodeName
  constructor(code: ErrorCodeName, message: string) {
    super(message)
    this.code = code
  }
}

export class InvalidInputError extends RingError {
  override name = 'InvalidInputError'
  constructor(message: string) {
    super('INVALID_INPUT', message)
  }
}

export class KeyTooLargeError extends RingError {
  override name = 'KeyTooLargeError'
  constructor(message: string) {
    super('KEY_TOO_LARGE', message)
  }
}

export class ValueTooLargeError extends RingError {
  override name = 'ValueTooLargeError'
  constructor(message: string) {
    super('VALUE_TOO_LARGE', message)
  }
}

export class HopLimitExceededError extends RingError {
  override name = 'HopLimitExceededError'
  constructor(message: string) {
    super('HOP_LIMIT_EXCEEDED', message)
  }
}

export class RequestTimeoutError extends RingError {
  override name = 'RequestTimeoutError'
  constructor(message: string) {
    super('TIMEOUT', message)
  }
}

export class PeerUnreachableError extends RingError {
  override name = 'PeerUnreachableError'
  constructor(message: string) {
    super('PEER_UNREACHABLE', message)
  }
}

export class PeerBusyError extends RingError {
  override name = 'PeerBusyError'
  constructor(message: string) {
    super('BUSY', message)
  }
}

export class NotReadyError extends RingError {
  override name = 'NotReadyError'
  constructor(message: string) {
    super('NOT_READY', message)
  }
}

/** The remote peer sent something this peer could not parse, or reported that we did. */
export class ProtocolError extends RingError {
  override name = 'ProtocolError'
}

export class QuorumNotReachedError extends RingError {
  override name = 'QuorumNotReachedError'
  constructor(message: string) {
    super('QUORUM_NOT_REACHED', message)
  }
}

/** A failure the remote peer reported with a code this library has no class for. */
export class RemoteError extends RingError {
  override name = 'RemoteError'
}

/** The error class to throw for a wire error code a remote peer answered with. */
export function errorFromWire(code: number, message: string): RingError {
  switch (code) {
    case ErrorCode.INVALID_INPUT:
      return new InvalidInputError(message)
    case ErrorCode.KEY_TOO_LARGE:
      return new KeyTooLargeError(message)
    case ErrorCode.VALUE_TOO_LARGE:
      return new ValueTooLargeError(message)
    case ErrorCode.HOP_LIMIT_EXCEEDED:
      return new HopLimitExceededError(message)
    case ErrorCode.TIMEOUT:
      return new RequestTimeoutError(message)
    case ErrorCode.PEER_UNREACHABLE:
      return new PeerUnreachableError(message)
    case ErrorCode.BUSY:
      return new PeerBusyError(message)
    case ErrorCode.NOT_READY:
      return new NotReadyError(message)
    case ErrorCode.QUORUM_NOT_REACHED:
      return new QuorumNotReachedError(message)
    case ErrorCode.MALFORMED_MESSAGE:
    case ErrorCode.UNKNOWN_REQUEST_TYPE:
    case ErrorCode.FRAME_TOO_LARGE:
      return new ProtocolError(errorCodeName(code) ?? 'INTERNAL', message)
    default:
      return new RemoteError(errorCodeName(code) ?? 'INTERNAL', message)
  }
}

/** The wire code for an error thrown while serving a request. */
export function wireCodeOf(err: unknown): number {
  if (err instanceof RingError) return ErrorCode[err.code]
  return ErrorCode.INTERNAL
}
