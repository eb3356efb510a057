/**
 * The commands both queue client processes answer, over the bench's IPC: one case
 * (throughput, latency or the policies), and the broker-kill case in three steps so the
 * driver can kill the broker between them.
 */
import { KillCase, type KillCaseArgs } from './kill-case.js'
import { type QueueBackend, type QueueCaseArgs, runQueueCase } from './queue-workload.js'

export function queueClientCommands(backend: QueueBackend) {
  let killCase: KillCase | undefined
  const current = () => {
    if (killCase === undefined) throw new Error('no kill case started')
    return killCase
  }
  return {
    case: (args: QueueCaseArgs) => runQueueCase(backend, args),
    'kill-start': async (args: KillCaseArgs) => {
      killCase = new KillCase(backend, args)
      await killCase.start()
      return true
    },
    'kill-progress': async () => current().progress(),
    'kill-finish': async (args: { waitMs: number }) => {
      const result = await current().finish(args.waitMs)
      killCase = undefined
      return result
    },
  }
}
