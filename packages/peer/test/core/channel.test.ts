import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Stream } from '@libp2p/interface'
import {
  decodeRequest,
  encodeFrame,
  encodeResponse,
  FrameDecoder,
  MessageType,
} from '@ringdht/protocol'
import { RpcChannel } from '../../src/core/rpc/channel.js'
import { RequestTimeoutError } from '../../src/errors.js'
import { silent } from '../stubs.js'

/** Stop this process's event loop for `ms`, as SIGSTOP would (timers come due meanwhile). */
function stall(ms: number): void {
  const until = performance.now() + ms
  while (performance.now() < until) {}
}

/**
 * A stream whose remote end answers each request (unless `answers` is false): the answer
 * arrives as a 'message' event from outside the timers (setImmediate), like socket data.
 */
function answeringStream(onSend: () => void, answers = true): Stream {
  const stream = new EventTarget() as EventTarget & Partial<Stream>
  const decoder = new FrameDecoder(1 << 20)
  stream.send = (frame) => {
    onSend()
    const result = decoder.push(frame)
    assert.ok(result.ok)
    for (const bytes of result.frames) {
      const request = decodeRequest(bytes)
      assert.ok(request.ok)
      if (!answers) continue
      const answer = encodeFrame(encodeResponse({ id: request.message.id }))
      setImmediate(() => {
        const event = new Event('message') as Event & { data: unknown }
        event.data = answer
        stream.dispatchEvent(event)
      })
    }
    return true
  }
  stream.abort = () => {}
  return stream as Stream
}

function channelOver(stream: Stream): RpcChannel {
  return new RpcChannel(
    { openStream: async () => stream, logger: silent },
    { maxInFlight: 4, maxFrameBytes: 1 << 20, idleStreamMs: 60_000, openTimeoutMs: 1_000 },
  )
}

describe('RpcChannel', () => {
  it('takes an answer that came in while this process was stopped past the timeout', async () => {
    // the answer is there when the process resumes, but the overdue timeout runs first
    const channel = channelOver(answeringStream(() => stall(600)))
    const response = await channel.request({}, { timeoutMs: 100 })
    assert.equal(response.error, 0)
  })

  it('still times out when no answer comes, paused or not', async () => {
    const paused = channelOver(answeringStream(() => stall(600), false))
    await assert.rejects(paused.request({}, { timeoutMs: 100 }), RequestTimeoutError)
    const running = channelOver(answeringStream(() => {}, false))
    const started = performance.now()
    await assert.rejects(running.request({}, { timeoutMs: 100 }), RequestTimeoutError)
    assert.ok(performance.now() - started < 1_000, 'an ordinary timeout gets no grace')
  })

  // partition-4-4: a put that timed out reached its owner after the heal and was applied
  // over the caller's later writes; the reset behind it lets the owner drop it
  it('resets its stream when an owner write times out, not when a get or a replica copy does', async () => {
    const aborts: string[] = []
    const silentStream = (name: string) => {
      const stream = answeringStream(() => {}, false)
      stream.abort = () => {
        aborts.push(name)
      }
      return stream
    }
    const get = channelOver(silentStream('get'))
    await assert.rejects(
      get.request({ type: MessageType.GET }, { timeoutMs: 20 }),
      RequestTimeoutError,
    )
    const copy = channelOver(silentStream('copy'))
    await assert.rejects(
      copy.request({ type: MessageType.PUT, local: true }, { timeoutMs: 20 }),
      RequestTimeoutError,
    )
    const put = channelOver(silentStream('put'))
    await assert.rejects(
      put.request({ type: MessageType.PUT }, { timeoutMs: 20 }),
      RequestTimeoutError,
    )
    const del = channelOver(silentStream('delete'))
    await assert.rejects(
      del.request({ type: MessageType.DELETE }, { timeoutMs: 20 }),
      RequestTimeoutError,
    )
    assert.deepEqual(aborts, ['put', 'delete'])
  })
})
