import * as lp from 'it-length-prefixed'
import { Uint8ArrayList } from 'uint8arraylist'

/** Why a byte stream can no longer be read as frames; the stream must be closed. */
export type FramingFailure = 'frame-too-large' | 'bad-length-prefix'

export type FrameResult =
  | { readonly ok: true; readonly frames: readonly Uint8ArrayList[] }
  | { readonly ok: false; readonly failure: FramingFailure; readonly length?: number }

/** Longest varint we accept as a length prefix: 5 bytes is enough for any 32-bit length. */
const MAX_PREFIX_BYTES = 5

/**
 * Splits a byte stream into varint-length-prefixed frames, fed chunk by chunk as they
 * arrive (no async iteration on the hot path). It never throws: a prefix longer than
 * `maxFrameBytes` or a malformed prefix makes `push` report a failure, after which the
 * stream cannot be resynchronised and the caller closes it.
 */
export class FrameDecoder {
  readonly #buffer = new Uint8ArrayList()
  readonly #maxFrameBytes: number
  #failed = false

  constructor(maxFrameBytes: number) {
    this.#maxFrameBytes = maxFrameBytes
  }

  /** Bytes received but not yet returned as a frame: > 0 means a frame is half-read. */
  get bufferedBytes(): number {
    return this.#buffer.byteLength
  }

  push(chunk: Uint8Array | Uint8ArrayList): FrameResult {
    if (this.#failed) return { ok: false, failure: 'bad-length-prefix' }
    this.#buffer.append(chunk)
    const frames: Uint8ArrayList[] = []
    while (this.#buffer.byteLength > 0) {
      const prefix = this.#readPrefix()
      if (prefix === undefined) break
      if (prefix === 'invalid') {
        this.#failed = true
        return { ok: false, failure: 'bad-length-prefix' }
      }
      const [length, prefixBytes] = prefix
      if (length > this.#maxFrameBytes) {
        this.#failed = true
        return { ok: false, failure: 'frame-too-large', length }
      }
      if (this.#buffer.byteLength < prefixBytes + length) break
      frames.push(this.#buffer.sublist(prefixBytes, prefixBytes + length))
      this.#buffer.consume(prefixBytes + length)
    }
    return { ok: true, frames }
  }

  /** [length, prefix size], undefined when more bytes are needed, 'invalid' when malformed. */
  #readPrefix(): [number, number] | undefined | 'invalid' {
    let length = 0
    const available = Math.min(this.#buffer.byteLength, MAX_PREFIX_BYTES)
    for (let i = 0; i < available; i++) {
      const byte = this.#buffer.get(i)
      length += (byte & 0x7f) * 2 ** (7 * i)
      if ((byte & 0x80) === 0) return [length, i + 1]
    }
    return available === MAX_PREFIX_BYTES ? 'invalid' : undefined
  }
}

/** One encoded message with its varint length prefix, ready for `stream.send`. */
export function encodeFrame(message: Uint8Array): Uint8ArrayList {
  return lp.encode.single(message)
}
