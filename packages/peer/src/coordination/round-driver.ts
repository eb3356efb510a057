import {
  type AcceptorReply,
  type Change,
  type Configuration,
  type Proposer,
  type ProposerMessage,
  REJECT_CODES,
  type RoundHints,
  type RoundOutcome,
  type RoundStep,
  ZERO_BALLOT,
} from '@ringdht/consensus'
import type { Logger } from 'pino'

export interface RoundDriverComponents {
  proposer: Proposer
  /** This member's own acceptor (no network hop). */
  local: { readonly id: string; receive(message: ProposerMessage): Promise<AcceptorReply> }
  /** Send `message` to the acceptor `to` (a peer id) and wait for its answer. */
  send(to: string, message: ProposerMessage, signal: AbortSignal): Promise<AcceptorReply>
  logger: Logger
}

/**
 * Why a finished round's outstanding requests are dropped; made once, as aborting without
 * a reason creates a DOMException with a stack trace for every round.
 */
const ROUND_OVER = new Error('the round is over')

/** Thrifty phases: how long the asked quorum may take before the rest are asked too. */
const EXPAND_AFTER_MS = 100

/**
 * Runs the pure proposer's rounds over the network: sends what a step says to send, feeds
 * the answers back, and gives up on a round at its deadline (`abandon`: phase 1 unfinished
 * is a failure with no effect, phase 2 unfinished an unknown outcome). An acceptor that
 * cannot be reached or answers with an error counts as refusing, so a round that can no
 * longer reach a quorum ends at once instead of at its deadline. With a thrifty proposer
 * (each phase asks a quorum only), the acceptors not asked yet are asked when the answers
 * take an eighth of the round's deadline (at most 100 ms).
 */
export class RoundDriver {
  readonly #c: RoundDriverComponents

  constructor(components: RoundDriverComponents) {
    this.#c = components
  }

  run(
    key: string,
    change: Change,
    config: Configuration,
    deadlineMs: number,
    signal: AbortSignal,
    hints: RoundHints = {},
  ): Promise<RoundOutcome> {
    const { proposer } = this.#c
    const started = proposer.start(key, change, config, hints)
    const round = started.round
    const controller = new AbortController()
    const onAbort = () => controller.abort()
    signal.addEventListener('abort', onAbort, { once: true })
    // who answered yes, for the debug log of a decided round (faults are read from it)
    const votes: string[] | undefined = this.#c.logger.isLevelEnabled('debug') ? [] : undefined
    return new Promise<RoundOutcome>((resolve) => {
      let done = false
      const finish = (outcome: RoundOutcome) => {
        if (done) return
        done = true
        if (votes !== undefined) {
          const decided =
            outcome.kind === 'decided'
              ? {
                  ballot: `${outcome.ballot.counter}.${outcome.ballot.proposer.slice(-6)}`,
                  version: `${outcome.previous.version}->${outcome.next.version}`,
                }
              : { outcome: outcome.kind, code: outcome.code }
          this.#c.logger.debug(
            {
              key,
              ...decided,
              members: config.members.map((m) => m.slice(-6)),
              next: config.next?.map((m) => m.slice(-6)),
              also: config.also?.map((set) => set.map((m) => m.slice(-6))),
              votes,
            },
            outcome.kind === 'decided' ? 'round decided' : 'round not decided',
          )
        }
        clearTimeout(timer)
        clearInterval(slow)
        signal.removeEventListener('abort', onAbort)
        controller.abort(ROUND_OVER) // answers still on their way are not waited for
        resolve(outcome)
      }
      const giveUp = () => {
        finish(
          proposer.abandon(round) ?? { kind: 'failed', code: 'ERR_TIMEOUT', epoch: config.epoch },
        )
      }
      const timer = setTimeout(giveUp, deadlineMs)
      // each phase gets its eighth: phase 2 of a round may stall after phase 1 went fast
      const slow = setInterval(
        () => deliver(proposer.expand(round)),
        Math.min(EXPAND_AFTER_MS, Math.max(1, Math.floor(deadlineMs / 8))),
      )
      if (signal.aborted) giveUp()
      else controller.signal.addEventListener('abort', giveUp, { once: true })
      const deliver = (step: RoundStep) => {
        if (done) return
        if (step.outcome !== undefined) {
          finish(step.outcome)
          return
        }
        for (const { to, message } of step.messages) {
          this.#ask(to, message, controller.signal).then(
            (reply) => {
              if (reply.type !== 'reject') votes?.push(`${reply.type}:${to.slice(-6)}`)
              deliver(proposer.receive(reply))
            },
            (err: unknown) => {
              if (done) return
              this.#c.logger.debug({ err, acceptor: to }, 'acceptor did not answer')
              deliver(proposer.receive(refusalFrom(to, message)))
            },
          )
        }
      }
      deliver(started.step)
    })
  }

  #ask(to: string, message: ProposerMessage, signal: AbortSignal): Promise<AcceptorReply> {
    if (to === this.#c.local.id) return this.#c.local.receive(message)
    return this.#c.send(to, message, signal)
  }
}

/**
 * What an acceptor that failed to answer counts as: a refusal of the round's phase. Its
 * `highest` teaches the proposer nothing, and the code only decides that the round may be
 * retried; a refusal never makes a value chosen.
 */
function refusalFrom(from: string, message: ProposerMessage): AcceptorReply {
  return {
    type: 'reject',
    phase: message.type === 'prepare' ? 1 : 2,
    key: message.key,
    ballot: message.ballot,
    round: message.round,
    from,
    code: REJECT_CODES.catchingUp,
    highest: ZERO_BALLOT,
    epoch: message.epoch,
  }
}
