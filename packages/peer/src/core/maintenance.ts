import type { Logger } from 'pino'
import type { PeerTimers } from '../config.js'
import type { RingJoin } from './join.js'
import type { Membership } from './membership.js'
import { PeriodicTask } from './periodic-task.js'
import type { Router } from './router.js'

export interface ChordMaintenanceComponents {
  membership: Pick<Membership, 'stabilize' | 'checkPredecessor' | 'fixFingers'>
  router: Pick<Router, 'findSuccessor'>
  join: Pick<RingJoin, 'rejoinIfAlone' | 'mergeProbe' | 'probeLostSuccessor'>
  logger: Logger
  /** True once the member is leaving: it must not rejoin then. */
  leaving(): boolean
}

/**
 * The periodic, jittered work that keeps this member's view of the ring fresh:
 * stabilize, check_predecessor, fix_fingers, and rejoin while alone. Started once the
 * member has joined; `stop()` ends every task and waits for the runs in progress.
 */
export class ChordMaintenance {
  readonly #tasks: PeriodicTask[]
  readonly #stabilize: PeriodicTask

  constructor(components: ChordMaintenanceComponents, timers: PeerTimers) {
    const { membership: m, router, join, logger } = components
    const task = (name: string, ms: number, run: (signal: AbortSignal) => Promise<void>) =>
      new PeriodicTask(name, ms, timers.jitter, run, logger)
    this.#stabilize = task('stabilize', timers.stabilizeMs, (s) => m.stabilize(s))
    this.#tasks = [
      this.#stabilize,
      task('check_predecessor', timers.checkPredecessorMs, (s) => m.checkPredecessor(s)),
      task('rejoin', timers.stabilizeMs * 2, (s) => join.rejoinIfAlone(s, components.leaving())),
      task('merge_probe', timers.stabilizeMs * 5, (s) => join.mergeProbe(s, components.leaving())),
      task('lost_successor_probe', timers.stabilizeMs, (s) =>
        join.probeLostSuccessor(s, components.leaving()),
      ),
      task('fix_fingers', timers.fixFingersMs, (s) =>
        m.fixFingers((id, signal) => router.findSuccessor(id, signal), s),
      ),
    ]
  }

  /**
   * The neighbourhood just changed: stabilize again soon, then back off to the period
   * (PeriodicTask.hurry). Each change a stabilize makes (a joiner adopted, a successor
   * list filled) is one step of a ring forming; at one period a step, 16 members started
   * together took seconds to serve every key.
   */
  neighboursChanged(): void {
    this.#stabilize.hurry()
  }

  start(): void {
    for (const task of this.#tasks) task.start()
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.#tasks.map((t) => t.stop()))
  }
}
