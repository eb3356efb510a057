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
  handler: RequestHandler
}

export interface RpcServerComponents {
  logger: Logger
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
    const { maxConcurrent, frameTimeoutMs } = this.#init
    const decoder = new FrameDecoder(this.#init.maxFrameBytes)
    const controller = new AbortController()
    const context: RequestContext = {
      remotePeer: connection.remotePeer,
      signal: controller.signal,
      streamState: new Map(),
    }
    let active = 0
    let stallTimer: NodeJS.Timeout | undefined

    const send = (response: Partial<Response>): void => {
      if (stream.writeStatus !== 'writable') return
      try {
        stream.send(encodeFrame(encodeResponse(response)))
      } catch (err) {
        log.debug({ err }, 'cannot answer: stream closed')
      }
    }

    const serve = (request: Request): void => {
      if (active >= maxConcurrent) {
        send({ id: request.id, error: ErrorCode.BUSY, message: 'too many requests in flight' })
        return
      }
      active++
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
          active--
        })
    }

    stream.inactivityTimeout = this.#init.idleStreamMs
    this.#streams.add(stream)
    stream.addEventListener('message', (event: StreamMessageEvent) => {
      const result = decoder.push(event.data)
      if (!result.ok) {
        log.debug({ failure: result.failure, remote: context.remotePeer.toString() }, 'bad frame')
        send({
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
        else send({ error: ErrorCode.MALFORMED_MESSAGE, message: 'not a Request message' })
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
        if (active === 0) void stream.close().catch(() => stream.abort(new Error('close failed')))
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
