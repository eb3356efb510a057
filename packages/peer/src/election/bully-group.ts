import { type BullyMessage, BullyNode } from '@ringdht/consensus'
import type { Logger } from 'pino'
import { BULLY_KIND, type BullyKind, type BullyWireMessage } from './bully-wire.js'
import { type BullyLeader, LeaderFeed, pause, untilAborted } from './leader-feed.js'

export type { BullyLeader }

export interface BullyTimers {
  /**
   * How often a member asks the coordinator whether it still coordinates, ms; each ask
   * waits `answerTimeoutMs` for the answer. Default 500.
   */
  heartbeatMs?: number
  /** Heartbeats missed in a row before the coordinator is suspected. Default 2. */
  suspectAfter?: number
  /** How long an election waits for an ANSWER from a higher member (and a heartbeat for its answer), ms. Default 500. */
  answerTimeoutMs?: number
  /** How long to wait for a COORDINATOR after an ANSWER before starting over, ms. Default 3000. */
  coordinatorTimeoutMs?: number
}

export const BULLY_TIMER_DEFAULTS: Required<BullyTimers> = Object.freeze({
  heartbeatMs: 500,
  suspectAfter: 2,
  answerTimeoutMs: 500,
  coordinatorTimeoutMs: 3000,
})

/** What a group needs from its member: messages to other members, and terms. */
export interface BullyGroupDeps {
  /** Send one message; resolves with the answer's message, or undefined when none came. */
  send(
    to: string,
    kind: BullyKind,
    term: number,
    timeoutMs: number,
  ): Promise<BullyWireMessage | undefined>
  /** A new term for this member as the group's coordinator, above every earlier one. */
  nextTerm(signal: AbortSignal): Promise<number>
  /** How long one claim of a term may take before it is tried again, ms. */
  termTimeoutMs: number
  /** The latest term granted in the group and its holder, read linearizably. */
  latestTerm(signal?: AbortSignal): Promise<{ term: number; leader: string | undefined }>
  /** Orders members; the highest alive coordinates. */
  compare(a: string, b: string): number
  logger: Logger
  closed(group: BullyGroup): void
}

/**
 * One member's part in a Bully election among a named group of ring members: the pure
 * `BullyNode` from the consensus package driven by real timers and messages. A member
 * that misses the coordinator's heartbeats suspects it and elects; the highest member
 * alive wins and takes a term from a linearizable register on the ring before it claims
 * the group, so two coordinators of one split-brain window never share a term, and the
 * later one's is higher. Members drop a COORDINATOR whose term is below one they saw.
 */
export class BullyGroup extends LeaderFeed {
  readonly name: string
  readonly self: string
  readonly members: readonly string[]
  readonly #memberSet: ReadonlySet<string>
  readonly #node: BullyNode
  readonly #deps: BullyGroupDeps
  readonly #timers: Required<BullyTimers>
  readonly #heartbeat: NodeJS.Timeout
  #deadline: NodeJS.Timeout | undefined
  #heartbeatInFlight = false
  #misses = 0
  /** The highest term any coordinator has shown this member. */
  #highestTerm = 0
  /** The term of the coordinator this member follows (another member). */
  #followedTerm = 0
  /** This member's own term as coordinator; 0 while it has none. */
  #ownTerm = 0
  #acquiring = false
  /** Members that have not taken this member's latest COORDINATOR yet. */
  readonly #unacknowledged = new Set<string>()
  /** Members a COORDINATOR is on its way to. */
  readonly #announcing = new Set<string>()

