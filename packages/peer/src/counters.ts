/** Monotonic counters reported by status(). */
export class Counters {
  requests = 0
  forwarded = 0
  routeFailures = 0
  gets = 0
  puts = 0
  deletes = 0
  keysReceived = 0
  keysTransferred = 0
  badFrames = 0

  toJSON(): Record<string, number> {
    return { ...this } as unknown as Record<string, number>
  }
}
