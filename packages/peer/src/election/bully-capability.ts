import { ErrorCode, MessageType, type Request, type Response } from '@ringdht/protocol'
import type { RingId } from '@ringdht/ring'
import type { Capability, CapabilityContext } from '../core/capability.js'
import { type RingNode, ringIdOfPeerString } from '../core/ring-node.js'
import type { RequestContext } from '../core/rpc/server.js'
import { InvalidInputError } from '../errors.js'
import { BullyGroup, type BullyTimers } from './bully-group.js'
import {
  type BullyKind,
  type BullyWireMessage,
  bullyFromWire,
  bullyToWire,
  checkGroupName,
  MAX_GROUP_MEMBERS,
} from './bully-wire.js'

/** Where a group's terms come from: a linearizable register on the ring. */
export interface BullyTermSource {
  /** A term for `self` as coordinator of `group`, above every term granted before. */
  next(group: string, self: string, signal: AbortSignal): Promise<number>
  /** The latest term granted in `group` and its holder. */
  latest(group: string, signal?: AbortSignal): Promise<{ term: number; leader: string | undefined }>
}

export interface BullyOptions extends BullyTimers {
  /** The group's members by peer id, this member included: the only ones heard. Required. */
  members: readonly string[]
}

/**
 * Bully elections among named groups of ring members, over the ring's RPC protocol
 * (BULLY requests; the ANSWER to an election is its response). A message is served only
 * when its authenticated sender is a member of the group here and a ring member (a
 * client never is); anything malformed is answered INVALID_INPUT and changes nothing.
 * A member's rank is its ring position: the member at the highest position alive wins.
 */
export class BullyCapability implements Capability {
  readonly name = 'bully'
  readonly handles = [MessageType.BULLY] as const

  readonly #ctx: CapabilityContext
  readonly #terms: BullyTermSource
  readonly #groups = new Map<string, BullyGroup>()
  /** Members whose address failed last time: looked up through the ring before the next send. */
  readonly #stale = new Set<string>()

  constructor(context: CapabilityContext, terms: BullyTermSource) {
    this.#ctx = context
    this.#terms = terms
  }

