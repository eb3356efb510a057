import type { Connection, PeerId, Stream, StreamMessageEvent } from '@libp2p/interface'
import {
  decodeRequest,
  ErrorCode,
  encodeFrame,
  encodeResponse,
  FrameDecoder,
  type Request,
  type Response,
} from '@ringdht/protocol'
import type { Logger } from 'pino'
import type { Counters } from '../../counters.js'
import { wireCodeOf } from '../../errors.js'

export interface RequestContext {
  readonly remotePeer: PeerId
  /** Aborted when the stream the request came on closes or the server stops. */
  readonly signal: AbortSignal
  /** State that lives as long as the stream (e.g. a transfer's running total). */
  readonly streamState: Map<string, unknown>
}

export type RequestHandler = (
  request: Request,
  context: RequestContext,
) => Promise<Partial<Response>>

export interface RpcServerInit {
  /** Requests served at once per stream; more are answered BUSY. */
  maxConcurrent: number
  maxFrameBytes: number
  /** A frame half-received for longer than this closes the stream. */
  frameTimeoutMs: number
  idleStreamMs: number
  /** A reader that takes no answer for this long is cut off. */
  drainTimeoutMs: number
  /** Answer bytes queued for one stream at most; past this the stream is reset. */
  maxWriteBufferBytes: number
  handler: RequestHandler
}

export interface RpcServerComponents {
  logger: Logger
  /** Where requests served and frame bytes in and out are counted (maintenance traffic). */
  traffic?: Pick<Counters, 'rpcRequestsServed' | 'rpcBytesIn' | 'rpcBytesOut'>
}

/**
 * Serves requests arriving on inbound streams. Each request is handled on its own, so
 * a slow one (a forward across the ring) does not hold up the others on the stream.
 * Untrusted input never throws out of here: a frame that is not a Request gets a
 * MALFORMED_MESSAGE answer (id 0, since its id is unknown), broken framing or a stalled
 * half-frame closes the stream.
 */
export class RpcServer {
  readonly #components: RpcServerComponents
  readonly #init: RpcServerInit
  readonly #streams = new Set<Stream>()
  #stopped = false

  constructor(components: RpcServerComponents, init: RpcServerInit) {
    this.#components = components
    this.#init = init
  }

  get openStreams(): number {
    return this.#streams.size
  }

