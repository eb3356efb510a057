import { MessageType, type QueueItem, type QueueOp, type QueueResult } from '@ringdht/protocol'
import { errorFromWire, PeerUnreachableError } from '../errors.js'
import { queueOp } from './queue-wire.js'

/** Sends a queue request routed to the queue's home (queue-api.ts's QueueCall). */
type Send = (
  type: MessageType,
  op: QueueOp,
  signal: AbortSignal | undefined,
) => Promise<QueueResult>

/** Most tasks, and payload bytes, one batched enqueue carries (the home takes up to 256). */
export const ENQUEUE_BATCH = { entries: 64, bytes: 256 * 1024 }

interface Pending {
  readonly item: QueueItem
  resolve(outcome: { taskId: number; duplicate: boolean }): void
  reject(err: unknown): void
}

/**
 * Enqueues of one queue made in the same tick, sent as one request: a producer with many
 * enqueues in flight sends them together (their answers come together too, so the next
 * ones are made together again). Each caller gets its own outcome; a lone enqueue is sent
 * as a plain one. A caller's signal only stops its own wait: the batch, once sent, may
 * still add its task, as an enqueue whose answer was lost may.
 */
export class EnqueueBatcher {
  readonly #send: Send
  readonly #waiting = new Map<string, Pending[]>()

  constructor(send: Send) {
    this.#send = send
  }

  enqueue(
    queue: string,
    item: QueueItem,
    signal: AbortSignal | undefined,
  ): Promise<{ taskId: number; duplicate: boolean }> {
    signal?.throwIfAborted()
    const answer = new Promise<{ taskId: number; duplicate: boolean }>((resolve, reject) => {
      let waiting = this.#waiting.get(queue)
      if (waiting === undefined) {
        waiting = []
        this.#waiting.set(queue, waiting)
        // after the promise jobs that are making more enqueues right now
        process.nextTick(() => this.#flush(queue))
      }
      waiting.push({ item, resolve, reject })
    })
    if (signal === undefined) return answer
    return new Promise((resolve, reject) => {
      const stop = () => reject(signal.reason)
      signal.addEventListener('abort', stop, { once: true })
      answer.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop))
    })
  }

  #flush(queue: string): void {
    const all = this.#waiting.get(queue) ?? []
    this.#waiting.delete(queue)
    let start = 0
    while (start < all.length) {
      let end = start
      let bytes = 0
      while (
        end < all.length &&
        end - start < ENQUEUE_BATCH.entries &&
        (end === start || bytes + (all[end]?.item.payload.byteLength ?? 0) <= ENQUEUE_BATCH.bytes)
      ) {
        bytes += all[end]?.item.payload.byteLength ?? 0
        end++
      }
      void this.#sendGroup(queue, all.slice(start, end))
      start = end
    }
  }

  async #sendGroup(queue: string, group: readonly Pending[]): Promise<void> {
    try {
      const only = group.length === 1 ? group[0] : undefined
      if (only !== undefined) {
        const result = await this.#send(
          MessageType.QUEUE_ENQUEUE,
          queueOp({ queue, ...only.item }),
          undefined,
        )
        only.resolve({ taskId: Number(result.taskId), duplicate: result.duplicate })
        return
      }
      const op = queueOp({ queue, items: group.map((p) => p.item) })
      const result = await this.#send(MessageType.QUEUE_ENQUEUE, op, undefined)
      group.forEach((pending, i) => {
        const outcome = result.enqueued[i]
        if (outcome === undefined) {
          pending.reject(new PeerUnreachableError('the queue home did not answer for every task'))
        } else if (outcome.error !== 0) {
          pending.reject(errorFromWire(outcome.error, outcome.message))
        } else {
          pending.resolve({ taskId: Number(outcome.taskId), duplicate: outcome.duplicate })
        }
      })
    } catch (err) {
      for (const pending of group) pending.reject(err)
    }
  }
}
