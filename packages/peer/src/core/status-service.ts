import type { Multiaddr } from '@multiformats/multiaddr'
import { ErrorCode, type Request, type Response } from '@ringdht/protocol'
import { type RingId, ringIdToHex } from '@ringdht/ring'
import type { Counters } from '../counters.js'
import type { Neighbours } from './neighbours.js'
import { memberInfoOf, peerInfoOf, type RingNode, type RingNodeCache } from './ring-node.js'
import type { MemberRequests } from './rpc/member-requests.js'
import type { RequestContext } from './rpc/server.js'
import { memberToWire, type PeerStatus, statusToWire } from './status.js'

export interface StatusServiceComponents {
  self: RingNode
  neighbours: Neighbours
  nodes: Pick<RingNodeCache, 'fromInfo'>
  pool: MemberRequests
  counters: Pick<Counters, 'toJSON'>
  /** What the capabilities add for the primary range (start, end]: key counts. */
  describe(range: { start: RingId; end: RingId }): Promise<Partial<PeerStatus>>
  /** The addresses the member listens on now. */
  multiaddrs(): Multiaddr[]
}

export interface StatusServiceInit {
  requestTimeoutMs: number
}

/**
 * A member's own view of the ring (`status()`), the STATUS request, and relaying a
 * request to another member: a client that dialled one member asks any other through it.
 */
export class StatusService {
  readonly #c: StatusServiceComponents
  readonly #init: StatusServiceInit

  constructor(components: StatusServiceComponents, init: StatusServiceInit) {
    this.#c = components
    this.#init = init
  }

  async status(): Promise<PeerStatus> {
    const { self, neighbours: m } = this.#c
    const predecessor = m.predecessor
    const start = predecessor?.id ?? self.id
    const distinctFingers = new Map<string, RingNode>()
    for (const f of m.fingers) if (f !== undefined) distinctFingers.set(f.key, f)
    const described = await this.#c.describe({ start, end: self.id })
    return {
      ...memberInfoOf(this.#current()),
      predecessor: predecessor === undefined ? undefined : memberInfoOf(predecessor),
      successors: m.successors.filter((s) => s !== self).map(memberInfoOf),
      fingers: [...distinctFingers.values()].map(memberInfoOf),
      keyCount: 0,
      storedCount: 0,
      ...described,
      range: { start: ringIdToHex(start), end: ringIdToHex(self.id) },
      counters: this.#c.counters.toJSON(),
    }
  }

  async handleStatus(request: Request, context: RequestContext): Promise<Partial<Response>> {
    const relayed = await this.relay(request, context)
    if (relayed !== undefined) return relayed
    const status = await this.status()
    return { status: statusToWire(status, peerInfoOf(this.#current()), memberToWire) }
  }

  /**
   * Forward `request` to the member named in its `relayTo` and return that member's
   * answer; undefined when it names none, or this member (serve it here).
   */
  async relay(request: Request, context: RequestContext): Promise<Partial<Response> | undefined> {
    const target = request.relayTo
    if (target === undefined || target.peerId === this.#c.self.key) return undefined
    const node = this.#c.nodes.fromInfo(target)
    if (node === undefined) return { error: ErrorCode.INVALID_INPUT, message: 'bad relay target' }
    const { relayTo: _, ...forwarded } = request
    return this.#c.pool.request(node, forwarded, {
      signal: context.signal,
      timeoutMs: this.#init.requestTimeoutMs,
    })
  }

  /** Self with the addresses it listens on now (a port may have been chosen at start). */
  #current(): RingNode {
    return { ...this.#c.self, multiaddrs: this.#c.multiaddrs() }
  }
}
