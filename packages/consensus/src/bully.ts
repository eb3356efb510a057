/**
 * The Bully algorithm (Garcia-Molina 1982) as a pure state machine for one member of a
 * named group: the highest id alive becomes coordinator. A member that suspects the
 * coordinator sends ELECTION to every higher member; any live higher member answers
 * ANSWER and starts its own election; a member that hears no ANSWER in time declares
 * itself with COORDINATOR to all. Time is the caller's logical clock; call `tick` when
 * `deadline` passes.
 */
export type BullyMessageType = 'ELECTION' | 'ANSWER' | 'COORDINATOR'

export interface BullyMessage {
  readonly type: BullyMessageType
  readonly group: string
  readonly from: string
  readonly to: string
}

export interface BullyInit {
  /** The group's name, copied into every message. Default 'default'. */
  group?: string
  /** This member. Required. */
  self: string
  /** Every member of the group, self included. Required. */
  members: readonly string[]
  /** How long to wait for an ANSWER before declaring itself. Default 100. */
  answerTimeout?: number
  /** How long to wait for a COORDINATOR after an ANSWER before starting over. Default 300. */
  coordinatorTimeout?: number
  /** Orders member ids; the highest wins. Default: string order. */
  compare?: (a: string, b: string) => number
}

export const BULLY_DEFAULTS = { group: 'default', answerTimeout: 100, coordinatorTimeout: 300 }

export type BullyPhase = 'idle' | 'awaitingAnswer' | 'awaitingCoordinator'

export class BullyNode {
  readonly self: string
  readonly group: string
  readonly #members: readonly string[]
  readonly #answerTimeout: number
  readonly #coordinatorTimeout: number
  readonly #compare: (a: string, b: string) => number
  #leader: string | undefined
  #phase: BullyPhase = 'idle'
  #deadline: number | undefined

  constructor(init: BullyInit) {
    this.self = init.self
    this.group = init.group ?? BULLY_DEFAULTS.group
    this.#members = [...init.members]
    this.#answerTimeout = init.answerTimeout ?? BULLY_DEFAULTS.answerTimeout
    this.#coordinatorTimeout = init.coordinatorTimeout ?? BULLY_DEFAULTS.coordinatorTimeout
    this.#compare = init.compare ?? ((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  }

  /** Who this member believes coordinates the group (itself included). */
  get leader(): string | undefined {
    return this.#leader
  }

  get phase(): BullyPhase {
    return this.#phase
  }

  /** When `tick` must be called next, or undefined when nothing is pending. */
  get deadline(): number | undefined {
    return this.#deadline
  }

  /** Starts an election: ELECTION to every higher member, or COORDINATOR if there is none. */
  startElection(now: number): BullyMessage[] {
    const higher = this.#members.filter((m) => this.#compare(m, this.self) > 0)
    if (higher.length === 0) return this.#declare()
    this.#phase = 'awaitingAnswer'
    this.#deadline = now + this.#answerTimeout
    return higher.map((to) => this.#message('ELECTION', to))
  }

  /** The failure detector suspects `member`; an election starts if it was the coordinator. */
  suspect(member: string, now: number): BullyMessage[] {
    if (member !== this.#leader || this.#phase !== 'idle') return []
    this.#leader = undefined
    return this.startElection(now)
  }

  receive(message: BullyMessage, now: number): BullyMessage[] {
    if (message.group !== this.group || message.to !== this.self) return []
    switch (message.type) {
      case 'ELECTION': {
        const answer = this.#message('ANSWER', message.from)
        // A lower member is electing: answer, and take over unless already electing.
        return this.#phase === 'idle' ? [answer, ...this.startElection(now)] : [answer]
      }
      case 'ANSWER':
        if (this.#phase === 'awaitingAnswer') {
          this.#phase = 'awaitingCoordinator'
          this.#deadline = now + this.#coordinatorTimeout
        }
        return []
      case 'COORDINATOR':
        if (this.#compare(message.from, this.self) < 0) return this.startElection(now)
        this.#leader = message.from
        this.#phase = 'idle'
        this.#deadline = undefined
        return []
    }
  }

  /** Handles a passed deadline: no ANSWER means this member wins; no COORDINATOR, retry. */
  tick(now: number): BullyMessage[] {
    if (this.#deadline === undefined || now < this.#deadline) return []
    if (this.#phase === 'awaitingAnswer') return this.#declare()
    if (this.#phase === 'awaitingCoordinator') return this.startElection(now)
    return []
  }

  #declare(): BullyMessage[] {
    this.#leader = this.self
    this.#phase = 'idle'
    this.#deadline = undefined
    return this.#members
      .filter((m) => m !== this.self)
      .map((to) => this.#message('COORDINATOR', to))
  }

  #message(type: BullyMessageType, to: string): BullyMessage {
    return { type, group: this.group, from: this.self, to }
  }
}
