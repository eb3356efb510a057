import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import {
  decodeRequest,
  decodeResponse,
  ErrorCode,
  encodeFrame,
  encodeRequest,
  encodeResponse,
  errorCodeName,
  FrameDecoder,
  MessageType,
} from '../src/index.js'

describe('framing', () => {
  it('reassembles frames split at any byte boundary', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 8 }),
        fc.nat(),
        (payloads, seed) => {
          const wire = Buffer.concat(payloads.map((p) => encodeFrame(p).subarray()))
          const decoder = new FrameDecoder(1024)
          const out: Uint8Array[] = []
          let offset = 0
          let step = (seed % 7) + 1
          while (offset < wire.byteLength) {
            const result = decoder.push(wire.subarray(offset, offset + step))
            assert.ok(result.ok)
            for (const frame of result.frames) out.push(frame.subarray())
            offset += step
            step = (step * 3) % 11 || 1
          }
          assert.deepEqual(
            out.map((b) => Buffer.from(b).toString('hex')),
            payloads.map((b) => Buffer.from(b).toString('hex')),
          )
          assert.equal(decoder.bufferedBytes, 0)
        },
      ),
    )
  })

  it('reports a frame over the limit and a malformed prefix without throwing', () => {
    const tooLarge = new FrameDecoder(10).push(encodeFrame(new Uint8Array(11)))
    assert.deepEqual(tooLarge.ok ? undefined : tooLarge.failure, 'frame-too-large')
    const badPrefix = new FrameDecoder(10).push(
      Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
    )
    assert.deepEqual(badPrefix.ok ? undefined : badPrefix.failure, 'bad-length-prefix')
  })
})

describe('codec', () => {
  it('decoding arbitrary bytes never throws', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        decodeRequest(bytes)
        decodeResponse(bytes)
      }),
      { numRuns: 2000 },
    )
  })

  it('round-trips ring ids above 2^63 in fixed64 fields as unsigned', () => {
    const big = (1n << 64n) - 5n
    const request = decodeRequest(
      encodeRequest({
        id: 1,
        type: MessageType.TRANSFER,
        rangeStart: big,
        rangeEnd: 3n,
        version: { timestamp: 5n, writer: big },
      }),
    )
    assert.ok(request.ok)
    assert.equal(request.message.rangeStart, big)
    assert.equal(request.message.version?.writer, big)
    const response = decodeResponse(
      encodeResponse({
        id: 2,
        records: [{ key: new Uint8Array([1]), version: { timestamp: 1n, writer: big } }],
      }),
    )
    assert.ok(response.ok)
    assert.equal(response.message.records[0]?.version?.writer, big)
  })

  it('every error code has a distinct number and a name', () => {
    const numbers = Object.values(ErrorCode)
    assert.equal(new Set(numbers).size, numbers.length)
    for (const [name, value] of Object.entries(ErrorCode)) assert.equal(errorCodeName(value), name)
    assert.equal(errorCodeName(9999), undefined)
  })
})

describe('replication messages', () => {
  it('keep 64-bit digest bounds and record writers unsigned', () => {
    const high = 0xffff_ffff_ffff_fff0n
    const response = decodeResponse(
      encodeResponse({
        id: 3,
        digests: [{ start: high, end: 5n, count: 7n, hash: 'ab' }],
        applied: 2,
      }),
    )
    assert.ok(response.ok)
    assert.equal(response.message.digests[0]?.start, high)
    assert.equal(response.message.applied, 2)
    const request = decodeRequest(
      encodeRequest({
        id: 4,
        type: MessageType.STORE_BATCH,
        records: [{ key: new Uint8Array([1]), version: { timestamp: 9n, writer: high } }],
        buckets: 64,
      }),
    )
    assert.ok(request.ok)
    assert.equal(request.message.records[0]?.version?.writer, high)
    assert.equal(request.message.buckets, 64)
  })
})
