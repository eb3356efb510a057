/**
 * The base of ringdht's one error vocabulary. It lives here, in the lowest package, so
 * that every package can build on it without a new dependency: @ringdht/store and
 * @ringdht/peer already depend on @ringdht/ring, and @ringdht/protocol holds only the
 * wire numbers (`ErrorCode`), no classes. The catalogue of every code, with its class,
 * package and wire number, is docs/errors.md at the repository root; a test keeps the
 * classes and the catalogue in step.
 */

/** Marks the prototypes of the vocabulary's classes; `Symbol.for` so two copies of this package agree. */
const VOCABULARY = Symbol.for('@ringdht/error')

/**
 * Every error ringdht throws on purpose. `code` is stable SCREAMING_SNAKE text, never
 * renumbered or reworded; it is the name of the wire `ErrorCode` whenever the error can
 * cross the wire. Match on `code` (or `name`), never on the message.
 *
 * `err instanceof RingdhtError` also holds for the few classes that keep a built-in base
 * for compatibility (EmptyRingError is a RangeError).
 */
export class RingdhtError<Code extends string = string> extends Error {
  override name = 'RingdhtError'
  readonly code: Code

  constructor(code: Code, message: string, options?: ErrorOptions) {
    super(message, options)
    this.code = code
  }
}

Object.defineProperty(RingdhtError.prototype, VOCABULARY, { value: true })

// `x instanceof RingdhtError` asks for the mark, so it holds for every class of the
// vocabulary; subclasses inherit this static, so for them it is the usual prototype check.
Object.defineProperty(RingdhtError, Symbol.hasInstance, {
  value(this: unknown, value: unknown): boolean {
    if (this !== RingdhtError) return Function.prototype[Symbol.hasInstance].call(this, value)
    return typeof value === 'object' && value !== null && VOCABULARY in value
  },
})

/**
 * Asked for the owner, successor or replicas of a key on a ring with no nodes. A caller
 * mistake, so it throws; it extends RangeError so `instanceof RangeError` still holds,
 * and `instanceof RingdhtError` holds too.
 */
export class EmptyRingError extends RangeError {
  static readonly code = 'EMPTY_RING'
  readonly code = EmptyRingError.code
  override readonly name = 'EmptyRingError'

  constructor(message = 'the ring has no nodes') {
    super(message)
  }
}

Object.defineProperty(EmptyRingError.prototype, VOCABULARY, { value: true })
