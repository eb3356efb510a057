import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Libp2p, Stream } from '@libp2p/interface'
import {
  decodeResponse,
  ErrorCode,
  encodeFrame,
  encodeRequest,
  FrameDecoder,
  MessageType,
  PROTOCOLS,
  type Request,
  type Response,
  RPC_PROTOCOL,
} from '@ringdht/protocol'
import { ringIdOf } from '@ringdht/ring'
import fc from 'fast-check'
import { createNode } from '../src/core/libp2p-node.js'
import {
  createClient,
  type GetResult,
  HopLimitExceededError,
  InvalidInputError,
  KeyTooLargeError,
  type RingPeer,
  ValueTooLargeError,
} from '../src/index.js'
import { createTestRing, type TestRing } from '../src/testing.js'
import { text } from './helpers.js'

const FRAME_TIMEOUT_MS = 300
const MAX_VALUE = 4096

interface RawStream {
  stream: Stream
  responses: Response[]
  closed: Promise<void>
  next(timeoutMs?: number): Promise<Response>
}

async function openRaw(node: Libp2p, peer: RingPeer, protocol: string): Promise<RawStream> {
  const stream = await node.dialProtocol(peer.getMultiaddrs(), protocol)
  const responses: Response[] = []
  const waiters: Array<() => void> = []
  const decoder = new FrameDecoder(8 * 1024 * 1024)
  stream.addEventListener('message', (event) => {
    const result = decoder.push(event.data)
    if (!result.ok) return
    for (const frame of result.frames) {
      const decoded = decodeResponse(frame)
      if (decoded.ok) responses.push(decoded.message)
    }
    for (const wake of waiters.splice(0)) wake()
  })
  const closed = new Promise<void>((resolve) => {
    stream.addEventListener('close', () => {
      resolve()
      for (const wake of waiters.splice(0)) wake()
    })
  })
  let read = 0
  return {
    stream,
    responses,
    closed,
    async next(timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs
      while (responses.length <= read) {
        if (stream.status !== 'open' && responses.length <= read)
          throw new Error('stream closed without an answer')
        if (Date.now() > deadline) throw new Error('no answer in time')
        await new Promise<void>((resolve) => {
          waiters.push(resolve)
          setTimeout(resolve, 50)
        })
      }
      return responses[read++] as Response
    },
  }
}

