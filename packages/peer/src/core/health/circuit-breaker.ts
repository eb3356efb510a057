import type { Request, Response } from '@ringdht/protocol'
import { PeerUnreachableError, RequestTimeoutError } from '../../errors.js'
import type { RingNode } from '../ring-node.js'
import type { RequestOptions } from '../rpc/channel.js'
import type { MemberRequests } from '../rpc/member-requests.js'
import { PhiAccrual } from './phi-accrual.js'

export interface CircuitBreakerInit {
  /** phi above which a member with requests waiting is taken as not answering. Default 8. */
  phiThreshold: number
  /** Shortest deadline `deadlineFor` gives, whatever the member's round trips. */
  minDeadlineMs: number
  /** Timeouts in a row (no answer between) that open the breaker; one may be a busy host. */
  timeoutsToOpen: number
  /** First time a breaker stays open; doubled after each failed trial, up to maxOpenMs. */
  openMs: number
  maxOpenMs: number
  /** Monotonic milliseconds; tests may drive it. */
  now?: () => number
}

interface MemberState {
  readonly detector: PhiAccrual
  /** Smoothed round trip and its deviation (as TCP's retransmission timer keeps them). */
  srtt: number | undefined
  rttvar: number
  lastAnswerAt: number
  /** Send times of the requests waiting for an answer, by request number. */
  readonly waiting: Map<number, number>
  openUntil: number
  openFor: number
  timeoutsInARow: number
  /** One request may try a member whose breaker has just cooled down. */
  trialInFlight: boolean
}

/**
 * Requests to members, each behind a per-member circuit breaker. A member that stopped
 * answering (`timeoutsToOpen` requests in a row timed out, or phi accrual on its answers passed the threshold
 * while requests wait) has its breaker opened: requests fail at once with
 * PeerUnreachableError, the fast failure routing and reads already fail over on, instead
 * of each waiting out its timeout. After `openFor` one trial request goes through; an
 * answer closes the breaker. `deadlineFor` gives callers that have somewhere else to ask
 * a deadline fitted to the member's round trips rather than the full timeout.
 */
export class CircuitBreakers implements MemberRequests {
  readonly #inner: MemberRequests
  readonly #init: CircuitBreakerInit
  readonly #now: () => number
  readonly #members = new Map<string, MemberState>()
  #sent = 0

  constructor(inner: MemberRequests, init: CircuitBreakerInit) {
    this.#inner = inner
    this.#init = init
    this.#now = init.now ?? (() => performance.now())
  }

