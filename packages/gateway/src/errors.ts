/**
 * How ring errors become HTTP answers. Ring errors are matched by `name` (the peer
 * library's error classes), so the gateway needs none of them at run time.
 */

/** A caller mistake the gateway itself finds (bad key encoding, key too large). */
export class GatewayInputError extends Error {
  override name = 'GatewayInputError'
  readonly statusCode: number
  readonly code: string
  constructor(code: string, message: string, statusCode = 400) {
    super(message)
    this.code = code
    this.statusCode = statusCode
  }
}

/** HTTP status per ring error name; anything else is a 500. */
const STATUS_BY_NAME: Readonly<Record<string, number>> = {
  InvalidInputError: 400,
  KeyTooLargeError: 400,
  ValueTooLargeError: 413,
  NotReadyError: 503,
  PeerBusyError: 503,
  QuorumNotReachedError: 503,
  RequestTimeoutError: 504,
  TimeoutError: 504,
  AbortError: 504,
  PeerUnreachableError: 502,
  HopLimitExceededError: 502,
  ProtocolError: 502,
  RemoteError: 502,
  StoreFailedError: 503,
  StoreClosedError: 503,
  OutcomeUnknownError: 504,
  FencedError: 409,
  TrimmedError: 410,
  LockNotHeldError: 409,
}

export interface HttpErrorBody {
  statusCode: number
  code: string
  error: string
  message: string
}

const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  409: 'Conflict',
  410: 'Gone',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  423: 'Locked',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
}

/** The status and body for an error thrown by a route; unexpected errors hide their message. */
export function httpErrorOf(err: unknown): HttpErrorBody {
  const error = err as { name?: string; code?: unknown; message?: string; statusCode?: number }
  let statusCode = STATUS_BY_NAME[error?.name ?? '']
  // fastify's own errors (validation, body limit, bad URL) carry a 4xx statusCode
  if (statusCode === undefined && typeof error?.statusCode === 'number') {
    statusCode = error.statusCode
  }
  statusCode ??= 500
  const code =
    typeof error?.code === 'string'
      ? error.code
      : error?.name === 'TimeoutError' || error?.name === 'AbortError'
        ? 'TIMEOUT'
        : 'INTERNAL'
  return {
    statusCode,
    code,
    error: REASONS[statusCode] ?? 'Error',
    message:
      statusCode >= 500 && STATUS_BY_NAME[error?.name ?? ''] === undefined
        ? 'internal error'
        : (error?.message ?? 'error'),
  }
}
