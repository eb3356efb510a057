import { type MessageType, messageTypeName } from '@ringdht/protocol'
import type { RingId } from '@ringdht/ring'
import type { Logger } from 'pino'
import { InvalidInputError } from '../errors.js'
import type { Capability, JoinedEvent } from './capability.js'
import type { PeerStatus } from './status.js'

/**
 * The capabilities registered on a member, and which of them serves each request type.
 * Hooks reach every capability in registration order; one capability's failure in a hook
 * is logged and does not keep the others from theirs.
 */
export class CapabilityRegistry {
  readonly #capabilities: Capability[] = []
  readonly #byType = new Map<MessageType, Capability>()
  readonly #reserved: ReadonlySet<MessageType>
  readonly #logger: Logger

  /** `reserved`: the request types the core serves itself. */
  constructor(reserved: Iterable<MessageType>, logger: Logger) {
    this.#reserved = new Set(reserved)
    this.#logger = logger
  }

  get all(): readonly Capability[] {
    return this.#capabilities
  }

  register(capability: Capability): void {
    if (this.#capabilities.some((c) => c.name === capability.name)) {
      throw new InvalidInputError(`a capability named ${capability.name} is already registered`)
    }
    for (const type of capability.handles) {
      const owner = this.#reserved.has(type) ? 'the ring core' : this.#byType.get(type)?.name
      if (owner !== undefined) {
        throw new InvalidInputError(
          `${capability.name} cannot serve ${messageTypeName(type) ?? type}: ${owner} does`,
        )
      }
    }
    this.#capabilities.push(capability)
    for (const type of capability.handles) this.#byType.set(type, capability)
  }

  /** The capability that serves `type`, if any. */
  handlerOf(type: number): Capability | undefined {
    return this.#byType.get(type as MessageType)
  }

  joined(event: JoinedEvent): void {
    for (const c of this.#capabilities) this.#guard(c, 'joined', () => c.joined?.(event))
  }

  rangesChanged(): void {
    for (const c of this.#capabilities) this.#guard(c, 'rangesChanged', () => c.rangesChanged?.())
  }

  resumed(pausedMs: number): void {
    for (const c of this.#capabilities) this.#guard(c, 'resumed', () => c.resumed?.(pausedMs))
  }

  async describe(range: { start: RingId; end: RingId }): Promise<Partial<PeerStatus>> {
    const parts = await Promise.all(this.#capabilities.map((c) => c.describe?.(range)))
    return Object.assign({}, ...parts)
  }

  /** Every capability leaves at once: hand-offs to different members overlap. */
  async leave(signal: AbortSignal): Promise<void> {
    await Promise.all(
      this.#capabilities.map((c) =>
        c.leave?.(signal).catch((err: unknown) => {
          this.#logger.warn({ err, capability: c.name }, 'capability leave failed')
        }),
      ),
    )
  }

  /** Stop in reverse registration order: later capabilities may use earlier ones. */
  async stop(): Promise<void> {
    for (const c of [...this.#capabilities].reverse()) {
      await c.stop?.().catch((err: unknown) => {
        this.#logger.warn({ err, capability: c.name }, 'capability stop failed')
      })
    }
  }

  #guard(capability: Capability, hook: string, run: () => void): void {
    try {
      run()
    } catch (err) {
      this.#logger.warn({ err, capability: capability.name, hook }, 'capability hook failed')
    }
  }
}
