/**
 * Log appends made in the same tick, handed to the log as one append: the home of a busy
 * queue writes an enqueue, the lease that follows it, acks and the leases they free, each
 * from its own request, and one append per entry meant a local write, a commit waiter and
 * its timer each. Grouped, they are one batch to the log (and so one local write and
 * one replication step); each caller still resolves only once its entry is on a write
 * quorum, with its own sequence number, and the order of calls is the order of the log.
 */
export interface GroupedLog {
  /** Appends `entries` in order; resolves with the first and last seq once committed. */
  append(entries: readonly Uint8Array[]): Promise<{ seq: number; last: number }>
}

export interface GroupCommitLimits {
  /** Entries in one append at most. */
  readonly entries: number
  /** Bytes in one append at most (an entry larger than this goes alone). */
  readonly bytes: number
}

interface Waiting {
  readonly data: Uint8Array
  resolve(seq: number): void
  reject(err: unknown): void
}

/** An append of one entry that joins the entries appended in the same tick. */
export function groupCommit(
  log: GroupedLog,
  limits: GroupCommitLimits,
): (data: Uint8Array) => Promise<number> {
  let waiting: Waiting[] = []
  const flush = () => {
    const all = waiting
    waiting = []
    let start = 0
    while (start < all.length) {
      let end = start
      let bytes = 0
      while (
        end < all.length &&
        end - start < limits.entries &&
        (end === start || bytes + (all[end]?.data.byteLength ?? 0) <= limits.bytes)
      ) {
        bytes += all[end]?.data.byteLength ?? 0
        end++
      }
      const group = all.slice(start, end)
      // called in order: the log numbers each group as it is handed over
      log.append(group.map((w) => w.data)).then(
        ({ seq }) => {
          for (const [i, w] of group.entries()) w.resolve(seq + i)
        },
        (err: unknown) => {
          for (const w of group) w.reject(err)
        },
      )
      start = end
    }
  }
  return (data) =>
    new Promise<number>((resolve, reject) => {
      // after the promise jobs that are producing more entries right now
      if (waiting.length === 0) process.nextTick(flush)
      waiting.push({ data, resolve, reject })
    })
}
