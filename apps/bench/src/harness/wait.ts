import { setTimeout as delay } from 'node:timers/promises'
import { RingdhtError } from '@ringdht/ring'

export class WaitTimeoutError extends RingdhtError<'BENCH_WAIT_TIMEOUT'> {
  static readonly code = 'BENCH_WAIT_TIMEOUT'
  override name = 'WaitTimeoutError'
  constructor(message: string) {
    super(WaitTimeoutError.code, message)
  }
}

export interface WaitInit {
  timeoutMs: number
  /** Pause between checks. Default 200 ms. */
  intervalMs?: number
  /** Says what was awaited, for the timeout error. */
  description: string
  signal?: AbortSignal
}

/**
 * Polls `check` until it returns true or the deadline passes. Returns the
 * elapsed time in ms; throws WaitTimeoutError with the last detail otherwise.
 */
export async function waitFor(
  check: () => Promise<boolean | { done: boolean; detail?: string }>,
  init: WaitInit,
): Promise<number> {
  const started = performance.now()
  const deadline = started + init.timeoutMs
  let detail = ''
  for (;;) {
    init.signal?.throwIfAborted()
    const result = await check()
    const done = typeof result === 'boolean' ? result : result.done
    if (typeof result !== 'boolean' && result.detail !== undefined) detail = result.detail
    if (done) return performance.now() - started
    if (performance.now() >= deadline) {
      throw new WaitTimeoutError(
        `timed out after ${init.timeoutMs} ms waiting for ${init.description}${detail === '' ? '' : ` (${detail})`}`,
      )
    }
    await delay(init.intervalMs ?? 200, undefined, { signal: init.signal })
  }
}
