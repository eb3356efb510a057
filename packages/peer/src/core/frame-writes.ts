import type { ConnectionEncrypter } from '@libp2p/interface'

/**
 * The part of libp2p's message streams this file relies on (AbstractMessageStream's
 * `sendData`, given a Uint8ArrayList, and Noise's `LengthPrefixedDecoder`); anything of
 * another shape is left as it is.
 */
interface ChunkList {
  readonly bufs: readonly Uint8Array[]
  readonly byteLength: number
  subarray(): Uint8Array
  consume(bytes: number): void
  append(chunk: Uint8Array): void
}

interface SendsData {
  sendData?: (data: ChunkList) => unknown
  /** The TCP transport's net.Socket (libp2p's TCPSocketMultiaddrConnection keeps it here). */
  socket?: { cork?: () => void; uncork?: () => void }
}

/**
 * A Noise frame is a 2-byte length and its ciphertext, handed to the transport as two
 * buffers; TCP (no Nagle) writes each on its own: two syscalls and two segments per
 * message, and two reads for the receiver. Merged, it is one of each. On loopback the
 * writes were the largest single CPU cost of a coordination round (~28 % of a daemon's
 * busy time in `writeBuffer`).
 */
export function writeFramesWhole(connection: unknown): void {
  const stream = connection as SendsData
  const sendData = stream.sendData
  if (typeof sendData !== 'function') return
  const corkTick = corkedUntilNextTick(stream.socket)
  stream.sendData = function (this: unknown, data: ChunkList) {
    corkTick?.()
    if (data.bufs.length > 1) {
      // the list is the stream's copy to hand on (it keeps its own for errors)
      const whole = data.subarray()
      data.consume(data.byteLength)
      data.append(whole)
    }
    return sendData.call(this, data)
  }
}

/**
 * Frames written in the same tick (accepts to several keys' replicas, answers to several
 * requests, other streams of the connection) leave in one writev: the socket is corked at
 * the first write and uncorked once the current work is done (process.nextTick runs after
 * the promise jobs that produced the writes). Each write was a syscall of its own, the
 * largest single cost of a daemon under load (`writeBuffer`, ~25 % of its busy time in the
 * coordination bench).
 */
function corkedUntilNextTick(socket: SendsData['socket']): (() => void) | undefined {
  if (typeof socket?.cork !== 'function' || typeof socket.uncork !== 'function') return undefined
  const target = socket as { cork: () => void; uncork: () => void }
  let corked = false
  const uncork = () => {
    corked = false
    target.uncork()
  }
  return () => {
    if (corked) return
    corked = true
    target.cork()
    process.nextTick(uncork)
  }
}

interface DecodesFrames {
  decoder?: {
    lengthDecoder?: (data: { length: number }) => number
    /** Lengths above this are refused by the decoder; this one is accepted and waited for. */
    maxDataLength?: number
  }
}

/** Thrown for "not enough bytes for a length yet" when the decoder has no `maxDataLength`. */
const LENGTH_INCOMPLETE = new RangeError('Could not decode int16BE')

/**
 * Noise's frame decoder asks for the next length after every frame and learns that the
 * buffer is empty from a thrown RangeError (with a stack trace each time: ~4 % of a
 * daemon's busy time; made once, still ~2.5 % for the throw and the unwinding, and as
 * much of a client's). Answering "a frame of the largest allowed length" instead tells it
 * the same without a throw: the decoder accepts that length, sees that the buffer holds
 * fewer than 2 + that many bytes and waits for more, exactly as after the RangeError.
 */
export function cheapIncompleteLength(connection: unknown): void {
  const decoder = (connection as DecodesFrames).decoder
  const decode = decoder?.lengthDecoder
  if (decoder === undefined || typeof decode !== 'function') return
  const waitForMore = decoder.maxDataLength
  decoder.lengthDecoder =
    typeof waitForMore === 'number' && Number.isSafeInteger(waitForMore) && waitForMore >= 2
      ? (data) => (data.length < 2 ? waitForMore : decode(data))
      : (data) => {
          if (data.length < 2) throw LENGTH_INCOMPLETE
          return decode(data)
        }
}

/**
 * `encrypter` with both fixes applied to each connection it secures: the raw connection
 * below writes each frame whole, the encrypted one above decodes without stack traces.
 */
export function withWholeFrames<C>(
  encrypter: (components: C) => ConnectionEncrypter,
): (components: C) => ConnectionEncrypter {
  return (components) => {
    const inner = encrypter(components)
    const secure =
      (direction: 'secureInbound' | 'secureOutbound'): ConnectionEncrypter['secureInbound'] =>
      async (connection, options) => {
        writeFramesWhole(connection)
        const secured = await inner[direction](connection, options)
        cheapIncompleteLength(secured.connection)
        return secured
      }
    // everything else (protocol, service capabilities) is read through to `inner`
    const wrapped = Object.create(inner) as ConnectionEncrypter
    wrapped.secureInbound = secure('secureInbound')
    wrapped.secureOutbound = secure('secureOutbound')
    return wrapped
  }
}
