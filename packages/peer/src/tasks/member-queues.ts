import type { PeerInfo } from '@ringdht/protocol'
import { MessageType, requestWithDefaults } from '@ringdht/protocol'
import type { CapabilityContext } from '../core/capability.js'
import { errorFromWire, PeerUnreachableError } from '../errors.js'
import { Queues } from './queue-api.js'
import { queueOp } from './queue-wire.js'
import { queueKey, type TasksCapability } from './tasks-capability.js'
import { localWorkerChannel, remoteWorkerChannel } from './worker-channels.js'

/**
 * The queue API of a member: requests go through its own tasks capability (which routes
 * them to the home), and its workers reach the home over the tasks protocol, or in
 * process when this member is the home. Its workers close when the member stops.
 */
export function memberQueues(tasks: TasksCapability, context: CapabilityContext): Queues {
  const { config, logger } = context
  const queues = new Queues(
    async (type, op, signal) => {
      const request = requestWithDefaults({
        type,
        key: queueKey(op.queue) as Uint8Array<ArrayBuffer>,
        queueOp: op,
        maxHops: config.limits.maxHops,
      })
      const response = await tasks.serve(request, signal ?? context.lifetime)
      if (response.error !== undefined && response.error !== 0) {
        throw errorFromWire(response.error, response.message ?? '')
      }
      if (response.queueResult === undefined) {
        throw new PeerUnreachableError('the queue home sent no result')
      }
      return response.queueResult
    },
    {
      requestTimeoutMs: config.timers.requestTimeoutMs,
      logger,
      locate: async (queue, signal): Promise<PeerInfo> => {
        const request = requestWithDefaults({
          type: MessageType.QUEUE_STATS,
          key: queueKey(queue) as Uint8Array<ArrayBuffer>,
          queueOp: queueOp({ queue }),
          maxHops: config.limits.maxHops,
        })
        const response = await tasks.serve(request, signal)
        if (response.error !== undefined && response.error !== 0) {
          throw errorFromWire(response.error, response.message ?? '')
        }
        const home = response.queueResult?.home
        if (home === undefined)
          throw new PeerUnreachableError('the queue home did not say who it is')
        return home
      },
      connect: (home) =>
        home.peerId === context.self.key
          ? localWorkerChannel((request, c) => tasks.serveWorker(request, c), context.self.peerId)
          : remoteWorkerChannel(context.libp2p, home, {
              logger,
              maxFrameBytes: config.limits.maxFrameBytes,
              timeoutMs: config.timers.requestTimeoutMs,
            }),
    },
  )
  context.lifetime.addEventListener('abort', () => queues.close(), { once: true })
  return queues
}
