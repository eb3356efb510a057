import { type Ballot, compareBallots } from './ballot.js'
import {
  allAcceptors,
  type Configuration,
  isQuorum,
  isQuorumImpossible,
  sameConfiguration,
  validateConfiguration,
} from './configuration.js'
import { BallotExhaustedError, REJECT_CODES, type RejectCode } from './errors.js'
import type { AcceptorReply, Outgoing, PromiseMessage, ProposerMessage } from './messages.js'
import { PreparedCache } from './prepared-cache.js'
import { ABSENT, type Change, type RegisterState } from './register-state.js'
import { thriftyTargets } from './thrifty-targets.js'

/**
 * How a round ended.
 * - `decided`: a quorum accepted `next`; `previous` is the state the change was applied to.
 * - `failed`: refused in phase 1, so nothing was proposed and the operation certainly had
 *   no effect; safe to retry with a new round (after a fresh configuration on a stale epoch).
 * - `indeterminate`: phase 2 started but did not reach a quorum; the new state may still be
 *   chosen later by another proposer, or never. Retrying the same change could apply it twice.
 */
export type RoundOutcome =
  | { kind: 'decided'; previous: RegisterState; next: RegisterState; ballot: Ballot }
  | { kind: 'failed'; code: RejectCode | 'ERR_TIMEOUT'; epoch: number }
  | { kind: 'indeterminate'; code: RejectCode | 'ERR_TIMEOUT' }

export interface RoundStep {
  readonly messages: readonly Outgoing[]
  readonly outcome?: RoundOutcome | undefined
}

export interface ProposerComponents {
  /**
   * Whether a set of acceptor ids is a quorum under a configuration. Default `isQuorum`
   * (majority of every replica set). Replaceable only so tests can prove that the
   * simulator and checker catch a proposer with a broken quorum rule.
   */
  isQuorum?: (config: Configuration, ids: ReadonlySet<string>) => boolean
}

export interface ProposerInit {
  /** This proposer's id; it breaks ties between equal ballot counters. Required, unique. */
  id: string
  /**
   * The one-round-trip optimisation: every accept also asks for a promise of this
   * proposer's next ballot, and when a quorum granted it, the next round on that key (same
   * configuration) skips phase 1. Worth it when one proposer mostly owns a key (the key's
   * primary); under contention a skipped phase 1 turns what would have been a clean,
   * retryable phase 1 refusal into an indeterminate outcome. Default false.
   */
  fastPath?: boolean
  /**
   * Fast path: how many keys' next-ballot promises are kept, and how many bytes of the
   * keys' last values they may hold; the least recently decided are dropped first, and a
   * dropped key's next round runs both phases. Defaults 10,000 keys and 16 MiB.
   */
  maxPrepared?: number
  maxPreparedBytes?: number
  /**
   * Each phase asks only a quorum of the acceptors (itself first when it is one), not all
   * of them, and the others when one refuses or the caller finds it slow (`expand`). With
   * r = 3 that is one request per phase instead of two: the members' CPU per round is
   * mostly these messages. An acceptor that refused or was slow is asked last for the
   * next `avoidRounds` rounds. Default false.
   */
  thrifty?: boolean
  /** Thrifty: rounds for which a refusing or slow acceptor is asked last. Default 1,000. */
  avoidRounds?: number
}

/** What a caller may tell the proposer about one round. */
export interface RoundHints {
  /**
   * Thrifty: acceptors to put in each phase's quorum, after the proposer's own, even when
   * they refused or were slow lately (the member that would take the key over if this one failed: see
   * `ThriftyChoice.first`). Any quorum stays safe; this only chooses which one.
   */
  first?: readonly string[]
}

interface Round {
  readonly key: string
  readonly change: Change
  readonly config: Configuration
  readonly ballot: Ballot
  phase: 1 | 2
  readonly promises: Map<string, PromiseMessage>
  readonly accepted: Set<string>
  readonly promisedNext: Set<string>
  readonly refused: Set<string>
  readonly next: Ballot | undefined
  proposed?: RegisterState
  previous?: RegisterState
  highestEpoch: number
  /** Thrifty: acceptors to include in each phase's quorum when they are up (`RoundHints`). */
  readonly first: readonly string[]
  /** This phase's message, and the acceptors it was not sent to yet (thrifty). */
  phaseMessage?: ProposerMessage
  unasked: string[]
  lastCode?: RejectCode
}

/**
 * A CASPaxos proposer: a pure state machine that runs rounds (prepare, apply the change,
 * accept) for many keys at once. It sends nothing itself: `start` and `receive` return the
 * messages to send, and the caller owns time (it calls `abandon` when a round runs late).
 */
export class Proposer {
  readonly id: string
  readonly #isQuorum: (config: Configuration, ids: ReadonlySet<string>) => boolean
  readonly #rounds = new Map<number, Round>()
  /** Highest ballot counter heard of, per key; the next ballot goes one above. */
  readonly #counters = new Map<string, number>()
  /** Fast path: keys whose next ballot a quorum promised already. Used once, then dropped. */
  readonly #prepared: PreparedCache
  readonly #fastPath: boolean
  readonly #thrifty: boolean
  readonly #avoidRounds: number
  /** Thrifty: acceptors asked last, until the round id given. */
  readonly #avoid = new Map<string, number>()
  #nextRound = 1

