/**
 * Asked for the owner, successor or replicas of a key on a ring with no nodes. A caller
 * mistake, so it throws; it extends RangeError so `instanceof RangeError` still holds.
 */
export class EmptyRingError extends RangeError {
  static readonly code = 'ERR_EMPTY_RING'
  readonly code = EmptyRingError.code
  override readonly name = 'EmptyRingError'

  constructor(message = 'the ring has no nodes') {
    super(message)
  }
}
