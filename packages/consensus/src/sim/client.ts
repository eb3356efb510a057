import type { HistoryEntry, ModelOperation, ModelOutput } from '../checker/history.js'
import type { Configuration } from '../configuration.js'
import { REJECT_CODES } from '../errors.js'
import type { AcceptorReply, Outgoing } from '../messages.js'
import type { Proposer, RoundOutcome } from '../proposer.js'
import { cas, changeOf, type RegisterOperation, read, resultOf, update } from '../register.js'
import type { EventQueue } from './event-queue.js'
import { type Prng, prngFor } from './prng.js'
import type { ScheduledOp } from './schedule.js'

export interface ClientTiming {
  /** How long one round may take before it is abandoned. */
  readonly attemptTimeout: number
  /** How long an operation may take over all its rounds. */
  readonly opDeadline: number
  /** Largest pause before a retry. */
  readonly maxPause: number
}

export interface ClientComponents {
  readonly queue: EventQueue
  /** The run's seed; retry pauses are drawn from it and the operation's id. */
  readonly seed: number
  /**
   * Sends a proposer message to an acceptor over the simulated network; `name` is unique.
   * Each answer (a duplicated message gets one each) is handed to `onReply`.
   */
  send(name: string, outgoing: Outgoing, onReply: (reply: AcceptorReply) => void): void
  /** The configuration in force now (what a refreshed client learns). */
  currentConfig(): Configuration
  record(entry: HistoryEntry): void
}

interface Running {
  readonly op: ScheduledOp
  readonly operation: ModelOperation
  readonly register: RegisterOperation
  readonly invokedAt: number
  readonly deadline: number
  readonly prng: Prng
  attempt: number
  round: number
  /** Ended by a restart of the client process: its pending timers do nothing. */
  lost: boolean
}

/**
 * One simulated client process: invokes its scheduled operations at their times through
 * its proposer, retries rounds refused in phase 1 (never after phase 2 began: the first
 * proposal may still win, and a second would apply the change twice), and records each
 * operation's outcome.
 */
export class SimClient {
  readonly name: string
  #proposer: Proposer
  /** Bumped by `restart`: answers addressed to an earlier process are lost with it. */
  #incarnation = 0
  /** Operations invoked and not recorded yet, in a round or pausing before a retry. */
  readonly #live = new Set<Running>()
  readonly #components: ClientComponents
  readonly #timing: ClientTiming
  readonly #ops: readonly ScheduledOp[]
  readonly #running = new Map<number, Running>()
  /** The value this client last saw per key; `casAfterRead` expects it. */
  readonly #lastSeen = new Map<string, string | undefined>()
  #config: Configuration
  #completed = 0

  constructor(
    proposer: Proposer,
    ops: readonly ScheduledOp[],
    components: ClientComponents,
    timing: ClientTiming,
  ) {
    this.name = proposer.id
    this.#proposer = proposer
    this.#ops = ops
    this.#components = components
    this.#timing = timing
    this.#config = components.currentConfig()
  }

  get finished(): boolean {
    return this.#completed === this.#ops.length
  }