  constructor(
    init: { name: string; self: string; members: readonly string[]; timers: BullyTimers },
    deps: BullyGroupDeps,
  ) {
    super()
    this.name = init.name
    this.self = init.self
    this.members = Object.freeze([...init.members])
    this.#memberSet = new Set(init.members)
    this.#deps = deps
    this.#timers = { ...BULLY_TIMER_DEFAULTS, ...init.timers }
    this.#node = new BullyNode({
      group: init.name,
      self: init.self,
      members: init.members,
      answerTimeout: this.#timers.answerTimeoutMs,
      coordinatorTimeout: this.#timers.coordinatorTimeoutMs,
      compare: deps.compare,
    })
    this.#heartbeat = setInterval(() => this.#beat(), this.#timers.heartbeatMs)
    // a member that starts (or comes back) elects at once: a higher one bullies the rest
    this.#run(this.#node.startElection(now()))
  }

  /** True while this member coordinates the group with a term. */
  get isLeader(): boolean {
    return this.leader === this.self
  }

  /**
   * True when this member's term is still the latest granted (a linearizable read): a
   * coordinator checks before acting on something a newer one may have taken over.
   */
  async stillLeads(signal?: AbortSignal): Promise<boolean> {
    if (!this.isLeader) return false
    const term = this.#ownTerm
    const latest = await this.#deps.latestTerm(signal)
    return latest.term === term && latest.leader === this.self && this.isLeader
  }

  /** Leave the election: timers stop; the others elect anew once they miss heartbeats. */
  async close(): Promise<void> {
    if (this.closed) return
    this.#publish({ leader: undefined, term: this.#highestTerm })
    this.lifetime.abort(new Error('bully group closed'))
    clearInterval(this.#heartbeat)
    clearTimeout(this.#deadline)
    this.#deps.closed(this)
  }

  /** True when `peer` is one of the group's members. */
  hasMember(peer: string): boolean {
    return this.#memberSet.has(peer)
  }

  /**
   * A checked message from `from`, a ring member of this group: returns the answer to
   * send back (ANSWER to an election, this member's term to a heartbeat or coordinator).
   */
  receive(from: string, message: BullyWireMessage): BullyWireMessage | undefined {
    if (this.closed) return undefined
    const reply = (kind: BullyKind, term: number) => ({ kind, group: this.name, term })
    switch (message.kind) {
      case BULLY_KIND.election: {
        const out = this.#node.receive(this.#message('ELECTION', from), now())
        this.#run(out.filter((m) => !(m.type === 'ANSWER' && m.to === from)))
        return reply(BULLY_KIND.answer, 0)
      }
      case BULLY_KIND.coordinator:
        this.#coordinator(from, message.term)
        return reply(BULLY_KIND.coordinator, this.#highestTerm)
      case BULLY_KIND.heartbeat:
        // a coordinator answers with its term; anyone else with 0 (ask someone else)
        return reply(BULLY_KIND.heartbeat, this.isLeader ? this.#ownTerm : 0)
      case BULLY_KIND.answer:
        return undefined // answers come back as responses, never as requests
    }
  }

  #coordinator(from: string, term: number): void {
    // a late COORDINATOR from a coordinator already replaced: it must not win back
    if (term < this.#highestTerm) return
    this.#highestTerm = term
    const followed = this.#followedTerm
    // taken as accepted while the state machine decides, so no blip of "no leader" shows
    this.#followedTerm = term
    const out = this.#node.receive(this.#message('COORDINATOR', from), now())
    if (this.#node.leader === from) this.#misses = 0
    else this.#followedTerm = followed // a lower member claimed: this member elects instead
    this.#run(out)
  }

  /** Act on what the state machine wants sent, and re-arm its deadline. */
  #run(out: readonly BullyMessage[]): void {
    if (this.closed) return
    for (const message of out) {
      if (message.type === 'ELECTION') void this.#elect(message.to)
    }
    // a declaration sends COORDINATOR to every member: one term for all of them
    if (out.some((m) => m.type === 'COORDINATOR')) void this.#claim()
    clearTimeout(this.#deadline)
    const deadline = this.#node.deadline
    if (deadline !== undefined) {
      this.#deadline = setTimeout(
        () => this.#run(this.#node.tick(now())),
        Math.max(0, deadline - now()),
      )
    }
    this.#update()
  }

  async #elect(to: string): Promise<void> {
    const answer = await this.#deps.send(to, BULLY_KIND.election, 0, this.#timers.answerTimeoutMs)
    if (answer?.kind === BULLY_KIND.answer) {
      this.#run(this.#node.receive(this.#message('ANSWER', to), now()))
    }
  }

  /**
   * The state machine made this member coordinator: take a term above every term seen,
   * then tell every member. Declarations while a term is being taken share it.
   */
  async #claim(): Promise<void> {
    if (this.#acquiring) return
    this.#acquiring = true
    try {
      while (!this.closed && this.#node.leader === this.self) {
        let term: number
        try {
          // bounded even if the ring does not heed the signal: a hung claim would be forever
          const attempt = AbortSignal.any([
            this.lifetime.signal,
            AbortSignal.timeout(this.#deps.termTimeoutMs),
          ])
          term = await untilAborted(this.#deps.nextTerm(attempt), attempt)
        } catch (err) {
          if (this.closed) return
          this.#deps.logger.debug({ err, group: this.name }, 'no bully term yet; trying again')
          await pause(this.#timers.heartbeatMs, this.lifetime.signal)
          continue
        }
        // someone took a later term meanwhile: this one is already beaten, take another
        if (term <= this.#highestTerm) continue
        if (this.#node.leader !== this.self) return
        this.#ownTerm = term
        this.#highestTerm = term
        this.#update()
        this.#unacknowledged.clear()
        this.#announce(term)
        return
      }
    } finally {
      this.#acquiring = false
    }
  }

  /**
   * Tell `to` (default: every other member) that this member coordinates in `term`. A
   * member that did not take it (unreachable, or busy) is told again every heartbeat.
   */
  #announce(term: number, to: readonly string[] = this.members): void {
    for (const member of to) {
      if (member === this.self || this.#announcing.has(member)) continue
      this.#unacknowledged.add(member)
      this.#announcing.add(member)
      void this.#deps
        .send(member, BULLY_KIND.coordinator, term, this.#timers.coordinatorTimeoutMs)
        .then((answer) => {
          if (answer?.term === term) this.#unacknowledged.delete(member)
          // the member saw a later term: this member's claim is stale, elect again
          if (answer !== undefined && answer.term > term && this.#ownTerm === term) {
            this.#highestTerm = Math.max(this.#highestTerm, answer.term)
            this.#run(this.#node.startElection(now()))
          }
        })
        .finally(() => this.#announcing.delete(member))
    }
  }

  /** Every heartbeat: watch the coordinator, and get unstuck when no one coordinates. */
  #beat(): void {
    if (this.closed) return
    const leader = this.#node.leader
    if (leader === this.self) {
      // no term yet (the ring could not grant one), or a later one was seen: claim again
      if (this.#ownTerm === 0 || this.#ownTerm < this.#highestTerm) void this.#claim()
      else this.#announce(this.#ownTerm, [...this.#unacknowledged])
      return
    }
    if (leader === undefined) {
      if (this.#node.phase === 'idle') this.#run(this.#node.startElection(now()))
      return
    }
    if (this.#heartbeatInFlight) return
    this.#heartbeatInFlight = true
    void this.#deps
      .send(leader, BULLY_KIND.heartbeat, 0, this.#timers.answerTimeoutMs)
      .then((answer) => {
        if (this.closed || this.#node.leader !== leader) return
        if (answer === undefined || answer.term === 0) {
          this.#misses++
          if (this.#misses >= this.#timers.suspectAfter) {
            this.#misses = 0
            this.#run(this.#node.suspect(leader, now()))
          }
          return
        }
        this.#misses = 0
        if (answer.term > this.#followedTerm && answer.term >= this.#highestTerm) {
          // the coordinator took a later term and its COORDINATOR did not reach us
          this.#followedTerm = answer.term
          this.#highestTerm = answer.term
          this.#update()
        }
      })
      .finally(() => {
        this.#heartbeatInFlight = false
      })
  }

  /** Recompute what callers see from the state machine and the terms. */
  #update(): void {
    const leader = this.#node.leader
    let next: BullyLeader
    if (leader === this.self && this.#ownTerm > 0 && this.#ownTerm >= this.#highestTerm) {
      next = { leader, term: this.#ownTerm }
    } else if (leader !== undefined && leader !== this.self && this.#followedTerm > 0) {
      next = { leader, term: this.#followedTerm }
    } else {
      next = { leader: undefined, term: this.#highestTerm }
    }
    if (leader !== this.self) this.#ownTerm = 0
    if (leader !== undefined && leader !== this.self && this.#followedTerm < this.#highestTerm) {
      // following a coordinator whose term is not known yet (its COORDINATOR is coming)
      next = { leader: undefined, term: this.#highestTerm }
    }
    this.#publish(next)
  }

  #publish(next: BullyLeader): void {
    if (this.publish(next)) this.#deps.logger.debug({ group: this.name, ...next }, 'bully leader')
  }

  #message(type: BullyMessage['type'], from: string): BullyMessage {
    return { type, group: this.name, from, to: this.self }
  }
}

function now(): number {
  return performance.now()
}
