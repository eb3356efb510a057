/**
 * Wire error codes carried in `Response.error`. Stable numbers, never renumbered: an
 * older peer must read a newer peer's answers. 0 means success. The JavaScript error
 * classes that callers catch map onto these in one place, @ringdht/peer's `errorFromWire`
 * and `wireCodeOf`; the string `code` of each is the key of this table. The catalogue of
 * every code is docs/errors.md at the repository root.
 */
export const ErrorCode = {
  OK: 0,
  /** The frame was not a valid protobuf message. */
  MALFORMED_MESSAGE: 1,
  /** `Request.type` is not one this peer knows. */
  UNKNOWN_REQUEST_TYPE: 2,
  /** A required field is missing or out of range. */
  INVALID_INPUT: 3,
  KEY_TOO_LARGE: 4,
  VALUE_TOO_LARGE: 5,
  /** The request was forwarded more times than its hop limit allows. */
  HOP_LIMIT_EXCEEDED: 6,
  /** The frame is larger than the receiver accepts. */
  FRAME_TOO_LARGE: 7,
  /** The receiver has too many requests in flight from this sender. */
  BUSY: 8,
  /** A peer on the path did not answer within the deadline. */
  TIMEOUT: 9,
  /** A peer on the path could not be reached. */
  PEER_UNREACHABLE: 10,
  /** The receiver is shutting down or has not joined the ring yet. */
  NOT_READY: 11,
  /** The receiver's store failed. */
  STORE_ERROR: 12,
  /** Anything else; the message says what. */
  INTERNAL: 13,
  /** Fewer replicas acknowledged a write than the write quorum requires. */
  QUORUM_NOT_REACHED: 14,
  /**
   * The caller may not do this: a client sent a message only ring members may send, a
   * member sent one for a range it takes no part in, or a sender named someone else.
   */
  FORBIDDEN: 15,
  /** The key holds a version that this write cannot supersede; nothing was changed. */
  VERSION_CONFLICT: 16,
  /**
   * A coordination operation reached some acceptors but not a quorum of them: it may take
   * effect later or never. Reading the register tells which.
   */
  OUTCOME_UNKNOWN: 17,
  /** A lock renewal or release by a caller that does not hold the lock (any more). */
  LOCK_NOT_HELD: 18,
  /** A fenced write carried a fencing token below the highest the register has seen. */
  FENCED: 19,
  /**
   * A read of a log (a topic) from a sequence number below what it retains: the entries
   * were dropped by its retention. The message names the first one retained.
   */
  TRIMMED: 20,
} as const

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode]

export type ErrorCodeName = keyof typeof ErrorCode

const NAMES = new Map<number, ErrorCodeName>(
  Object.entries(ErrorCode).map(([name, value]) => [value, name as ErrorCodeName]),
)

/** The name of a wire code, or undefined for a number this version does not know. */
export function errorCodeName(code: number): ErrorCodeName | undefined {
  return NAMES.get(code)
}
