import assert from 'node:assert/strict'
import { Socket } from 'node:net'
import { after, before, describe, it } from 'node:test'
import type { Libp2p } from 'libp2p'
import { cheapIncompleteLength } from '../../src/core/frame-writes.js'
import { createNode } from '../../src/core/libp2p-node.js'

const ECHO = '/ringdht-test/echo/1'
/** A Noise frame: 2 length bytes, at least one byte of ciphertext, a 16-byte tag. */
const SMALLEST_FRAME = 2 + 1 + 16

describe('libp2p connections write each Noise frame whole', () => {
  let a: Libp2p | undefined
  let b: Libp2p | undefined
  const options = {
    listen: ['/ip4/127.0.0.1/tcp/0'],
    psk: undefined,
    maxStreamBufferBytes: 1 << 20,
  }

  before(async () => {
    a = await createNode({ ...options, muxer: 'mplex' })
    b = await createNode({ ...options, muxer: 'mplex' })
    await b.handle(ECHO, (stream) => {
      stream.addEventListener('message', (event) => stream.send(event.data))
    })
  })
  after(async () => {
    await a?.stop()
    await b?.stop()
  })

  it('sends a message as one socket write, and it arrives intact', async () => {
    assert.ok(a && b)
    const stream = await a.dialProtocol(b.getMultiaddrs(), ECHO)
    const writes: number[] = []
    const write = Socket.prototype.write
    Socket.prototype.write = function (this: Socket, chunk: Uint8Array, ...rest: unknown[]) {
      writes.push(chunk.byteLength)
      return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest)
    } as typeof write
    try {
      for (let i = 0; i < 20; i++) {
        const message = `message ${i}`
        const echoed = new Promise<string>((resolve) =>
          stream.addEventListener(
            'message',
            (event) => resolve(new TextDecoder().decode(event.data.subarray())),
            { once: true },
          ),
        )
        stream.send(new TextEncoder().encode(message))
        assert.equal(await echoed, message)
      }
    } finally {
      Socket.prototype.write = write
    }
    assert.ok(writes.length >= 40, `${writes.length} writes seen`)
    assert.deepEqual(
      writes.filter((bytes) => bytes < SMALLEST_FRAME),
      [],
      'no length prefix written apart from its frame',
    )
    await stream.close()
  })

  it('carries messages of many frames, split anywhere by TCP, intact', async () => {
    assert.ok(a && b)
    const stream = await a.dialProtocol(b.getMultiaddrs(), ECHO)
    for (const size of [1, 2, 3, 65_535, 65_536, 300_001]) {
      const sent = new Uint8Array(size).map((_, i) => (i * 31 + size) & 0xff)
      const received: Uint8Array[] = []
      let got = 0
      const done = new Promise<void>((resolve) => {
        const onMessage = (event: { data: { subarray(): Uint8Array } }): void => {
          const chunk = event.data.subarray()
          received.push(chunk)
          got += chunk.byteLength
          if (got >= size) {
            stream.removeEventListener('message', onMessage)
            resolve()
          }
        }
        stream.addEventListener('message', onMessage)
      })
      stream.send(sent)
      await done
      assert.deepEqual(Buffer.concat(received), Buffer.from(sent), `message of ${size} bytes`)
    }
    await stream.close()
  })
})

describe('cheapIncompleteLength', () => {
  it('answers the largest allowed length, without throwing, while fewer than 2 bytes are in', () => {
    const decoder = {
      maxDataLength: 1000,
      lengthDecoder: (data: { length: number }) => data.length * 7,
    }
    cheapIncompleteLength({ decoder })
    assert.equal(decoder.lengthDecoder({ length: 0 }), 1000)
    assert.equal(decoder.lengthDecoder({ length: 1 }), 1000)
    assert.equal(decoder.lengthDecoder({ length: 2 }), 14, 'complete lengths decoded as before')
  })

  it('throws a RangeError, as the decoder expects, when it has no maxDataLength', () => {
    const decoder = { lengthDecoder: (data: { length: number }) => data.length }
    cheapIncompleteLength({ decoder })
    assert.throws(() => decoder.lengthDecoder({ length: 1 }), RangeError)
    assert.equal(decoder.lengthDecoder({ length: 5 }), 5)
  })
})