async function closedWithin(raw: RawStream, ms: number, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: stream still open after ${ms} ms`)), ms)
  })
  try {
    await Promise.race([raw.closed, timeout])
  } finally {
    clearTimeout(timer)
  }
}

function request(fields: Partial<Request>): Uint8Array {
  return encodeFrame(encodeRequest({ maxHops: 32, ...fields })).subarray()
}

describe('bad input', () => {
  let ring: TestRing | undefined
  let attacker: Libp2p | undefined

  before(async () => {
    ring = await createTestRing(4, {
      limits: { maxValueBytes: MAX_VALUE },
      timers: { frameTimeoutMs: FRAME_TIMEOUT_MS },
    })
    for (let i = 0; i < 100; i++) await ring.peers[i % 4]?.put(`keep-${i}`, `value-${i}`)
    attacker = await createNode({
      listen: [],
      psk: undefined,
      muxer: 'mplex',
      maxStreamBufferBytes: 8 << 20,
    })
  })

  after(async () => {
    await attacker?.stop()
    await ring?.stop()
  })

  async function assertDataIntact(): Promise<void> {
    assert.ok(ring)
    for (let i = 0; i < 100; i++) {
      const reader = ring.peers[(i + 1) % 4] as RingPeer
      const found: GetResult | undefined = await reader.get(`keep-${i}`)
      assert.equal(text(found?.value), `value-${i}`, `keep-${i}`)
    }
  }

  it('random and truncated bytes on every protocol leave the peer serving and the data intact', async () => {
    assert.ok(ring && attacker)
    const target = ring.peers[1] as RingPeer
    const node = attacker
    const validFrames = [
      request({ id: 1, type: MessageType.GET, key: new TextEncoder().encode('keep-1') }),
      request({
        id: 2,
        type: MessageType.PUT,
        key: new TextEncoder().encode('fuzz'),
        value: new Uint8Array(10),
      }),
      request({ id: 3, type: MessageType.TRANSFER, rangeStart: 1n, rangeEnd: 5n, limit: 3 }),
      request({ id: 4, type: MessageType.STATUS }),
    ]
    const frames = fc.oneof(
      fc.uint8Array({ maxLength: 512 }),
      fc
        .tuple(fc.constantFrom(...validFrames), fc.nat())
        .map(([frame, cut]) => frame.subarray(0, cut % Math.max(1, frame.byteLength))),
      fc
        .tuple(fc.constantFrom(...validFrames), fc.uint8Array({ minLength: 1, maxLength: 64 }))
        .map(([frame, junk]) => {
          const out = new Uint8Array(frame.byteLength + junk.byteLength)
          out.set(frame)
          out.set(junk, frame.byteLength)
          return out
        }),
    )
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PROTOCOLS), frames, async (protocol, bytes) => {
        const raw = await openRaw(node, target, protocol)
        try {
          if (bytes.byteLength > 0) raw.stream.send(bytes)
          await raw.stream.close()
          await closedWithin(raw, 3000, 'fuzzed stream')
        } finally {
          raw.stream.abort(new Error('done'))
        }
      }),
      { numRuns: 150 },
    )
    const status = await target.status()
    assert.ok(status.counters.requests !== undefined)
    await assertDataIntact()
  })

  it('an oversized frame is refused with FRAME_TOO_LARGE and the stream closed', async () => {
    assert.ok(ring && attacker)
    const raw = await openRaw(attacker, ring.peers[0] as RingPeer, RPC_PROTOCOL)
    // varint length prefix of 64 MiB, then a few bytes
    raw.stream.send(Uint8Array.from([0x80, 0x80, 0x80, 0x20, 1, 2, 3]))
    const answer = await raw.next()
    assert.equal(answer.error, ErrorCode.FRAME_TOO_LARGE)
    await closedWithin(raw, 3000, 'oversized frame')
    await assertDataIntact()
  })

  it('a frame that is not a Request gets MALFORMED_MESSAGE; the stream stays usable', async () => {
    assert.ok(ring && attacker)
    const raw = await openRaw(attacker, ring.peers[0] as RingPeer, RPC_PROTOCOL)
    try {
      raw.stream.send(encodeFrame(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff])))
      assert.equal((await raw.next()).error, ErrorCode.MALFORMED_MESSAGE)
      raw.stream.send(request({ id: 7, type: MessageType.PING }))
      const pong = await raw.next()
      assert.equal(pong.id, 7)
      assert.equal(pong.error, 0)
    } finally {
      raw.stream.abort(new Error('done'))
    }
  })

  it('an unknown message type gets UNKNOWN_REQUEST_TYPE', async () => {
    assert.ok(ring && attacker)
    const raw = await openRaw(attacker, ring.peers[0] as RingPeer, RPC_PROTOCOL)
    try {
      raw.stream.send(request({ id: 9, type: 999 }))
      const answer = await raw.next()
      assert.equal(answer.id, 9)
      assert.equal(answer.error, ErrorCode.UNKNOWN_REQUEST_TYPE)
    } finally {
      raw.stream.abort(new Error('done'))
    }
  })

  it('keys and values over the limits fail with typed errors, locally and over the wire', async () => {
    assert.ok(ring)
    const peer = ring.peers[0] as RingPeer
    await assert.rejects(peer.put(new Uint8Array(1025), 'v'), KeyTooLargeError)
    await assert.rejects(peer.get(new Uint8Array(1025)), KeyTooLargeError)
    await assert.rejects(peer.put('k', new Uint8Array(MAX_VALUE + 1)), ValueTooLargeError)
    await assert.rejects(peer.put('', 'v'), InvalidInputError)
    // a client does not know the ring's limits: the member answers with the wire code
    const client = await createClient({ peer: String(peer.getMultiaddrs()[0]) })
    try {
      await assert.rejects(client.put('k', new Uint8Array(MAX_VALUE + 1)), ValueTooLargeError)
      await assert.rejects(client.get(new Uint8Array(2000)), KeyTooLargeError)
    } finally {
      await client.close()
    }
    await assertDataIntact()
  })

  it('a request already at its hop limit fails with HOP_LIMIT_EXCEEDED', async () => {
    assert.ok(ring && attacker)
    const peer = ring.peers[0] as RingPeer
    const status = await peer.status()
    // a key this peer does not own, so it would have to forward it
    let key = 'x'
    for (let i = 0; ; i++) {
      key = `not-mine-${i}`
      const position = ringIdOf(key)
      const start = BigInt(`0x${status.range.start}`)
      const inRange =
        ((position - start) & ((1n << 64n) - 1n)) <= ((peer.ringId - start) & ((1n << 64n) - 1n))
      if (!inRange) break
    }
    const raw = await openRaw(attacker, peer, RPC_PROTOCOL)
    try {
      raw.stream.send(
        request({
          id: 11,
          type: MessageType.GET,
          key: new TextEncoder().encode(key),
          hops: 32,
          maxHops: 32,
        }),
      )
      const answer = await raw.next()
      assert.equal(answer.error, ErrorCode.HOP_LIMIT_EXCEEDED)
    } finally {
      raw.stream.abort(new Error('done'))
    }
    const client = await createClient({ peer: String(peer.getMultiaddrs()[0]), maxHops: 0 })
    try {
      await assert.rejects(client.get(key), HopLimitExceededError)
    } finally {
      await client.close()
    }
  })

  it('a peer that stalls mid-frame is cut off after the frame timeout', async () => {
    assert.ok(ring && attacker)
    const raw = await openRaw(attacker, ring.peers[2] as RingPeer, RPC_PROTOCOL)
    const started = Date.now()
    // announces a 100-byte frame, sends 10 bytes, then nothing
    raw.stream.send(Uint8Array.from([100, ...new Array(10).fill(1)]))
    await closedWithin(raw, FRAME_TIMEOUT_MS + 3000, 'stalled stream')
    assert.ok(Date.now() - started >= FRAME_TIMEOUT_MS - 50, 'closed before the frame timeout')
    await assertDataIntact()
  })
})