  constructor(init: ProposerInit, components: ProposerComponents = {}) {
    this.id = init.id
    this.#isQuorum = components.isQuorum ?? isQuorum
    this.#fastPath = init.fastPath ?? false
    this.#prepared = new PreparedCache(
      init.maxPrepared ?? 10_000,
      init.maxPreparedBytes ?? 16 * 1024 * 1024,
    )
    this.#thrifty = init.thrifty ?? false
    this.#avoidRounds = init.avoidRounds ?? 1_000
  }

  /**
   * Drops the fast path's promises (of `key`, or of every key): the next rounds run both
   * phases. Call it when another proposer may have run rounds on the keys meanwhile (the
   * caller lost and regained ownership, say): a fast round against a higher promise ends
   * indeterminate, where a prepare would have failed cleanly and been retried.
   */
  forgetPrepared(key?: string): void {
    if (key === undefined) this.#prepared.clear()
    else this.#prepared.drop(key)
  }

  /** Rounds started and not finished yet. */
  get activeRounds(): number {
    return this.#rounds.size
  }

  /** Starts a round that applies `change` to `key` under `config`; send the messages. */
  start(
    key: string,
    change: Change,
    config: Configuration,
    hints: RoundHints = {},
  ): { round: number; step: RoundStep } {
    validateConfiguration(config)
    const prepared = this.#prepared.take(key)
    const fast = prepared !== undefined && sameConfiguration(prepared.config, config)
    const counter = fast ? prepared.ballot.counter : (this.#counters.get(key) ?? 0) + 1
    if (!Number.isSafeInteger(counter + 1)) throw new BallotExhaustedError(`key ${key}`)
    this.#learn(key, counter)
    const ballot: Ballot = { counter, proposer: this.id }
    const id = this.#nextRound++
    const round: Round = {
      key,
      change,
      config,
      ballot,
      phase: 1,
      promises: new Map(),
      accepted: new Set(),
      promisedNext: new Set(),
      refused: new Set(),
      next: this.#fastPath ? { counter: counter + 1, proposer: this.id } : undefined,
      highestEpoch: config.epoch,
      first: hints.first ?? [],
      unasked: [],
    }
    this.#rounds.set(id, round)
    if (fast) {
      round.previous = prepared.state
      return { round: id, step: this.#beginPhase2(id, round) }
    }
    const prepare = { type: 'prepare', key, ballot, epoch: config.epoch, round: id } as const
    return { round: id, step: this.#sendPhase(id, round, prepare, []) }
  }

  /**
   * Thrifty: sends the round's current phase to the acceptors not asked yet, and asks the
   * ones asked that have not answered last for a while. The caller calls it when the
   * answers are slow to come; a refusal does it by itself. Nothing for a finished round.
   */
  expand(roundId: number): RoundStep {
    const round = this.#rounds.get(roundId)
    if (round === undefined || round.unasked.length === 0) return { messages: [] }
    const answered = round.phase === 1 ? new Set(round.promises.keys()) : round.accepted
    for (const id of allAcceptors(round.config)) {
      const asked = !round.unasked.includes(id)
      if (asked && !answered.has(id) && !round.refused.has(id)) this.#avoidFor(id)
    }
    return this.#askTheRest(round)
  }

  #askTheRest(round: Round): RoundStep {
    const message = round.phaseMessage
    const rest = round.unasked
    round.unasked = []
    if (message === undefined) return { messages: [] }
    return { messages: rest.map((to) => ({ to, message })) }
  }

  /** The messages of a new phase: to every acceptor, or (thrifty) to a quorum of them. */
  #sendPhase(
    id: number,
    round: Round,
    message: ProposerMessage,
    prefer: readonly string[],
  ): RoundStep {
    const all = allAcceptors(round.config)
    let targets = all
    if (this.#thrifty) {
      for (const [acceptor, until] of this.#avoid) if (until <= id) this.#avoid.delete(acceptor)
      targets = thriftyTargets(round.config, all, {
        self: this.id,
        first: round.first,
        prefer,
        avoid: new Set(this.#avoid.keys()),
        key: round.key,
        isQuorum: this.#isQuorum,
      })
    }
    round.phaseMessage = message
    round.unasked = all.filter((to) => !targets.includes(to))
    return { messages: targets.map((to) => ({ to, message })) }
  }

  #avoidFor(acceptor: string): void {
    if (this.#thrifty) this.#avoid.set(acceptor, this.#nextRound + this.#avoidRounds)
  }

  /** Handles an acceptor's answer. Answers to unknown, finished or older rounds are ignored. */
  receive(reply: AcceptorReply): RoundStep {
    const round = this.#rounds.get(reply.round)
    if (round === undefined || compareBallots(reply.ballot, round.ballot) !== 0) {
      return { messages: [] }
    }
    if (!allAcceptors(round.config).includes(reply.from)) return { messages: [] }
    if (reply.type === 'reject') return this.#onReject(reply.round, round, reply)
    if (reply.type === 'promise' && round.phase === 1) {
      this.#learn(round.key, reply.accepted.counter)
      round.promises.set(reply.from, reply)
      if (this.#isQuorum(round.config, new Set(round.promises.keys()))) {
        return this.#beginPhase2(reply.round, round)
      }
    } else if (reply.type === 'accepted' && round.phase === 2) {
      round.accepted.add(reply.from)
      if (round.next !== undefined && reply.promisedNext !== undefined) {
        if (compareBallots(reply.promisedNext, round.next) === 0) round.promisedNext.add(reply.from)
      }
      if (this.#isQuorum(round.config, round.accepted)) {
        this.#keepPrepared(round)
        return this.#finish(reply.round, {
          kind: 'decided',
          previous: round.previous as RegisterState,
          next: round.proposed as RegisterState,
          ballot: round.ballot,
        })
      }
    }
    return { messages: [] }
  }

  /** Gives up on a round (the caller's deadline passed). */
  abandon(roundId: number): RoundOutcome | undefined {
    const round = this.#rounds.get(roundId)
    if (round === undefined) return undefined
    this.#rounds.delete(roundId)
    return round.phase === 1
      ? { kind: 'failed', code: 'ERR_TIMEOUT', epoch: round.highestEpoch }
      : { kind: 'indeterminate', code: 'ERR_TIMEOUT' }
  }

  #onReject(
    id: number,
    round: Round,
    reply: Extract<AcceptorReply, { type: 'reject' }>,
  ): RoundStep {
    if (reply.phase !== round.phase) return { messages: [] }
    this.#learn(round.key, reply.highest.counter)
    // "I promised exactly this ballot already": a duplicate of our own prepare, or one our
    // earlier self sent before a restart. Not a refusal of this round (the counter learnt
    // above keeps the next round above it); a round that gets no promise just times out.
    const samePromise = compareBallots(reply.highest, round.ballot) === 0
    if (round.phase === 1 && reply.code === REJECT_CODES.conflict && samePromise) {
      return this.#askTheRest(round)
    }
    round.highestEpoch = Math.max(round.highestEpoch, reply.epoch)
    round.lastCode = reply.code
    round.refused.add(reply.from)
    this.#avoidFor(reply.from)
    // A single stale-epoch answer means our configuration is out of date: stop and refresh.
    const hopeless =
      reply.code === REJECT_CODES.staleEpoch || isQuorumImpossible(round.config, round.refused)
    if (!hopeless) return this.#askTheRest(round)
    return this.#finish(
      id,
      round.phase === 1
        ? { kind: 'failed', code: reply.code, epoch: round.highestEpoch }
        : { kind: 'indeterminate', code: reply.code },
    )
  }

  #beginPhase2(id: number, round: Round): RoundStep {
    // The value accepted at the highest ballot among the promises is the current one: any
    // value a quorum accepted is in every quorum's answers, at the highest ballot so far.
    // (On the fast path `previous` is already set: this proposer's own last decided state.)
    if (round.previous === undefined) {
      let best: PromiseMessage | undefined
      for (const promise of round.promises.values()) {
        if (best === undefined || compareBallots(promise.accepted, best.accepted) > 0) {
          best = promise
        }
      }
      round.previous = best?.state ?? ABSENT
    }
    const previous = round.previous
    round.proposed = round.change(previous)
    round.phase = 2
    const accept = {
      type: 'accept',
      key: round.key,
      ballot: round.ballot,
      epoch: round.config.epoch,
      round: id,
      state: round.proposed as RegisterState,
      promiseNext: round.next,
    } as const
    // the acceptors that just promised are up: ask them first
    return this.#sendPhase(id, round, accept, [...round.promises.keys()])
  }

  #finish(id: number, outcome: RoundOutcome): RoundStep {
    this.#rounds.delete(id)
    return { messages: [], outcome }
  }

  /**
   * After a decision: if a quorum also promised the next ballot, the next round on this key
   * may skip phase 1. Those promises answer a phase 1 for `next` that would have reported
   * exactly the state just decided at the highest accepted ballot. Not if a later round on
   * the key has started meanwhile (it may hold `next` itself); and the counter moves to
   * `next` so no ordinary round reuses it.
   */
  #keepPrepared(round: Round): void {
    if (round.next === undefined || !this.#isQuorum(round.config, round.promisedNext)) return
    if ((this.#counters.get(round.key) ?? 0) > round.ballot.counter) return
    this.#learn(round.key, round.next.counter)
    this.#prepared.keep(round.key, {
      ballot: round.next,
      state: round.proposed as RegisterState,
      config: round.config,
    })
  }

  #learn(key: string, counter: number): void {
    if (counter > (this.#counters.get(key) ?? 0)) this.#counters.set(key, counter)
  }
}
