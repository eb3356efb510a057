import type { Stream, StreamMessageEvent } from '@libp2p/interface'
import {
  decodeResponse,
  encodeFrame,
  encodeRequest,
  FrameDecoder,
  MessageType,
  type Request,
  type Response,
} from '@ringdht/protocol'
import type { Logger } from 'pino'
import { PeerUnreachableError, RequestTimeoutError } from '../../errors.js'

export interface RpcChannelComponents {
  /** Open a fresh stream to the remote peer (negotiating the protocol). */
  openStream(signal: AbortSignal): Promise<Stream>
  logger: Logger
}

export interface RpcChannelInit {
  /** Most requests outstanding at once; more wait for a slot. */
  maxInFlight: number
  maxFrameBytes: number
  /** Close the stream after this long without traffic. */
  idleStreamMs: number
  /** Deadline for opening the stream. */
  openTimeoutMs: number
}

export interface RequestOptions {
  signal?: AbortSignal
  timeoutMs: number
}

interface Pending {
  resolve(response: Response): void
  reject(err: Error): void
}

const MAX_REQUEST_ID = 0xffff_ffff
/** A timeout that fires this much (and more than its own length) late means the process was paused. */
const MIN_PAUSE_MS = 250
/** After a pause, how long a request still waits for an answer (it may have come in meanwhile). */
const PAUSE_GRACE_MS = 1000

/**
 * Requests to one remote peer over one long-lived stream: each request gets an id,
 * responses are matched by id, so many requests share the stream without opening a
 * new one each time (which costs a protocol negotiation). The stream is opened on
 * first use and reopened after it dies; a dying stream fails every request on it.
 */
export class RpcChannel {
  readonly #components: RpcChannelComponents
  readonly #init: RpcChannelInit
  readonly #pending = new Map<number, Pending>()
  /** Requests waiting on each stream, and the streams to reset once theirs have settled. */
  readonly #waitingOn = new Map<Stream, number>()
  readonly #retiring = new Set<Stream>()
  readonly #slotWaiters: Array<() => void> = []
  #stream: Stream | undefined
  #opening: Promise<Stream> | undefined
  #nextId = 1
  #inFlight = 0
  #closed = false

  constructor(components: RpcChannelComponents, init: RpcChannelInit) {
    this.#components = components
    this.#init = init
  }

  get inFlight(): number {
    return this.#inFlight
  }

