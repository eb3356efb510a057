import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ErrorCode, MessageType, type QueueOp, type QueueResult } from '@ringdht/protocol'
import { ValueTooLargeError } from '../../src/errors.js'
import { ENQUEUE_BATCH, EnqueueBatcher } from '../../src/tasks/enqueue-batcher.js'
import { queueResult } from '../../src/tasks/queue-wire.js'

const item = (text: string) => ({
  payload: new TextEncoder().encode(text),
  delayMs: 0n,
  priority: 0,
})

/** A home that numbers tasks in order and refuses payloads named "bad". */
function fakeHome() {
  const requests: QueueOp[] = []
  let next = 1
  const send = async (type: MessageType, op: QueueOp): Promise<QueueResult> => {
    assert.equal(type, MessageType.QUEUE_ENQUEUE)
    requests.push(op)
    if (op.items.length === 0) return queueResult({ taskId: BigInt(next++) })
    return queueResult({
      enqueued: op.items.map((i) =>
        new TextDecoder().decode(i.payload) === 'bad'
          ? { taskId: 0n, duplicate: false, error: ErrorCode.VALUE_TOO_LARGE, message: 'too big' }
          : { taskId: BigInt(next++), duplicate: false, error: 0, message: '' },
      ),
    })
  }
  return { send, requests }
}

describe('EnqueueBatcher', () => {
  it('sends the enqueues of one tick as one request, each caller with its own outcome, in order', async () => {
    const home = fakeHome()
    const batcher = new EnqueueBatcher(home.send)
    const answers = ['a', 'bad', 'c'].map((t) => batcher.enqueue('q', item(t), undefined))
    const [a, bad, c] = await Promise.allSettled(answers)
    assert.equal(home.requests.length, 1)
    assert.equal(home.requests[0]?.items.length, 3)
    assert.deepEqual(a, { status: 'fulfilled', value: { taskId: 1, duplicate: false } })
    assert.equal(bad?.status, 'rejected')
    assert.ok(bad?.status === 'rejected' && bad.reason instanceof ValueTooLargeError)
    assert.deepEqual(c, { status: 'fulfilled', value: { taskId: 2, duplicate: false } })
  })

  it('sends a lone enqueue as a plain one, and other queues apart', async () => {
    const home = fakeHome()
    const batcher = new EnqueueBatcher(home.send)
    await Promise.all([
      batcher.enqueue('q', item('x'), undefined),
      batcher.enqueue('r', item('y'), undefined),
    ])
    assert.equal(home.requests.length, 2)
    for (const op of home.requests) assert.equal(op.items.length, 0)
    assert.deepEqual(
      home.requests.map((op) => op.queue),
      ['q', 'r'],
    )
  })

  it('splits a tick at the batch limit', async () => {
    const home = fakeHome()
    const batcher = new EnqueueBatcher(home.send)
    const count = ENQUEUE_BATCH.entries + 1
    const ids = await Promise.all(
      Array.from({ length: count }, (_, i) => batcher.enqueue('q', item(`t${i}`), undefined)),
    )
    assert.deepEqual(
      home.requests.map((op) => op.items.length),
      [ENQUEUE_BATCH.entries, 0],
    )
    assert.deepEqual(
      ids.map((r) => r.taskId),
      Array.from({ length: count }, (_, i) => i + 1),
    )
  })

  it('stops a caller whose signal aborts, without the others', async () => {
    const home = fakeHome()
    const batcher = new EnqueueBatcher(home.send)
    const controller = new AbortController()
    const stopped = batcher.enqueue('q', item('a'), controller.signal)
    const kept = batcher.enqueue('q', item('b'), undefined)
    controller.abort(new Error('gave up'))
    await assert.rejects(stopped, /gave up/)
    assert.deepEqual(await kept, { taskId: 2, duplicate: false })
  })
})
