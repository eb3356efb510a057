import type { LogEntry } from '@ringdht/protocol'

export interface RelayWindowLimits {
  /** Most entries kept; the oldest go first. */
  readonly maxEntries: number
  /** Most message bytes kept (at least the newest entry is always kept). */
  readonly maxBytes: number
}

/**
 * The most recent committed entries of one topic at a relay: a gap-free run of sequence
 * numbers [first, next), bounded by count and by bytes, the oldest dropped first. A reader
 * whose `from` is below `first` is not served here (it reads the home's log); a reader at
 * `next` waits for the next append. Pure: no I/O, no timers.
 */
export class RelayWindow {
  readonly #limits: RelayWindowLimits
  /** Entries from `#head` on are kept; the array is compacted once half of it is dropped. */
  #entries: LogEntry[] = []
  #head = 0
  #bytes = 0
  #next: number
  #waiters = new Set<() => void>()
  #closed = false

  /** `next`: the sequence number the first append must carry. */
  constructor(next: number, limits: RelayWindowLimits) {
    if (!Number.isSafeInteger(next) || next < 1) throw new RangeError('next must be ≥ 1')
    if (limits.maxEntries < 1 || limits.maxBytes < 1) throw new RangeError('limits must be ≥ 1')
    this.#next = next
    this.#limits = limits
  }

  /** The oldest sequence number held (equals `next` when the window is empty). */
  get first(): number {
    return this.#next - this.size
  }

  /** The sequence number the next append carries: everything below it has been seen. */
  get next(): number {
    return this.#next
  }

  get size(): number {
    return this.#entries.length - this.#head
  }

  get bytes(): number {
    return this.#bytes
  }

  /** Add the entry at `next`; anything else is a caller's bug (a gap or a repeat). */
  append(entry: LogEntry): void {
    const seq = Number(entry.seq)
    if (seq !== this.#next) throw new RangeError(`expected seq ${this.#next}, got ${seq}`)
    this.#entries.push(entry)
    this.#bytes += entry.data.byteLength
    this.#next = seq + 1
    while (
      this.size > 1 &&
      (this.size > this.#limits.maxEntries || this.#bytes > this.#limits.maxBytes)
    ) {
      const dropped = this.#entries[this.#head++] as LogEntry
      this.#bytes -= dropped.data.byteLength
    }
    if (this.#head > 1024 && this.#head * 2 > this.#entries.length) {
      this.#entries = this.#entries.slice(this.#head)
      this.#head = 0
    }
    this.#wake()
  }

  /**
   * Append the entries of one answer that continue the run (a repeat below `next` is
   * skipped, a gap ends it), all before any waiter runs: a reader woken by the first gets
   * the whole batch. Returns how many were appended.
   */
  appendAll(entries: readonly LogEntry[]): number {
    let appended = 0
    for (const entry of entries) {
      const seq = Number(entry.seq)
      if (seq < this.#next) continue
      if (seq !== this.#next) break
      this.append(entry)
      appended++
    }
    return appended
  }

  /** Up to `limit` entries (and about `maxBytes`, at least one) from `from`, which must be held. */
  read(from: number, limit: number, maxBytes: number): LogEntry[] {
    if (from < this.first || from >= this.#next) return []
    const start = this.#head + (from - this.first)
    const end = Math.min(this.#entries.length, start + Math.max(1, limit))
    const page: LogEntry[] = []
    let bytes = 0
    for (let i = start; i < end; i++) {
      const entry = this.#entries[i] as LogEntry
      if (page.length > 0 && bytes + entry.data.byteLength > maxBytes) break
      bytes += entry.data.byteLength
      page.push(entry)
    }
    return page
  }

  /**
   * Resolves once the entry `seq` has been appended (`next > seq`), the window closed, or
   * `signal` aborted; the caller checks which.
   */
  waitFor(seq: number, signal: AbortSignal): Promise<void> {
    if (this.#next > seq || this.#closed || signal.aborted) return Promise.resolve()
    return new Promise((resolve) => {
      const done = () => {
        this.#waiters.delete(check)
        signal.removeEventListener('abort', done)
        resolve()
      }
      const check = () => {
        if (this.#next > seq || this.#closed) done()
      }
      this.#waiters.add(check)
      signal.addEventListener('abort', done, { once: true })
    })
  }

  /**
   * Start at `next` instead (only while empty, and only forward): the relay found the log
   * far ahead of the first reader and does not pull what it would drop at once.
   */
  skipTo(next: number): void {
    if (this.size > 0 || next <= this.#next) return
    this.#next = next
    this.#wake()
  }

  /** No more appends: every waiter resolves. */
  close(): void {
    this.#closed = true
    this.#wake()
  }

  get closed(): boolean {
    return this.#closed
  }

  #wake(): void {
    for (const check of [...this.#waiters]) check()
  }
}