  async request(request: Partial<Request>, options: RequestOptions): Promise<Response> {
    if (this.#closed) throw new PeerUnreachableError('channel closed')
    options.signal?.throwIfAborted()
    await this.#acquireSlot(options.signal)
    try {
      const stream = this.#stream ?? (await this.#openOnce(options.signal))
      return await this.#exchange(stream, request, options)
    } finally {
      this.#releaseSlot()
    }
  }

  /** Fail everything in flight and close the stream; later requests fail at once. */
  close(): void {
    this.#closed = true
    const stream = this.#stream
    this.#stream = undefined
    this.#failPending(new PeerUnreachableError('channel closed', { mayHaveArrived: true }))
    stream?.abort(new Error('channel closed'))
    for (const wake of this.#slotWaiters.splice(0)) wake()
  }

  #exchange(stream: Stream, request: Partial<Request>, options: RequestOptions): Promise<Response> {
    const id = this.#nextId
    this.#nextId = id >= MAX_REQUEST_ID ? 1 : id + 1
    const frame = encodeFrame(encodeRequest({ ...request, id }))
    return new Promise<Response>((resolve, reject) => {
      const signal = options.signal
      const onAbort = (): void => settle(() => reject(signal?.reason ?? new Error('aborted')))
      const due = performance.now() + options.timeoutMs
      const expire = (): void => {
        const late = performance.now() - due
        if (late > Math.max(MIN_PAUSE_MS, options.timeoutMs) && timer === first) {
          // this process was stopped (SIGSTOP, a stalled VM) and its timers run before the
          // answers that came in meanwhile are read: look once more after those are read,
          // or every request in flight would count as a failure of a peer that answered
          timer = setTimeout(expire, Math.min(PAUSE_GRACE_MS, options.timeoutMs))
          return
        }
        settle(() => reject(new RequestTimeoutError(`no answer within ${options.timeoutMs} ms`)))
        // the write may still be on its way (a partition holds it in TCP's buffers):
        // reset its stream, so the reset follows it and the receiver, which checks before
        // applying, drops it instead of superseding the caller's later writes
        if (isOwnerWrite(request)) this.#retire(stream)
      }
      const first = setTimeout(expire, options.timeoutMs)
      let timer = first
      const settle = (finish: () => void): void => {
        clearTimeout(timer)
        signal?.removeEventListener('abort', onAbort)
        this.#pending.delete(id)
        this.#settledOn(stream)
        finish()
      }
      this.#waitingOn.set(stream, (this.#waitingOn.get(stream) ?? 0) + 1)
      signal?.addEventListener('abort', onAbort, { once: true })
      this.#pending.set(id, {
        resolve: (response) => settle(() => resolve(response)),
        reject: (err) => settle(() => reject(err)),
      })
      try {
        stream.send(frame)
      } catch (err) {
        settle(() => reject(new PeerUnreachableError(`send failed: ${(err as Error).message}`)))
      }
    })
  }

  #openOnce(signal: AbortSignal | undefined): Promise<Stream> {
    this.#opening ??= this.#open().finally(() => {
      this.#opening = undefined
    })
    if (signal === undefined) return this.#opening
    // a caller giving up does not cancel the shared open
    return Promise.race([
      this.#opening,
      new Promise<never>((_, reject) => {
        signal.addEventListener('abort', () => reject(signal.reason), { once: true })
      }),
    ])
  }

  async #open(): Promise<Stream> {
    let stream: Stream
    try {
      stream = await this.#components.openStream(AbortSignal.timeout(this.#init.openTimeoutMs))
    } catch (err) {
      throw new PeerUnreachableError(`cannot open stream: ${(err as Error).message}`)
    }
    if (this.#closed) {
      stream.abort(new Error('channel closed'))
      throw new PeerUnreachableError('channel closed')
    }
    stream.inactivityTimeout = this.#init.idleStreamMs
    const decoder = new FrameDecoder(this.#init.maxFrameBytes)
    stream.addEventListener('message', (event: StreamMessageEvent) => {
      const result = decoder.push(event.data)
      if (!result.ok) {
        this.#components.logger.debug({ failure: result.failure }, 'bad frame from remote')
        stream.abort(new Error(`bad frame: ${result.failure}`))
        return
      }
      for (const bytes of result.frames) {
        const decoded = decodeResponse(bytes)
        if (!decoded.ok) {
          stream.abort(new Error('malformed response'))
          return
        }
        this.#pending.get(decoded.message.id)?.resolve(decoded.message)
      }
    })
    stream.addEventListener('close', () => {
      if (this.#stream !== stream) return
      this.#stream = undefined
      this.#failPending(
        new PeerUnreachableError('stream closed with the request in flight', {
          mayHaveArrived: true,
        }),
      )
    })
    this.#stream = stream
    return stream
  }

  /**
   * New requests go to a new stream; this one is reset once the requests still waiting on
   * it have settled (resetting it at once would fail them too, and each failure would count
   * against a member that may only be slow).
   */
  #retire(stream: Stream): void {
    if (this.#stream === stream) this.#stream = undefined
    this.#retiring.add(stream)
    if ((this.#waitingOn.get(stream) ?? 0) === 0) this.#settledOn(stream, 0)
  }

  #settledOn(stream: Stream, by = 1): void {
    const waiting = (this.#waitingOn.get(stream) ?? 0) - by
    if (waiting > 0) {
      this.#waitingOn.set(stream, waiting)
      return
    }
    this.#waitingOn.delete(stream)
    if (this.#retiring.delete(stream)) stream.abort(new Error('a write got no answer in time'))
  }

  #failPending(err: Error): void {
    for (const pending of [...this.#pending.values()]) pending.reject(err)
  }

  async #acquireSlot(signal: AbortSignal | undefined): Promise<void> {
    while (this.#inFlight >= this.#init.maxInFlight) {
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => {
          const i = this.#slotWaiters.indexOf(wake)
          if (i >= 0) this.#slotWaiters.splice(i, 1)
          reject(signal?.reason)
        }
        const wake = (): void => {
          signal?.removeEventListener('abort', onAbort)
          resolve()
        }
        signal?.addEventListener('abort', onAbort, { once: true })
        this.#slotWaiters.push(wake)
      })
      if (this.#closed) throw new PeerUnreachableError('channel closed')
    }
    this.#inFlight++
  }

  #releaseSlot(): void {
    this.#inFlight--
    this.#slotWaiters.shift()?.()
  }
}

/** A put or delete for its key's owner to apply with a new version (not a replica copy). */
function isOwnerWrite(request: Partial<Request>): boolean {
  return (
    (request.type === MessageType.PUT || request.type === MessageType.DELETE) &&
    request.local !== true
  )
}
