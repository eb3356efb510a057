import type { ClientFlags } from '../../client.js'
import { withClient } from '../../client.js'
import { textBytes } from '../../io.js'
import { positiveIntegerFlag, runWhileHeld } from '../hold.js'

export interface LockFlags extends ClientFlags {
  ttl?: string
}

/** The lease of `ringdht lock` when --ttl is not given, ms. */
export const DEFAULT_LOCK_TTL_MS = 10_000

/**
 * `ringdht lock NAME -- CMD ARGS...`: wait for the lock, run CMD holding it (renewing the
 * lease) with the fencing token in RINGDHT_LOCK_TOKEN, then release it. Exits with CMD's
 * code; 4 when the lock was lost while CMD ran (CMD gets SIGTERM).
 */
export async function lockHandler(
  name: string,
  command: string[],
  flags: LockFlags,
): Promise<void> {
  const ttlMs =
    flags.ttl === undefined ? DEFAULT_LOCK_TTL_MS : positiveIntegerFlag('--ttl', flags.ttl)
  const code = await withClient(
    flags,
    async (client) => {
      const lock = await client.lock(textBytes(name), { ttlMs })
      try {
        return await runWhileHeld(
          command,
          { RINGDHT_LOCK_NAME: name, RINGDHT_LOCK_TOKEN: String(lock.token) },
          lock,
          `the lock ${name}`,
        )
      } finally {
        await lock.unlock().catch(() => {})
      }
    },
    // waiting for the lock and running the command take as long as they take
    { taskDeadlineMs: Number.POSITIVE_INFINITY },
  )
  process.exitCode = code
}
