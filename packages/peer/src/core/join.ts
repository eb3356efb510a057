import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { MessageType } from '@ringdht/protocol'
import { inOpenInterval, type RingId, ringAdd } from '@ringdht/ring'
import type { Logger } from 'pino'
import type { Counters } from '../counters.js'
import { errorFromWire, InvalidInputError, PeerUnreachableError } from '../errors.js'
import type { Membership } from './membership.js'
import { type RingNode, type RingNodeCache, ringNode } from './ring-node.js'
import type { MemberRequests } from './rpc/member-requests.js'

export interface RingJoinComponents {
  membership: Pick<
    Membership,
    | 'self'
    | 'alone'
    | 'successor'
    | 'successors'
    | 'predecessor'
    | 'setSuccessor'
    | 'considerPredecessor'
    | 'notify'
    | 'lostSuccessors'
  >
  pool: MemberRequests
  nodes: RingNodeCache
  counters: Pick<Counters, 'rejoins' | 'merges'>
  logger: Logger
}

export interface RingJoinInit {
  /** Multiaddrs (with /p2p/<id>) of members to join through; [] starts a new ring. */
  bootstrap: readonly string[]
  maxHops: number
  requestTimeoutMs: number
  pingTimeoutMs: number
}

/** Where a join put this member: its successor and the range it takes over from it. */
export interface JoinResult {
  successor: RingNode
  /** (takenOverFrom, self] was the successor's; undefined: nothing to take over. */
  takenOverFrom: RingId | undefined
}

/** Bootstrap rounds before a join gives up, and the pause before round i is 200 ms × i. */
const JOIN_ROUNDS = 3
/** Members asked per rejoin pass while alone; each ask is bounded by pingTimeoutMs. */
const REJOIN_CANDIDATES_PER_PASS = 3

/**
 * How a member finds its place: at start through the bootstrap members (look up its own
 * successor, learn the range it takes over, notify), and later, whenever it has been
 * left alone, through the members it heard of earlier.
 */
export class RingJoin {
  readonly #c: RingJoinComponents
  readonly #init: RingJoinInit

  constructor(components: RingJoinComponents, init: RingJoinInit) {
    this.#c = components
    this.#init = init
  }

