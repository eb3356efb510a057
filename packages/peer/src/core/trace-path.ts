import { DECODE_COLLECTION_LIMITS, type Request } from '@ringdht/protocol'
import { InvalidInputError } from '../errors.js'

/**
 * The path of a traced request with this member added; [] when it is not traced. A path
 * that is already as long as a receiver may decode is refused here, rather than sent on
 * one entry longer and rejected as malformed by whoever reads it next.
 */
export function pathThrough(request: Pick<Request, 'trace' | 'path'>, self: string): string[] {
  if (!request.trace) return []
  if (request.path.length >= DECODE_COLLECTION_LIMITS.path) {
    throw new InvalidInputError(
      `a traced path holds at most ${DECODE_COLLECTION_LIMITS.path} peers; this one is full`,
    )
  }
  return [...request.path, self]
}