  /** Take part in the Bully election of `group` (see `RingPeer.bully`). */
  open(group: string, options: BullyOptions): BullyGroup {
    const name = checkGroupName(group)
    if (this.#ctx.lifetime.aborted) throw new InvalidInputError('the member has stopped')
    if (this.#groups.has(name)) throw new InvalidInputError(`bully group ${name} is already open`)
    const members = checkMembers(options?.members, this.#ctx.self.key)
    const ranks = new Map(members.map((m) => [m, ringIdOfPeerString(m) as RingId]))
    const rank = (m: string): RingId => ranks.get(m) ?? -1n
    const self = this.#ctx.self.key
    const { members: _, ...timers } = options
    checkTimers(timers)
    const opened = new BullyGroup(
      { name, self, members, timers },
      {
        send: (to, kind, term, timeoutMs) => this.#send(to, name, kind, term, timeoutMs),
        nextTerm: (signal) => this.#terms.next(name, self, signal),
        termTimeoutMs: this.#ctx.config.timers.requestTimeoutMs,
        latestTerm: (signal) => this.#terms.latest(name, signal),
        compare: (a, b) => (rank(a) < rank(b) ? -1 : rank(a) > rank(b) ? 1 : 0),
        logger: this.#ctx.logger,
        closed: (g) => {
          if (this.#groups.get(g.name) === g) this.#groups.delete(g.name)
        },
      },
    )
    this.#groups.set(name, opened)
    return opened
  }

  async handle(request: Request, context: RequestContext): Promise<Partial<Response>> {
    const message = bullyFromWire(request.bully)
    const group = this.#groups.get(message.group)
    if (group === undefined) {
      return { error: ErrorCode.NOT_READY, message: `no bully group ${message.group} here` }
    }
    const caller = context.remotePeer.toString()
    const { members, counters } = this.#ctx
    if (!group.hasMember(caller) || !(await members.isMember(caller, context.signal))) {
      counters.refused++
      return {
        error: ErrorCode.FORBIDDEN,
        message: `only ring members of bully group ${message.group} may send it messages`,
      }
    }
    const answer = group.receive(caller, message)
    return answer === undefined
      ? {}
      : { bully: bullyToWire(answer.kind, answer.group, answer.term) }
  }

  /** One message to `to`, its answer or undefined; never longer than `timeoutMs`. */
  async #send(
    to: string,
    group: string,
    kind: BullyKind,
    term: number,
    timeoutMs: number,
  ): Promise<BullyWireMessage | undefined> {
    const signal = AbortSignal.any([this.#ctx.lifetime, AbortSignal.timeout(timeoutMs)])
    // a lookup that does not heed the signal must not hold the group's heartbeat up
    const givenUp = new Promise<'timeout'>((resolve) => {
      if (signal.aborted) resolve('timeout')
      signal.addEventListener('abort', () => resolve('timeout'), { once: true })
    })
    const answer = await Promise.race([this.#sendNow(to, group, kind, term, signal), givenUp])
    if (answer === 'timeout' || answer === 'failed') {
      // not reachable at the address known: it may have come back elsewhere
      this.#stale.add(to)
      return undefined
    }
    return answer
  }

  async #sendNow(
    to: string,
    group: string,
    kind: BullyKind,
    term: number,
    signal: AbortSignal,
  ): Promise<BullyWireMessage | undefined | 'failed'> {
    try {
      const node = await this.#nodeOf(to, signal)
      if (node === undefined) return undefined
      const response = await this.#ctx.pool.request(
        node,
        { type: MessageType.BULLY, bully: bullyToWire(kind, group, term) },
        { signal, timeoutMs: this.#ctx.config.timers.requestTimeoutMs },
      )
      // NOT_READY: the member is there but has not opened the group (or is joining)
      if (response.error === ErrorCode.NOT_READY) return undefined
      if (response.error !== ErrorCode.OK) return 'failed'
      return response.bully === undefined ? undefined : bullyFromWire(response.bully)
    } catch {
      return 'failed'
    }
  }

  /**
   * How to reach member `peer`: from what this member already knows of it, or, when that
   * failed last time, from a lookup of its ring position (which ends at it while it is in
   * the ring). Undefined when the ring says it is not a member now.
   */
  async #nodeOf(peer: string, signal: AbortSignal): Promise<RingNode | undefined> {
    const known = this.#ctx.nodes.get(peer)
    if (known !== undefined && known.multiaddrs.length > 0 && !this.#stale.has(peer)) return known
    const position = ringIdOfPeerString(peer)
    if (position === undefined) return undefined
    const owner = await this.#ctx.router.findSuccessor(position, signal)
    if (owner.key !== peer) return undefined
    this.#stale.delete(peer)
    return owner
  }

  async stop(): Promise<void> {
    await Promise.all([...this.#groups.values()].map((g) => g.close()))
  }
}

function checkMembers(members: unknown, self: string): string[] {
  if (!Array.isArray(members) || members.length === 0) {
    throw new InvalidInputError('a bully group needs its members (peer ids)')
  }
  const unique = [...new Set(members as unknown[])]
  if (unique.length > MAX_GROUP_MEMBERS) {
    throw new InvalidInputError(`a bully group has at most ${MAX_GROUP_MEMBERS} members`)
  }
  for (const m of unique) {
    if (typeof m !== 'string' || ringIdOfPeerString(m) === undefined) {
      throw new InvalidInputError(`bully group member ${String(m)} is not a peer id`)
    }
  }
  if (!unique.includes(self)) throw new InvalidInputError('this member is not in the group')
  return unique as string[]
}

function checkTimers(timers: BullyTimers): void {
  for (const [name, value] of Object.entries(timers)) {
    if (value === undefined) continue
    const least = name === 'suspectAfter' ? 1 : 10
    if (!Number.isSafeInteger(value) || (value as number) < least) {
      throw new InvalidInputError(`${name} must be an integer ≥ ${least}`)
    }
  }
}