  readonly handleStream = (stream: Stream, connection: Connection): void => {
    if (this.#stopped) {
      stream.abort(new Error('server stopped'))
      return
    }
    const log = this.#components.logger
    const traffic = this.#components.traffic
    const { maxConcurrent, frameTimeoutMs } = this.#init
    const decoder = new FrameDecoder(this.#init.maxFrameBytes)
    const controller = new AbortController()
    const context: RequestContext = {
      remotePeer: connection.remotePeer,
      signal: controller.signal,
      streamState: new Map(),
    }
    let stallTimer: NodeJS.Timeout | undefined

    /**
     * Answers wait for the reader: the slot of a request is held until its answer is
     * written, and a reader that takes nothing for `drainTimeoutMs` is cut off. So that a
     * reader that stops reading costs a bounded buffer and not one answer per request, a
     * request starts only while the answers waiting to be written plus those being worked
     * on (at the stream's average answer size) fit in `maxWriteBufferBytes`; the rest wait
     * as requests, which are small. One request at a time always runs.
     */
    let waitingBytes = 0
    // until answers are seen, assume large ones: a burst of requests for big values must
    // not all start before the first answer shows how big they are
    let averageAnswer = this.#init.maxWriteBufferBytes / 4
    let running = 0
    const queued: Request[] = []

    const send = async (response: Partial<Response>): Promise<void> => {
      if (stream.writeStatus !== 'writable') return
      const frame = encodeFrame(encodeResponse(response))
      waitingBytes += frame.byteLength
      averageAnswer =
        averageAnswer === 0 ? frame.byteLength : 0.8 * averageAnswer + 0.2 * frame.byteLength
      try {
        while (stream.writableNeedsDrain && stream.writeStatus === 'writable') {
          await stream.onDrain({ signal: AbortSignal.timeout(this.#init.drainTimeoutMs) })
        }
        if (stream.writeStatus !== 'writable') return
        stream.send(frame)
        if (traffic !== undefined) traffic.rpcBytesOut += frame.byteLength
      } catch (err) {
        if ((err as Error).name === 'TimeoutError') {
          log.debug({ remote: context.remotePeer.toString() }, 'reader does not read, closing')
          stream.abort(new Error('the reader did not take its answers in time'))
        } else {
          log.debug({ err }, 'cannot answer: stream closed')
        }
      } finally {
        waitingBytes -= frame.byteLength
      }
    }

    const fits = (): boolean =>
      running === 0 ||
      waitingBytes + (running + 1) * averageAnswer <= this.#init.maxWriteBufferBytes

    const pump = (): void => {
      while (queued.length > 0 && fits()) {
        const request = queued.shift() as Request
        running++
        this.#init
          .handler(request, context)
          .then(
            (response) => send({ ...response, id: request.id }),
            (err: unknown) =>
              send({
                id: request.id,
                error: wireCodeOf(err),
                message: err instanceof Error ? err.message : 'internal error',
              }),
          )
          .finally(() => {
            running--
            if (stream.writeStatus === 'writable') pump()
            else queued.length = 0
          })
      }
    }

    const serve = (request: Request): void => {
      if (running + queued.length >= maxConcurrent) {
        // still sending while not reading: nothing it is owed can reach it, cut it off
        if (stream.writableNeedsDrain) {
          stream.abort(new Error('requests keep coming while answers are not read'))
          return
        }
        void send({ id: request.id, error: ErrorCode.BUSY, message: 'too many requests in flight' })
        return
      }
      queued.push(request)
      pump()
    }

    stream.inactivityTimeout = this.#init.idleStreamMs
    // answers waiting for a slow reader are bounded; past this the stream is reset
    stream.maxWriteBufferLength = this.#init.maxWriteBufferBytes
    this.#streams.add(stream)
    stream.addEventListener('message', (event: StreamMessageEvent) => {
      const result = decoder.push(event.data)
      if (traffic !== undefined) {
        traffic.rpcBytesIn += event.data.byteLength
        traffic.rpcRequestsServed += result.ok ? result.frames.length : 0
      }
      if (!result.ok) {
        log.debug({ failure: result.failure, remote: context.remotePeer.toString() }, 'bad frame')
        void send({
          error:
            result.failure === 'frame-too-large'
              ? ErrorCode.FRAME_TOO_LARGE
              : ErrorCode.MALFORMED_MESSAGE,
          message: `${result.failure}; closing the stream`,
        })
        // flush the error answer, then drop the stream: it cannot be resynchronised
        void stream
          .close({ signal: AbortSignal.timeout(frameTimeoutMs) })
          .catch(() => {})
          .finally(() => stream.abort(new Error(result.failure)))
        return
      }
      for (const bytes of result.frames) {
        const decoded = decodeRequest(bytes)
        if (decoded.ok) serve(decoded.message)
        else void send({ error: ErrorCode.MALFORMED_MESSAGE, message: 'not a Request message' })
      }
      if (decoder.bufferedBytes === 0) {
        clearTimeout(stallTimer)
        stallTimer = undefined
      } else if (stallTimer === undefined) {
        stallTimer = setTimeout(() => {
          log.debug({ remote: context.remotePeer.toString() }, 'stalled mid-frame, closing')
          stream.abort(new Error('frame not completed in time'))
        }, frameTimeoutMs)
      }
    })
    stream.addEventListener('close', () => {
      clearTimeout(stallTimer)
      controller.abort(new Error('stream closed'))
      this.#streams.delete(stream)
    })
    // the remote finished sending: close our end once every answer is out
    stream.addEventListener('remoteCloseWrite', () => {
      const closeWhenIdle = (): void => {
        if (running + queued.length === 0)
          void stream.close().catch(() => stream.abort(new Error('close failed')))
        else setTimeout(closeWhenIdle, 10).unref()
      }
      closeWhenIdle()
    })
  }

  stop(): void {
    this.#stopped = true
    for (const stream of this.#streams) stream.abort(new Error('server stopped'))
    this.#streams.clear()
  }
}
