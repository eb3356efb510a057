import { type AcceptorReply, Proposer, type ProposerMessage } from '@ringdht/consensus'
import {
  MessageType,
  type RegisterOp,
  type RegisterResult,
  type Request,
  type Response,
  requestWithDefaults,
} from '@ringdht/protocol'
import { ringIdOf } from '@ringdht/ring'
import type { Table } from '@ringdht/store'
import type { Capability, CapabilityContext, JoinedEvent } from '../core/capability.js'
import type { RingNode } from '../core/ring-node.js'
import type { RequestContext } from '../core/rpc/server.js'
import {
  errorFromWire,
  InvalidInputError,
  NotReadyError,
  OutcomeUnknownError,
  PeerUnreachableError,
  QuorumNotReachedError,
  ValueTooLargeError,
} from '../errors.js'
import { servePaxos, validRegisterKey } from './acceptor-requests.js'
import { KeyCarryOver } from './carry-over.js'
import type { DurableAcceptor } from './durable-acceptor.js'
import { openAcceptor } from './key-catch-up.js'
import {
  decidedToWire,
  keyBytes,
  keyString,
  proposerMessageToWire,
  replyFromWire,
} from './paxos-wire.js'
import { lockKey, openEnvelope, prepareOp, REGISTER_OP } from './register-ops.js'
import { ReplicaSets } from './replica-sets.js'
import { RoundDriver } from './round-driver.js'

export interface CoordinationComponents {
  /** Where this member's acceptor keeps its promises; closed by the member's owner. */
  table: Table
  /** True when the member's identity was made at this start (see DurableAcceptorInit). */
  identityIsNew: boolean
}

const READ: RegisterOp = { kind: REGISTER_OP.read, holder: '', ttlMs: 0n, token: 0n }
/** A read that also answers what it decided: a lost acceptor catches a key up with it. */
const CATCH_UP_READ: RegisterOp = { ...READ, withDecided: true }

/** Longest random pause between two attempts at a contended key, ms. */
const MAX_BACKOFF_MS = 100

/**
 * Linearizable registers on the ring (CASPaxos, one register per key, in a keyspace of
 * its own beside the key/value records): a REGISTER request is routed to the key's owner
 * like a put, the owner proposes, and the key's replicas (the owner and its r-1
 * successors) are the acceptors, reached with PAXOS requests that only members of the
 * key's replica set may send. Locks are registers too (see register-ops.ts).
 */
export class CoordinationCapability implements Capability {
  readonly name = 'coordination'
  readonly handles = [MessageType.PAXOS, MessageType.REGISTER] as const
  readonly acceptor: DurableAcceptor

  readonly #ctx: CapabilityContext
  readonly #sets: ReplicaSets
  readonly #driver: RoundDriver
  readonly #proposer: Proposer
  /** Members named by recent configurations, by peer id: where accepts go. */
  readonly #known = new Map<string, RingNode>()
  /** Rounds on one key wait for each other: this member is its one proposer, not its rival. */
  readonly #keyQueues = new Map<string, Promise<unknown>>()
  readonly #carryOver: KeyCarryOver

