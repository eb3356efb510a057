/** The commands every messaging client process answers over the bench's IPC. */
import { type KillCaseArgs, KillStream } from './kill-stream.js'
import {
  type LatencyCaseArgs,
  latencyCase,
  type PubSubBackend,
  type ThroughputCaseArgs,
  throughputCase,
} from './pubsub-workload.js'

export function pubSubCommands(backend: PubSubBackend) {
  let kill: KillStream | undefined
  const current = () => {
    if (kill === undefined) throw new Error('no kill case started')
    return kill
  }
  return {
    latency: (args: LatencyCaseArgs) => latencyCase(backend, args),
    throughput: (args: ThroughputCaseArgs) => throughputCase(backend, args),
    'kill-start': async (args: KillCaseArgs) => {
      kill = new KillStream(backend, args)
      await kill.start()
      return true
    },
    'kill-progress': async () => current().progress(),
    'kill-finish': async (args: { waitMs: number }) => {
      const result = await current().finish(args.waitMs)
      kill = undefined
      return result
    },
  }
}