  request(node: RingNode, request: Partial<Request>, options: RequestOptions): Promise<Response> {
    return this.guard(node.key, () => this.#inner.request(node, request, options))
  }

  /**
   * Send one request to the member `key` through its breaker: refused at once
   * (PeerUnreachableError, nothing sent) while the breaker is open.
   */
  async guard<T>(key: string, send: () => Promise<T>): Promise<T> {
    const state = this.#stateOf(key)
    const now = this.#now()
    const trial = this.#admit(state, now)
    if (trial === 'refused') {
      throw new PeerUnreachableError(`${key} stopped answering (circuit open)`)
    }
    if (trial === 'trial') state.trialInFlight = true
    const id = this.#sent++
    state.waiting.set(id, now)
    try {
      const response = await send()
      this.#answered(state, now)
      return response
    } catch (err) {
      // a refused connection is the member's answer too: it is down, not hanging
      if (err instanceof RequestTimeoutError) {
        state.timeoutsInARow++
        if (trial === 'trial' || state.timeoutsInARow >= this.#init.timeoutsToOpen) {
          this.#open(state, trial === 'trial')
        }
      }
      throw err
    } finally {
      state.waiting.delete(id)
      if (trial === 'trial') state.trialInFlight = false
    }
  }

  /**
   * A deadline for one request to `node` when the caller can ask elsewhere: the round
   * trip plus four deviations, at least `minDeadlineMs`, at most `ceilingMs`.
   */
  deadlineFor(node: Pick<RingNode, 'key'>, ceilingMs: number): number {
    const state = this.#members.get(node.key)
    if (state?.srtt === undefined) return ceilingMs
    const fitted = Math.max(this.#init.minDeadlineMs, state.srtt + 4 * state.rttvar)
    return Math.min(ceilingMs, Math.ceil(fitted))
  }

  /**
   * `key` answered or asked something on another path (membership's own pings, a notify
   * it sent): it is alive, so its breaker closes. Without this a member back from a
   * partition stayed refused here for up to `maxOpenMs` after the heal, and each refused
   * request counted as a failure against it: a neighbour adopted through the merge was
   * dropped again within milliseconds, and the rings took seconds longer to merge.
   */
  heardFrom(key: string): void {
    const state = this.#members.get(key)
    if (state === undefined || state.openUntil === 0) return
    state.openUntil = 0
    state.openFor = this.#init.openMs
    state.timeoutsInARow = 0
    state.lastAnswerAt = this.#now()
  }

  /** True while requests to `node` fail at once. */
  isOpen(node: RingNode): boolean {
    const state = this.#members.get(node.key)
    return state !== undefined && this.#admit(state, this.#now()) === 'refused'
  }

  #admit(state: MemberState, now: number): 'yes' | 'trial' | 'refused' {
    if (state.openUntil === 0) {
      // requests are waiting and the member has been silent for far longer than usual
      const oldest = state.waiting.size === 0 ? undefined : Math.min(...state.waiting.values())
      if (oldest === undefined) return 'yes'
      const waited = now - Math.max(oldest, state.lastAnswerAt)
      if (state.detector.phi(waited) < this.#init.phiThreshold) return 'yes'
      this.#open(state, false)
    }
    if (now < state.openUntil || state.trialInFlight) return 'refused'
    return 'trial'
  }

  #answered(state: MemberState, sentAt: number): void {
    const now = this.#now()
    const rtt = now - sentAt
    state.detector.record(now - Math.max(sentAt, state.lastAnswerAt))
    state.lastAnswerAt = now
    if (state.srtt === undefined) {
      state.srtt = rtt
      state.rttvar = rtt / 2
    } else {
      state.rttvar = 0.75 * state.rttvar + 0.25 * Math.abs(state.srtt - rtt)
      state.srtt = 0.875 * state.srtt + 0.125 * rtt
    }
    state.openUntil = 0
    state.openFor = this.#init.openMs
    state.timeoutsInARow = 0
  }

  #open(state: MemberState, afterTrial: boolean): void {
    // a trial that failed keeps it open longer, up to the cap
    if (afterTrial) state.openFor = Math.min(this.#init.maxOpenMs, state.openFor * 2)
    state.openUntil = Math.max(state.openUntil, this.#now() + state.openFor)
  }

  #stateOf(key: string): MemberState {
    let state = this.#members.get(key)
    if (state === undefined) {
      state = {
        detector: new PhiAccrual({ windowSize: 100, minStdDevMs: 100, acceptablePauseMs: 200 }),
        srtt: undefined,
        rttvar: 0,
        lastAnswerAt: 0,
        waiting: new Map(),
        openUntil: 0,
        openFor: this.#init.openMs,
        timeoutsInARow: 0,
        trialInFlight: false,
      }
      this.#members.set(key, state)
    }
    return state
  }
}

/** The breakers a member puts in front of its requests, fitted to its timers. */
export function memberCircuitBreakers(
  inner: MemberRequests,
  timers: { pingTimeoutMs: number; requestTimeoutMs: number },
): CircuitBreakers {
  return new CircuitBreakers(inner, {
    phiThreshold: 8,
    timeoutsToOpen: 2,
    minDeadlineMs: Math.min(timers.pingTimeoutMs, timers.requestTimeoutMs / 2),
    openMs: timers.pingTimeoutMs,
    maxOpenMs: 8 * timers.pingTimeoutMs,
  })
}