  /** Join through the bootstrap members; undefined when there are none (a new ring). */
  async join(signal: AbortSignal): Promise<JoinResult | undefined> {
    if (this.#init.bootstrap.length === 0) return undefined
    const m = this.#c.membership
    const successor = await this.#findOwnSuccessor(signal)
    m.setSuccessor(successor)
    // learn the range we take over before telling the successor we exist
    let takenOverFrom: RingId | undefined = successor.id
    try {
      const neighbours = await this.#c.pool.request(
        successor,
        { type: MessageType.GET_SUCCESSOR_LIST },
        { signal, timeoutMs: this.#init.requestTimeoutMs },
      )
      const predecessor = this.#c.nodes.fromInfo(neighbours.peer)
      if (predecessor !== undefined && predecessor.key !== m.self.key) {
        takenOverFrom = predecessor.id
        // it precedes us now: knowing it, we know our range before anyone notifies us
        m.considerPredecessor(predecessor)
      } else if (predecessor === undefined && isAlone(successor, neighbours.peers)) {
        // a ring of one: its only member is our predecessor as well as our successor
        m.considerPredecessor(successor)
      }
    } catch (err) {
      this.#c.logger.debug({ err }, 'cannot ask the successor for its predecessor')
    }
    await m.notify(successor, signal)
    return { successor, takenOverFrom: takenOverFrom === m.self.id ? undefined : takenOverFrom }
  }

  /**
   * A member whose every neighbour failed (a partition cut it off, or the ring died around
   * a seed that has no bootstrap peers) is a ring of one, and Chord alone never merges
   * two rings. So while alone, ask a few members heard of earlier, and the bootstrap
   * peers, for this member's successor; stabilize and anti-entropy take over from there.
   * `leaving`: the member is on its way out and must not come back.
   */
  async rejoinIfAlone(signal: AbortSignal, leaving: boolean): Promise<void> {
    const m = this.#c.membership
    if (!m.alone || leaving) return
    const candidates = [...this.#c.nodes.values()].filter((node) => node.key !== m.self.key)
    // a few candidates per pass, different ones each time, so a pass stays short
    for (let i = 0; i < REJOIN_CANDIDATES_PER_PASS && candidates.length > 0; i++) {
      const [node] = candidates.splice(Math.floor(Math.random() * candidates.length), 1)
      if (node === undefined) break
      try {
        const successor = await this.#successorVia(node, signal, this.#init.pingTimeoutMs)
        if (successor.key === m.self.key || !m.alone) continue
        m.setSuccessor(successor)
        // counted when adopted: from here on stabilize may finish the merge before notify returns
        this.#c.counters.rejoins++
        await m.notify(successor, signal)
        this.#c.logger.info({ successor: successor.key }, 'rejoined the ring after being alone')
        return
      } catch (err) {
        this.#c.logger.debug({ err, via: node.key }, 'rejoin attempt failed')
      }
    }
  }

  /**
   * Two rings that a partition split stay two after it heals: each is consistent, so
   * stabilize sees nothing to fix (observed in the fault suite's partition-4-4). Now and
   * then, ask a member heard of earlier that is not among our neighbours for our
   * successor: when it names one closer than ours, that member lives in another ring (or
   * ours was stale); adopt it and notify it, and stabilize, notify and anti-entropy merge
   * the rings from there (counter `merges`).
   */
  async mergeProbe(signal: AbortSignal, leaving: boolean): Promise<void> {
    const m = this.#c.membership
    if (m.alone || leaving) return
    const neighbours = this.#neighbourKeys()
    const candidates = [...this.#c.nodes.values()].filter((node) => !neighbours.has(node.key))
    const node = candidates[Math.floor(Math.random() * candidates.length)]
    if (node === undefined) return
    await this.#probeVia(node, signal)
  }

  /**
   * The merge probe aimed at a successor this member dropped as failed (see
   * LostSuccessors), run every stabilize period while there is one: a partition's heal is
   * found within a period, not after several random probes. One that answers, or is a
   * neighbour again, is no longer looked for.
   */
  async probeLostSuccessor(signal: AbortSignal, leaving: boolean): Promise<void> {
    const m = this.#c.membership
    if (m.alone || leaving) return
    const node = m.lostSuccessors.next()
    if (node === undefined) return
    if (this.#neighbourKeys().has(node.key)) {
      m.lostSuccessors.found(node.key)
      return
    }
    if (await this.#probeVia(node, signal)) m.lostSuccessors.found(node.key)
  }

  #neighbourKeys(): Set<string | undefined> {
    const m = this.#c.membership
    return new Set([m.self.key, m.predecessor?.key, ...m.successors.map((s) => s.key)])
  }

  /**
   * Ask `node` for our successor; when it names one closer than ours, adopt and notify it.
   * True when `node` answered.
   */
  async #probeVia(node: RingNode, signal: AbortSignal): Promise<boolean> {
    const m = this.#c.membership
    let found: RingNode
    try {
      found = await this.#successorVia(node, signal, this.#init.pingTimeoutMs)
    } catch (err) {
      this.#c.logger.debug({ err, via: node.key }, 'merge probe failed')
      return false
    }
    if (found.key === m.self.key || found.key === m.successor.key) return true
    if (!inOpenInterval(found.id, m.self.id, m.successor.id)) return true
    m.setSuccessor(found)
    this.#c.counters.merges++
    this.#c.logger.info(
      { successor: found.key, via: node.key },
      'found a closer successor: merging rings',
    )
    try {
      await m.notify(found, signal)
    } catch (err) {
      this.#c.logger.debug({ err, successor: found.key }, 'notify after a merge probe failed')
    }
    return true
  }

  async #findOwnSuccessor(signal: AbortSignal): Promise<RingNode> {
    const self = this.#c.membership.self
    const errors: string[] = []
    for (let round = 0; round < JOIN_ROUNDS; round++) {
      for (const address of this.#init.bootstrap) {
        signal.throwIfAborted()
        const node = this.#bootstrapNode(address)
        if (node.key === self.key) continue
        try {
          const successor = await this.#successorVia(node, signal, this.#init.requestTimeoutMs)
          return successor.key === self.key ? node : successor
        } catch (err) {
          errors.push(`${address}: ${(err as Error).message}`)
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 200 * (round + 1)))
    }
    throw new PeerUnreachableError(
      `could not join through any bootstrap peer (${errors.join('; ')})`,
    )
  }

  #bootstrapNode(address: string): RingNode {
    try {
      const ma = multiaddr(address)
      const id = ma.getComponents().find((c) => c.name === 'p2p')?.value
      if (id === undefined) throw new Error('no /p2p/<peer id> in the address')
      return this.#c.nodes.add(ringNode(peerIdFromString(id), [ma]))
    } catch (err) {
      throw new InvalidInputError(`bad bootstrap address ${address}: ${(err as Error).message}`)
    }
  }

  /** This member's successor, looked up through `node`. */
  async #successorVia(node: RingNode, signal: AbortSignal, timeoutMs: number): Promise<RingNode> {
    const self = this.#c.membership.self
    const successor = await this.#lookupVia(node, self.id, signal, timeoutMs)
    // a restarted member may still be known to the ring under its own id
    if (successor.key !== self.key) return successor
    return this.#lookupVia(node, nextId(self.id), signal, timeoutMs)
  }

  async #lookupVia(
    node: RingNode,
    target: RingId,
    signal: AbortSignal,
    timeoutMs: number,
  ): Promise<RingNode> {
    const response = await this.#c.pool.request(
      node,
      { type: MessageType.FIND_SUCCESSOR, target, maxHops: this.#init.maxHops },
      { signal, timeoutMs },
    )
    if (response.error !== 0) throw errorFromWire(response.error, response.message)
    const found = this.#c.nodes.fromInfo(response.peer)
    if (found === undefined) throw new PeerUnreachableError('find_successor gave no usable peer')
    return found
  }
}

/** The id just after `id`: a lookup for it finds the successor of a member at `id`. */
function nextId(id: RingId): RingId {
  return ringAdd(id, 1n)
}

/** Whether a member's successor list (as it answered) names nobody but itself. */
function isAlone(member: RingNode, successors: ReadonlyArray<{ peerId: string }>): boolean {
  return successors.every((s) => s.peerId === member.key)
}
