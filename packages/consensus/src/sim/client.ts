import type { HistoryEntry, ModelOperation, ModelOutput } from '../checker/history.js'
import type { Configuration } from '../configuration.js'
import { REJECT_CODES } from '../errors.js'
import type { AcceptorReply, Outgoing } from '../messages.js'
import type { Proposer, RoundOutcome } from '../proposer.js'
import { cas, changeOf, type RegisterOperation, read, resultOf, update } from '../register.js'
import type { EventQueue } from './event-queue.js'
import type { Prng } from './prng.js'
import type { ScheduledOp } from './schedule.js'

export interface ClientTiming {
  /** How long one round may take before it is abandoned. */
  readonly attemptTimeout: number
  /** How long an operation may take over all its rounds. */
  readonly opDeadline: number
  /** Largest pause between two operations and between retries. */
  readonly maxPause: number
}

export interface ClientComponents {
  readonly queue: EventQueue
  readonly prng: Prng
  /** Sends a proposer message to an acceptor over the simulated network. */
  send(from: string, outgoing: Outgoing): void
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
  round: number
}

/**
 * One simulated client process: runs its scheduled operations one after another through
 * its proposer, retries rounds refused in phase 1, and records each operation's outcome.
 */
export class SimClient {
  readonly name: string
  readonly #proposer: Proposer
  readonly #components: ClientComponents
  readonly #timing: ClientTiming
  readonly #pending: ScheduledOp[]
  /** The value this client last saw per key; `casAfterRead` expects it. */
  readonly #lastSeen = new Map<string, string | undefined>()
  #config: Configuration
  #running: Running | undefined

  constructor(
    proposer: Proposer,
    ops: readonly ScheduledOp[],
    components: ClientComponents,
    timing: ClientTiming,
  ) {
    this.name = proposer.id
    this.#proposer = proposer
    this.#pending = [...ops]
    this.#components = components
    this.#timing = timing
    this.#config = components.currentConfig()
  }

  get finished(): boolean {
    return this.#running === undefined && this.#pending.length === 0
  }

  start(): void {
    this.#components.queue.after(this.#components.prng.below(this.#timing.maxPause), () =>
      this.#next(),
    )
  }

  receive(reply: AcceptorReply): void {
    const step = this.#proposer.receive(reply)
    for (const outgoing of step.messages) this.#components.send(this.name, outgoing)
    if (step.outcome !== undefined) this.#settle(step.outcome)
  }

  #next(): void {
    const op = this.#pending.shift()
    if (op === undefined) return
    const now = this.#components.queue.now
    const operation: ModelOperation =
      op.operation.kind === 'casAfterRead'
        ? { kind: 'cas', expected: this.#lastSeen.get(op.key), next: op.operation.next }
        : op.operation
    this.#running = {
      op,
      operation,
      register: registerOperationOf(operation),
      invokedAt: now,
      deadline: now + this.#timing.opDeadline,
      round: 0,
    }
    this.#attempt()
  }

  #attempt(): void {
    const running = this.#running
    if (running === undefined) return
    const change = changeOf(running.register)
    const { round, step } = this.#proposer.start(running.op.key, change, this.#config)
    running.round = round
    for (const outgoing of step.messages) this.#components.send(this.name, outgoing)
    this.#components.queue.after(this.#timing.attemptTimeout, () => {
      if (this.#running !== running || running.round !== round) return
      const outcome = this.#proposer.abandon(round)
      if (outcome !== undefined) this.#settle(outcome)
    })
  }

  #settle(outcome: RoundOutcome): void {
    const running = this.#running
    if (running === undefined) return
    const now = this.#components.queue.now
    if (outcome.kind === 'failed') {
      if (outcome.code === REJECT_CODES.staleEpoch || outcome.code === 'ERR_TIMEOUT') {
        this.#config = this.#components.currentConfig()
      }
      const pause = 1 + this.#components.prng.below(this.#timing.maxPause)
      if (now + pause + this.#timing.attemptTimeout <= running.deadline) {
        running.round = 0
        this.#components.queue.after(pause, () => this.#attempt())
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
    const now = this.#components.queue.now
    this.#components.record({
      id: running.op.id,
      process: this.name,
      key: running.op.key,
      operation: running.operation,
      invokedAt: running.invokedAt,
      completedAt: now,
      status,
      output,
    })
    this.#running = undefined
    this.#components.queue.after(this.#components.prng.below(this.#timing.maxPause), () =>
      this.#next(),
    )
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