  start(): void {
    for (const op of this.#ops) this.#components.queue.after(op.at, () => this.#invoke(op))
  }

  /**
   * The process restarts with `proposer` (same id, nothing remembered): its operations in
   * flight end indeterminate (a round may have reached acceptors), and no answer, timer or
   * retry of theirs reaches the new process.
   */
  restart(proposer: Proposer): void {
    this.#incarnation++
    this.#proposer = proposer
    this.#running.clear()
    for (const running of [...this.#live]) {
      running.lost = true
      this.#complete(running, 'indeterminate', undefined)
    }
  }

  #receive(reply: AcceptorReply, incarnation: number): void {
    if (incarnation !== this.#incarnation) return
    const running = this.#running.get(reply.round)
    const step = this.#proposer.receive(reply)
    if (running === undefined) return
    this.#sendAll(running, step.messages)
    if (step.messages.length > 0) this.#expandLater(running)
    if (step.outcome !== undefined) this.#settle(running, step.outcome)
  }

  #invoke(op: ScheduledOp): void {
    const now = this.#components.queue.now
    const operation: ModelOperation =
      op.operation.kind === 'casAfterRead'
        ? { kind: 'cas', expected: this.#lastSeen.get(op.key), next: op.operation.next }
        : op.operation
    const running: Running = {
      op,
      operation,
      register: registerOperationOf(operation),
      invokedAt: now,
      deadline: now + this.#timing.opDeadline,
      prng: prngFor(this.#components.seed, `op${op.id}`),
      attempt: 0,
      round: 0,
      lost: false,
    }
    this.#live.add(running)
    this.#attempt(running)
  }

  #attempt(running: Running): void {
    if (running.lost) return
    const change = changeOf(running.register)
    const { round, step } = this.#proposer.start(running.op.key, change, this.#config)
    running.round = round
    running.attempt++
    this.#running.set(round, running)
    this.#sendAll(running, step.messages)
    const incarnation = this.#incarnation
    this.#expandLater(running)
    this.#components.queue.after(this.#timing.attemptTimeout, () => {
      // round ids start again in a restarted process: this one may name another round now
      if (running.lost || incarnation !== this.#incarnation) return
      const outcome = this.#proposer.abandon(round)
      if (outcome !== undefined) this.#settle(running, outcome)
    })
  }

  /**
   * A thrifty proposer asked a quorum only: when the answers to a phase are slow (lost, or
   * an acceptor down), it asks the others, as the peer's round driver does.
   */
  #expandLater(running: Running): void {
    const round = running.round
    const incarnation = this.#incarnation
    this.#components.queue.after(Math.floor(this.#timing.attemptTimeout / 4), () => {
      if (running.lost || incarnation !== this.#incarnation || running.round !== round) return
      this.#sendAll(running, this.#proposer.expand(round).messages)
    })
  }

  #sendAll(running: Running, messages: readonly Outgoing[]): void {
    for (const outgoing of messages) {
      const name = `op${running.op.id}.${running.attempt}.${outgoing.message.type}>${outgoing.to}`
      const incarnation = this.#incarnation
      this.#components.send(name, outgoing, (reply) => this.#receive(reply, incarnation))
    }
  }

  #settle(running: Running, outcome: RoundOutcome): void {
    this.#running.delete(running.round)
    const now = this.#components.queue.now
    if (outcome.kind === 'failed') {
      if (outcome.code === REJECT_CODES.staleEpoch || outcome.code === 'ERR_TIMEOUT') {
        this.#config = this.#components.currentConfig()
      }
      const pause = 1 + running.prng.below(this.#timing.maxPause)
      if (now + pause + this.#timing.attemptTimeout <= running.deadline) {
        this.#components.queue.after(pause, () => this.#attempt(running))
        return
      }
      this.#complete(running, 'fail', undefined)
      return
    }
    if (outcome.kind === 'indeterminate') {
      // The proposal may still be chosen; our configuration may be stale, so refresh it.
      this.#config = this.#components.currentConfig()
      this.#complete(running, 'indeterminate', undefined)
      return
    }
    const result = resultOf(running.register, outcome)
    if (result === undefined) return
    const state = { value: toHex(result.state.value), version: result.state.version }
    this.#lastSeen.set(running.op.key, state.value)
    this.#complete(running, 'ok', { state, succeeded: result.succeeded })
  }

  #complete(running: Running, status: HistoryEntry['status'], output: ModelOutput | undefined) {
    this.#completed++
    this.#live.delete(running)
    this.#components.record({
      id: running.op.id,
      process: this.name,
      key: running.op.key,
      operation: running.operation,
      invokedAt: running.invokedAt,
      completedAt: this.#components.queue.now,
      status,
      output,
    })
  }
}

export function registerOperationOf(operation: ModelOperation): RegisterOperation {
  switch (operation.kind) {
    case 'read':
      return read()
    case 'cas':
      return cas(fromHex(operation.expected), fromHex(operation.next))
    case 'write': {
      const value = fromHex(operation.value)
      return update(() => value)
    }
    case 'append': {
      const byte = operation.byte
      return update((value) => {
        const next = new Uint8Array((value?.length ?? 0) + 1)
        if (value !== undefined) next.set(value)
        next[next.length - 1] = byte
        return next
      })
    }
  }
}

export function toHex(value: Uint8Array | undefined): string | undefined {
  return value === undefined ? undefined : Buffer.from(value).toString('hex')
}

export function fromHex(hex: string | undefined): Uint8Array | undefined {
  return hex === undefined ? undefined : new Uint8Array(Buffer.from(hex, 'hex'))
}
