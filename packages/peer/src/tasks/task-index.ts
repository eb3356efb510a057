import { BinaryHeap } from './binary-heap.js'
import type { TaskId, TaskRecord } from './queue-entries.js'

interface Queued {
  readonly id: TaskId
  readonly priority: number
  readonly notBefore: number
  readonly generation: number
}

interface Expiring {
  readonly id: TaskId
  readonly token: number
  readonly deadline: number
}

/**
 * Which waiting task comes next and which lease ends first, over a queue's tasks: a
 * heap of ready tasks (priority, then arrival), one of delayed tasks (by the time they
 * are due) and one of leases (by deadline). Items are never removed from the middle: an
 * item whose task moved on since (leased, settled, offered again) is stale and dropped
 * when it reaches the top. Rebuilt from the tasks, never replicated.
 */
export class TaskIndex {
  readonly #generations = new Map<TaskId, number>()
  readonly #ready = new BinaryHeap<Queued>(
    (a, b) => a.priority > b.priority || (a.priority === b.priority && a.id < b.id),
  )
  readonly #delayed = new BinaryHeap<Queued>(
    (a, b) => a.notBefore < b.notBefore || (a.notBefore === b.notBefore && a.id < b.id),
  )
  readonly #expiring = new BinaryHeap<Expiring>(
    (a, b) => a.deadline < b.deadline || (a.deadline === b.deadline && a.id < b.id),
  )

  constructor(private readonly taskOf: (id: TaskId) => TaskRecord | undefined) {}

  /** A waiting task: it becomes ready at its notBefore. */
  offer(task: TaskRecord): void {
    const generation = (this.#generations.get(task.id) ?? 0) + 1
    this.#generations.set(task.id, generation)
    this.#delayed.push({
      id: task.id,
      priority: task.priority,
      notBefore: task.notBefore,
      generation,
    })
  }

  /** A task leased under `token` until `deadline`. */
  leased(id: TaskId, token: number, deadline: number): void {
    this.#expiring.push({ id, token, deadline })
  }

  forget(id: TaskId): void {
    this.#generations.delete(id)
  }

  /** The id of the first ready task at `now`, if any. */
  firstReady(now: number): TaskId | undefined {
    for (;;) {
      const due = this.#delayed.peek()
      if (due === undefined || due.notBefore > now) break
      this.#delayed.pop()
      if (this.#isCurrent(due)) this.#ready.push(due)
    }
    for (;;) {
      const top = this.#ready.peek()
      if (top === undefined || this.#isCurrent(top)) return top?.id
      this.#ready.pop()
    }
  }

  /** Leases whose deadline is at or before `now`, each given once. */
  takeExpired(now: number): Expiring[] {
    const expired: Expiring[] = []
    for (let top = this.#expiring.peek(); top !== undefined; top = this.#expiring.peek()) {
      if (this.#isLeased(top) && top.deadline > now) break
      this.#expiring.pop()
      if (this.#isLeased(top)) expired.push(top)
    }
    return expired
  }

  /** The next time something falls due (a delayed task, a lease deadline), if any. */
  nextDueAt(): number | undefined {
    while (this.#delayed.peek() !== undefined && !this.#isCurrent(this.#delayed.peek() as Queued)) {
      this.#delayed.pop()
    }
    while (
      this.#expiring.peek() !== undefined &&
      !this.#isLeased(this.#expiring.peek() as Expiring)
    ) {
      this.#expiring.pop()
    }
    const times = [this.#delayed.peek()?.notBefore, this.#expiring.peek()?.deadline]
    const due = times.filter((time): time is number => time !== undefined)
    return due.length === 0 ? undefined : Math.min(...due)
  }

  clear(): void {
    this.#generations.clear()
    this.#ready.clear()
    this.#delayed.clear()
    this.#expiring.clear()
  }

  #isCurrent(item: Queued): boolean {
    return (
      this.taskOf(item.id)?.status === 'waiting' &&
      this.#generations.get(item.id) === item.generation
    )
  }

  /** Still the task's lease, and its deadline (an extended lease has a newer item). */
  #isLeased(item: Expiring): boolean {
    const task = this.taskOf(item.id)
    return (
      task?.status === 'leased' &&
      task.lease?.token === item.token &&
      task.lease.deadline === item.deadline
    )
  }
}
