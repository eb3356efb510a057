import type { Acceptor } from '../acceptor.js'
import { beginChange, type Configuration, finishChange, isQuorum } from '../configuration.js'
import type { AcceptorSnapshot } from '../snapshot.js'
import type { EventQueue } from './event-queue.js'

export interface SimAcceptor {
  readonly acceptor: Acceptor
  up: boolean
  /** Retired for good: its disk was wiped, so this identity never votes again. */
  dead: boolean
}

export interface ReconfigurerComponents {
  readonly queue: EventQueue
  acceptor(id: string): SimAcceptor | undefined
  /** Sends over the simulated network (may lose, duplicate, delay); `name` is unique. */
  send(name: string, deliver: () => void): void
  config(): Configuration
  setConfig(config: Configuration): void
  /**
   * A deliberate bug for tests: the joining acceptor votes at once with an empty state and
   * the change ends without fencing or state transfer. Default false.
   */
  readonly skipStateTransfer?: boolean
}

export interface Replacement {
  readonly leaving: string
  readonly joining: string
}

const emptySnapshot: AcceptorSnapshot = { epoch: 0, highestCounter: 0, keys: [] }

/** How often snapshot requests are sent again while no quorum has answered. */
const RETRY_INTERVAL = 60
/** How long the caught-up member votes in the joint configuration before the change ends. */
const JOINT_DWELL = 100

/**
 * Replaces replica-set members one at a time, the safe way:
 * 1. joint configuration (epoch + 1): proposers need a majority of the old set and of the
 *    new set in both phases;
 * 2. fence and state transfer: each old member raises its epoch and snapshots its state
 *    atomically (old-epoch proposers are refused from then on); the joining acceptor,
 *    which refuses to vote while catching up, merges snapshots from a majority of the old
 *    set, so it holds every value the old set may have chosen;
 * 3. stable configuration of the new set (epoch + 2).
 */
export class Reconfigurer {
  readonly #components: ReconfigurerComponents
  readonly #waiting: Replacement[] = []
  #busy = false
  #completed = 0

  constructor(components: ReconfigurerComponents) {
    this.#components = components
  }

  get completed(): number {
    return this.#completed
  }

  replace(replacement: Replacement): void {
    this.#waiting.push(replacement)
    if (!this.#busy) this.#startNext()
  }

  #startNext(): void {
    const replacement = this.#waiting.shift()
    if (replacement === undefined) return
    const current = this.#components.config()
    if (!current.members.includes(replacement.leaving)) {
      this.#startNext()
      return
    }
    this.#busy = true
    const target = current.members.map((m) => (m === replacement.leaving ? replacement.joining : m))
    const joint = beginChange(current, target)
    this.#components.setConfig(joint)
    const old: Configuration = { epoch: joint.epoch, members: joint.members }
    const snapshots = new Map<string, AcceptorSnapshot>()
    if (this.#components.skipStateTransfer === true) {
      this.#components.acceptor(replacement.joining)?.acceptor.restore(emptySnapshot)
      this.#finish(joint, replacement.joining, undefined, old)
      return
    }
    let done = false
    let attempt = 0
    const request = (): void => {
      if (done) return
      attempt++
      for (const member of joint.members) {
        if (snapshots.has(member)) continue
        const name = `epoch${joint.epoch}.snapshot${attempt}>${member}`
        this.#components.send(name, () => {
          const node = this.#components.acceptor(member)
          if (node === undefined || !node.up || node.dead) return
          const snapshot = node.acceptor.fenceAndSnapshot(joint.epoch)
          this.#components.send(`${name}<`, () => {
            if (done) return
            snapshots.set(member, snapshot)
            if (isQuorum(old, new Set(snapshots.keys()))) {
              done = true
              this.#finish(joint, replacement.joining, snapshots, old)
            }
          })
        })
      }
      this.#components.queue.after(RETRY_INTERVAL, request)
    }
    request()
  }

  #finish(
    joint: Configuration,
    joining: string,
    snapshots: ReadonlyMap<string, AcceptorSnapshot> | undefined,
    old: Configuration,
  ): void {
    const node = this.#components.acceptor(joining)
    if (node === undefined) throw new Error(`joining acceptor ${joining} does not exist`)
    if (!node.up) {
      this.#components.queue.after(RETRY_INTERVAL, () =>
        this.#finish(joint, joining, snapshots, old),
      )
      return
    }
    if (snapshots !== undefined) node.acceptor.catchUp(snapshots, old)
    this.#components.queue.after(JOINT_DWELL, () => {
      this.#components.setConfig(finishChange(joint))
      this.#completed++
      this.#busy = false
      this.#startNext()
    })
  }
}
