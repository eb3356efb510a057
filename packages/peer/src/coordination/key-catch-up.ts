import type { RegisterResult } from '@ringdht/protocol'
import type { Table } from '@ringdht/store'
import type { Logger } from 'pino'
import type { CapabilityContext } from '../core/capability.js'
import { PeerUnreachableError } from '../errors.js'
import { DurableAcceptor } from './durable-acceptor.js'
import { type Decided, decidedFromWire, keyBytes } from './paxos-wire.js'

/**
 * This member's acceptor on `table`, with a KeyCatchUp behind it in case the table was
 * lost: `read` is a linearizable read run by the key's owner.
 */
export function openAcceptor(
  components: { table: Table; identityIsNew: boolean },
  context: CapabilityContext,
  read: (key: Uint8Array) => Promise<RegisterResult>,
): DurableAcceptor {
  const { requestTimeoutMs } = context.config.timers
  const catchUp = new KeyCatchUp(
    {
      acceptor: { caughtUp: (key, decided) => acceptor.caughtUp(key, decided) },
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
  /**
   * A linearizable read of `key`, run by its owner (resolves only once decided), that
   * answers the ballot it was decided at and the register's raw state (`with_decided`).
   */
  read(key: Uint8Array): Promise<RegisterResult>
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
 * some other member), and any later round's prepare meets that quorum too.
 *
 * Rounds are not the only promises that outlive the loss: a proposer on the fast path
 * holds a promise of its next ballot from its last round for as long as it likes, and a
 * proposer that was paused may come back with a view of the replica set from before the
 * ring moved. So the acceptor does not return with an empty state: it adopts the read's
 * decided ballot as its promise and the decided value as accepted at that ballot (a copy
 * of a value its proposer sent, like a late accept). Every promise it forgot is for a
 * lower ballot, and it holds the value a stale majority would otherwise miss.
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
    const decided: Decided | undefined = decidedFromWire(await this.#c.read(keyBytes(key)))
    if (decided === undefined) {
      throw new PeerUnreachableError('the key owner did not say what its read decided')
    }
    await this.#c.acceptor.caughtUp(key, decided)
  }
}
