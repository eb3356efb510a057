import type { Libp2p } from '@libp2p/interface'
import { MessageType, type Request, type Response } from '@ringdht/protocol'
import type { Logger } from 'pino'
import { Coordination } from '../coordination/coordination-api.js'
import { PeerUnreachableError } from '../errors.js'
import { logKey } from '../homes/log-keys.js'
import { Topics } from '../messaging/topics-api.js'
import { TOPIC_SPACE } from '../messaging/topics-capability.js'
import { Watches } from '../messaging/watches-api.js'
import type { OperationOptions } from '../operations.js'
import { Queues } from '../tasks/queue-api.js'
import { queueOp } from '../tasks/queue-wire.js'
import { queueKey } from '../tasks/tasks-capability.js'
import { remoteWorkerChannel } from '../tasks/worker-channels.js'

/** Sends a request routed by its key (owner-direct when the client has a view). */
export type KeyCall = (request: Partial<Request>, options: OperationOptions) => Promise<Response>

/** The APIs a client shares with a member (coordination, topics, watches, queues), over the wire. */
export interface ClientApis {
  readonly coordination: Coordination
  readonly topics: Topics
  readonly watches: Watches
  readonly queues: Queues
}

/**
 * The same API objects a member hands off to, each fed by requests routed to the key's
 * owner (the register's, the topic log's home, the watched key's owner, the queue's home).
 */
export function clientApis(
  keyCall: KeyCall,
  dialledCall: KeyCall,
  libp2p: Pick<Libp2p, 'dialProtocol'>,
  options: { timeoutMs: number; maxFrameBytes: number; logger: Logger },
  closed: AbortSignal,
): ClientApis {
  const call = async <T>(
    request: Partial<Request>,
    signal: AbortSignal | undefined,
    answer: (response: Response) => T | undefined,
    who: string,
  ): Promise<T> => {
    const response = await keyCall(request, signal === undefined ? {} : { signal })
    const result = answer(response)
    if (result === undefined) throw new PeerUnreachableError(`${who} sent no result`)
    return result
  }
  const coordination = new Coordination((key, op, signal) =>
    call(
      { type: MessageType.REGISTER, key: key as Uint8Array<ArrayBuffer>, registerOp: op },
      signal,
      (r) => r.registerResult,
      'the key owner',
    ),
  )
  const topics = new Topics(async (type, op, signal) => {
    const request = {
      type,
      // routed by the topic log's position, straight to its home with direct routing
      key: logKey({ space: TOPIC_SPACE, name: op.topic }) as Uint8Array<ArrayBuffer>,
      topicOp: op,
    }
    // over the fan-out threshold, a subscriber reads through the member it dialled
    const response = op.viaRelay
      ? await dialledCall(request, signal === undefined ? {} : { signal })
      : await keyCall(request, signal === undefined ? {} : { signal })
    if (response.topicResult === undefined) {
      throw new PeerUnreachableError(`the topic ${op.viaRelay ? 'relay' : 'home'} sent no result`)
    }
    return response.topicResult
  }, closed)
  const watches = new Watches(
    (op, signal) =>
      call(
        // routed by the key itself: its watch log's home is the key's owner
        { type: MessageType.WATCH_READ, key: op.topic as Uint8Array<ArrayBuffer>, topicOp: op },
        signal,
        (r) => r.topicResult,
        'the key owner',
      ),
    closed,
  )
  const queueCall = (request: Partial<Request>, signal: AbortSignal | undefined) =>
    call(request, signal, (r) => r.queueResult, 'the queue home')
  const keyed = (queue: string) => queueKey(queue) as Uint8Array<ArrayBuffer>
  const queues = new Queues(
    (type, op, signal) => queueCall({ type, key: keyed(op.queue), queueOp: op }, signal),
    {
      requestTimeoutMs: options.timeoutMs,
      logger: options.logger,
      locate: async (queue, signal) => {
        const op = queueOp({ queue })
        const { home } = await queueCall(
          { type: MessageType.QUEUE_STATS, key: keyed(queue), queueOp: op },
          signal,
        )
        if (home === undefined)
          throw new PeerUnreachableError('the queue home did not say who it is')
        return home
      },
      connect: (home) =>
        remoteWorkerChannel(libp2p, home, {
          logger: options.logger,
          maxFrameBytes: options.maxFrameBytes,
          timeoutMs: options.timeoutMs,
        }),
    },
  )
  return { coordination, topics, watches, queues }
}
