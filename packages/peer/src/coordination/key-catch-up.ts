import type { Table } from '@ringdht/store'
import type { Logger } from 'pino'
import type { CapabilityContext } from '../core/capability.js'
import { DurableAcceptor } from './durable-acceptor.js'
import { keyBytes } from './paxos-wire.js'

/**
 * This member's acceptor on `table`, with a KeyCatchUp behind it in case the table was
 * lost: `read` is a linearizable read run by the key's owner.
 */
export function openAcceptor(
  components: { table: Table; identityIsNew: boolean },
  context: CapabilityContext,
  read: (key: Uint8Array) => Promise<unknown>,
): DurableAcceptor {
  const { requestTimeoutMs } = context.config.timers
  const catchUp = new KeyCatchUp(
    {
      acceptor: { caughtUp: (key) => acceptor.caughtUp(key) },
      read,
      lifetime: context.lifetime,
      logger: context.logger,
    },
    { graceMs: requestTimeoutMs, retryMs: Math.max(100, Math.floor(requestTimeoutMs / 5)) },
  )
  const acceptor = new DurableAcceptor(components.table, {
    id: context.self.key,
    identityIsNew: components.identityIsNew,
    onMissingKey: (key) => catchUp.request(key),
  })
  if (acceptor.catchingUp) {
    context.logger.warn(
      'the coordination state is missing though the identity is not new: keys are caught up from the other replicas before this member votes on them',
    )
  }
  return acceptor
}

export interface KeyCatchUpComponents {
  acceptor: Pick<DurableAcceptor, 'caughtUp'>
  /** A linearizable read of `key`, run by its owner (resolves only once decided). */
  read(key: Uint8Array): Promise<unknown>
  lifetime: AbortSignal
  logger: Logger
}

export interface KeyCatchUpInit {
  /**
   * How long after this acceptor opened the first catch-up read may start: at least the
   * longest a round lasts. A round that began before the loss may hold a promise this
   * acceptor forgot, and could still send accepts; past this, every such round is over
   * (a proposer sends nothing after its round's deadline).
   */
  graceMs: number
  /** Least pause between two tries at one key, ms. */
  retryMs: number
}

/**
 * Catches a key up on an acceptor that lost its state, when a round first asks it about
 * the key. The acceptor refuses the key meanwhile, so a read of it that is decided was
 * decided by a quorum without this acceptor, after the loss: that quorum holds every
 * value chosen before (a majority that leaves this acceptor out meets every majority in
 * some other member), and any later round's prepare meets that quorum too. So from then
 * on, this acceptor voting from an empty state cannot hide a chosen value; its forgotten
 * promises belonged to rounds that ended during the grace period.
 */
export class KeyCatchUp {
  readonly #c: KeyCatchUpComponents
  readonly #init: KeyCatchUpInit
  readonly #notBefore: number
  /** Keys being caught up, and keys whose last try failed, with when it may be tried again. */
  readonly #keys = new Map<string, number>()

  constructor(components: KeyCatchUpComponents, init: KeyCatchUpInit) {
    this.#c = components
    this.#init = init
    this.#notBefore = Date.now() + init.graceMs
  }

  /** Catch `key` up in the background, unless that is under way or was just tried. */
  request(key: string): void {
    const retryAt = this.#keys.get(key)
    if (this.#c.lifetime.aborted || (retryAt !== undefined && Date.now() < retryAt)) return
    this.#keys.set(key, Number.POSITIVE_INFINITY)
    void this.#catchUp(key).then(
      () => this.#keys.delete(key),
      (err: unknown) => {
        this.#keys.set(key, Date.now() + this.#init.retryMs)
        this.#c.logger.debug({ err, key }, 'catching a coordination key up failed')
      },
    )
  }

  async #catchUp(key: string): Promise<void> {
    const wait = this.#notBefore - Date.now()
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait).unref())
    this.#c.lifetime.throwIfAborted()
    await this.#c.read(keyBytes(key))
    await this.#c.acceptor.caughtUp(key)
  }
}