  constructor(context: CapabilityContext, components: CoordinationComponents) {
    this.#ctx = context
    this.acceptor = openAcceptor(components, context, (key) => this.call(key, CATCH_UP_READ))
    this.#sets = new ReplicaSets(context.neighbours, context.config.replicas)
    // The one-round-trip fast path: each accept also asks for a promise of our next
    // ballot, so the key's next round here runs phase 2 only. Rounds on a key queue at its
    // owner (`#run`), so the owner is the only proposer in steady state; another proposer
    // in between (ownership moved and came back) makes the fast round end indeterminate,
    // so the promises are dropped whenever the neighbourhood changes (`rangesChanged`).
    // Thrifty: each phase asks a quorum (itself and its heir, see ReplicaSets.#heirs), not
    // the whole set: one request per phase instead of two at r = 3.
    this.#proposer = new Proposer({ id: context.self.key, fastPath: true, thrifty: true })
    this.#driver = new RoundDriver({
      proposer: this.#proposer,
      local: this.acceptor,
      send: (to, message, signal) => this.#sendToAcceptor(to, message, signal),
      logger: context.logger,
    })
    this.#carryOver = new KeyCarryOver({
      context,
      sets: this.#sets,
      acceptor: this.acceptor,
      read: (key) => this.#run(key, READ, undefined),
    })
  }

  async handle(request: Request, context: RequestContext): Promise<Partial<Response>> {
    if (request.type === MessageType.PAXOS) {
      return servePaxos(request, context, this.#ctx, this.acceptor)
    }
    return this.serve(request, context.signal)
  }

  /** A REGISTER request from here or from the network: checked, routed to the owner, run. */
  async serve(request: Request, signal: AbortSignal | undefined): Promise<Partial<Response>> {
    const key = this.#validKey(request.key)
    // every peer on the path refuses a bad operation, not only the owner
    prepareOp(key, request.registerOp, Date.now)
    const next = request.registerOp?.next
    const limit = this.#ctx.config.limits.maxValueBytes
    if (next !== undefined && next.byteLength > limit) {
      throw new ValueTooLargeError(`value is ${next.byteLength} bytes; the limit is ${limit}`)
    }
    const op = request.registerOp as RegisterOp
    return this.#ctx.router.route(request, ringIdOf(key), signal, async () => {
      await this.#refuseFutureFence(op, signal)
      return { hops: request.hops, registerResult: await this.#run(key, op, signal) }
    })
  }

  /**
   * A fence that names its lock may not be above the lock's latest grant: a token from the
   * future would raise the register's fence past every real holder's and lock them out.
   * Checked before the round: a lock's token only grows, so what holds now holds then.
   */
  async #refuseFutureFence(op: RegisterOp, signal: AbortSignal | undefined): Promise<void> {
    if (op.kind !== REGISTER_OP.cas || op.token === 0n || op.fenceLock === undefined) return
    const name = op.fenceLock
    if (name.byteLength === 0) throw new InvalidInputError('fence_lock names no lock')
    const lock = await this.call(lockKey(name), READ, signal)
    if (op.token > lock.token) {
      throw new InvalidInputError(
        `fencing token ${op.token} is from the future: lock ${new TextDecoder().decode(name)} has granted up to ${lock.token}; nothing changed`,
      )
    }
  }

  /** A REGISTER request as this member's own caller makes it. */
  async call(key: Uint8Array, op: RegisterOp, signal?: AbortSignal): Promise<RegisterResult> {
    const request = requestWithDefaults({
      type: MessageType.REGISTER,
      key: key as Uint8Array<ArrayBuffer>,
      registerOp: op,
      maxHops: this.#ctx.config.limits.maxHops,
    })
    const response = await this.serve(request, signal ?? this.#ctx.lifetime)
    if (response.error !== undefined && response.error !== 0) {
      throw errorFromWire(response.error, response.message ?? '')
    }
    if (response.registerResult === undefined) {
      throw new PeerUnreachableError('the key owner sent no register result')
    }
    return response.registerResult
  }

  #validKey(key: Uint8Array | undefined): Uint8Array {
    return validRegisterKey(key, this.#ctx.config.limits.maxKeyBytes)
  }

  /**
   * Run one operation as the key's proposer: rounds until one is decided, within about
   * the request deadline. A round refused in phase 1 changed nothing and is retried after
   * a random pause (another proposer holds a higher ballot, or acceptors are down). A round
   * whose phase 2 did not finish is retried only for operations that answer the same when
   * repeated (reads, locks); for a cas it is reported as an unknown outcome.
   */
  #run(key: Uint8Array, op: RegisterOp, signal: AbortSignal | undefined): Promise<RegisterResult> {
    const name = keyString(key)
    // the caller's deadline runs from now, waiting in the queue included
    const budgetEnds = Date.now() + this.#ctx.config.timers.requestTimeoutMs * 0.8
    const previous = this.#keyQueues.get(name) ?? Promise.resolve()
    const runNow = () => this.#runNow(key, name, op, signal, budgetEnds)
    const run = previous.then(runNow, runNow)
    this.#keyQueues.set(name, run)
    void run
      .finally(() => {
        if (this.#keyQueues.get(name) === run) this.#keyQueues.delete(name)
      })
      .catch(() => {})
    return run
  }

  async #runNow(
    key: Uint8Array,
    name: string,
    op: RegisterOp,
    signal: AbortSignal | undefined,
    budgetEnds: number,
  ): Promise<RegisterResult> {
    const { timers } = this.#ctx.config
    // a round may have waited out a pause: notice it before trusting promises and sets
    this.#ctx.pauses.tick()
    const roundMs = Math.max(50, Math.floor(timers.requestTimeoutMs / 4))
    const position = ringIdOf(key)
    await this.#untilSetsComplete(budgetEnds, signal)
    let unknown = false
    for (let attempt = 0; ; attempt++) {
      const prepared = prepareOp(key, op, Date.now)
      const { config, nodes, heirs } = this.#sets.configurationFor(position)
      for (const [id, node] of nodes) this.#known.set(id, node)
      const outcome = await this.#driver.run(
        name,
        prepared.change,
        config,
        Math.min(roundMs, Math.max(1, budgetEnds - Date.now())),
        signal ?? this.#ctx.lifetime,
        { first: heirs },
      )
      if (outcome.kind === 'decided') {
        this.#ctx.counters.coordinationRounds++
        const result = prepared.result(outcome.previous, outcome.next)
        if (op.withDecided !== true) return result
        return { ...result, ...decidedToWire({ ballot: outcome.ballot, state: outcome.next }) }
      }
      if (outcome.kind === 'indeterminate') {
        if (!prepared.retryable) {
          throw new OutcomeUnknownError(
            `the write reached some of the key's acceptors but not a quorum (${outcome.code}); read the key to learn whether it took effect`,
          )
        }
        unknown = true
      }
      if (Date.now() >= budgetEnds || signal?.aborted || this.#ctx.lifetime.aborted) {
        if (unknown && op.kind !== REGISTER_OP.read) {
          throw new OutcomeUnknownError('the lock operation may or may not have taken effect')
        }
        throw new QuorumNotReachedError(
          `no quorum of the key's acceptors answered (${outcome.code}); nothing changed`,
        )
      }
      const pause = Math.random() * Math.min(MAX_BACKOFF_MS, 5 * 2 ** attempt)
      await new Promise((resolve) => setTimeout(resolve, pause))
    }
  }

  /** Waits (within the budget) until this member sees the key's whole replica set. */
  async #untilSetsComplete(budgetEnds: number, signal: AbortSignal | undefined): Promise<void> {
    const pollMs = Math.max(10, Math.floor(this.#ctx.config.timers.stabilizeMs / 4))
    while (!this.#sets.complete) {
      if (Date.now() + pollMs >= budgetEnds || signal?.aborted || this.#ctx.lifetime.aborted) {
        throw new NotReadyError('this member does not see the whole replica set yet; retry')
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs))
    }
  }

  async #sendToAcceptor(
    to: string,
    message: ProposerMessage,
    signal: AbortSignal,
  ): Promise<AcceptorReply> {
    const node = this.#known.get(to)
    if (node === undefined) throw new PeerUnreachableError(`acceptor ${to} is not known here`)
    const response = await this.#ctx.pool.request(
      node,
      {
        type: MessageType.PAXOS,
        key: keyBytes(message.key),
        paxos: proposerMessageToWire(message),
      },
      { signal, timeoutMs: this.#ctx.config.timers.requestTimeoutMs },
    )
    if (response.error !== 0) throw errorFromWire(response.error, response.message)
    return replyFromWire(message.key, to, response.paxos)
  }

  joined(event: JoinedEvent): void {
    this.#carryOver.joined(event)
  }

  /** The neighbourhood changed: replica sets may have moved; carry the keys over. */
  rangesChanged(): void {
    this.#proposer.forgetPrepared()
    this.#carryOver.rangesChanged()
  }

  /** Paused: promises and replica sets from before the pause may be stale (see KeyCarryOver). */
  resumed(): void {
    this.#proposer.forgetPrepared()
    this.#carryOver.resumed()
  }

  /** The register state this acceptor accepted last for `key` (tests, tools). */
  acceptedState(key: Uint8Array): { value: Uint8Array | undefined; version: number } {
    const { state } = this.acceptor.keyState(keyString(key))
    return { value: openEnvelope(state.value).value, version: state.version }
  }

  /** Resolves once keys moved by a ring change are carried over (or a pass gave up). */
  carriedOver(): Promise<void> {
    return this.#carryOver.idle()
  }

  async stop(): Promise<void> {
    await this.#carryOver.stop()
  }
}
