/**
 * A virtual clock and the events scheduled on it: a binary heap ordered by time, then by
 * the order events were scheduled, so equal times run in a reproducible order.
 */
export class EventQueue {
  #now = 0
  #sequence = 0
  readonly #heap: { time: number; sequence: number; run: () => void }[] = []

  get now(): number {
    return this.#now
  }

  get size(): number {
    return this.#heap.length
  }

  /** Runs `run` `delay` time units from now (delay ≥ 0). */
  after(delay: number, run: () => void): void {
    this.#push({ time: this.#now + Math.max(0, delay), sequence: this.#sequence++, run })
  }

  /** Runs the earliest event and advances the clock to it; false when none is left. */
  step(): boolean {
    const top = this.#pop()
    if (top === undefined) return false
    this.#now = top.time
    top.run()
    return true
  }

  #push(item: { time: number; sequence: number; run: () => void }): void {
    const heap = this.#heap
    heap.push(item)
    let i = heap.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!before(heap[i], heap[parent])) break
      swap(heap, i, parent)
      i = parent
    }
  }

  #pop(): { time: number; sequence: number; run: () => void } | undefined {
    const heap = this.#heap
    const top = heap[0]
    const last = heap.pop()
    if (top === undefined || last === undefined || heap.length === 0) return top
    heap[0] = last
    let i = 0
    for (;;) {
      const left = 2 * i + 1
      const right = left + 1
      let smallest = i
      if (left < heap.length && before(heap[left], heap[smallest])) smallest = left
      if (right < heap.length && before(heap[right], heap[smallest])) smallest = right
      if (smallest === i) return top
      swap(heap, i, smallest)
      i = smallest
    }
  }
}

type Item = { time: number; sequence: number } | undefined

function before(a: Item, b: Item): boolean {
  if (a === undefined || b === undefined) return false
  return a.time < b.time || (a.time === b.time && a.sequence < b.sequence)
}

function swap<T>(heap: T[], i: number, j: number): void {
  const a = heap[i] as T
  heap[i] = heap[j] as T
  heap[j] = a
}
