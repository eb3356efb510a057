import type { ServerResponse } from 'node:http'

/** One Server-Sent Event; `id` increases by one per event published. */
export interface SseEvent {
  id: number
  event: string
  data: string
}

export interface EventHubInit {
  /** Streams open at once; more are refused with 503. Default 64. */
  maxStreams?: number
  /** Events kept for `Last-Event-ID` resume. Default 256. */
  history?: number
  /** Bytes a stream may have waiting for a slow reader before it is cut. Default 1 MiB. */
  maxBufferedBytes?: number
  /** A comment line is sent this often so proxies and dead readers are noticed. Default 15000. */
  heartbeatMs?: number
}

export interface OpenStreamOptions {
  /** The `Last-Event-ID` the reader sent: events after it are replayed when still kept. */
  lastEventId?: string | undefined
  /**
   * Events to send first when nothing can be replayed (a new reader, or one that fell
   * too far behind): typically a snapshot of the current state.
   */
  initial?: () => Array<Omit<SseEvent, 'id'>>
}

interface Stream {
  res: ServerResponse
  heartbeat: NodeJS.Timeout
}

/**
 * Fans events out to open `text/event-stream` responses. Bounded everywhere: the number
 * of streams, the history kept for resume, and the bytes queued for each reader (a
 * reader that does not read is cut off rather than buffered for).
 */
export class EventHub {
  readonly #maxStreams: number
  readonly #historySize: number
  readonly #maxBufferedBytes: number
  readonly #heartbeatMs: number
  readonly #streams = new Set<Stream>()
  readonly #history: SseEvent[] = []
  #nextId = 1
  #dropped = 0
  #closed = false
  /** Called when the number of open streams changes. */
  onChange: ((open: number) => void) | undefined

  constructor(init: EventHubInit = {}) {
    this.#maxStreams = init.maxStreams ?? 64
    this.#historySize = init.history ?? 256
    this.#maxBufferedBytes = init.maxBufferedBytes ?? 1024 * 1024
    this.#heartbeatMs = init.heartbeatMs ?? 15_000
  }

  get size(): number {
    return this.#streams.size
  }

  /** Streams cut off because their reader fell more than maxBufferedBytes behind. */
  get dropped(): number {
    return this.#dropped
  }

  get full(): boolean {
    return this.#streams.size >= this.#maxStreams
  }

  /** Send an event to every open stream (and keep it for resume). */
  publish(event: string, data: unknown): SseEvent {
    const entry: SseEvent = { id: this.#nextId++, event, data: JSON.stringify(data) }
    this.#history.push(entry)
    if (this.#history.length > this.#historySize) this.#history.shift()
    const text = format(entry)
    for (const stream of this.#streams) this.#write(stream, text)
    return entry
  }

  /**
   * Turn `res` into an event stream. Returns false (and leaves `res` alone) when the hub
   * is full or closed, so the caller can answer 503.
   */
  open(res: ServerResponse, options: OpenStreamOptions = {}): boolean {
    if (this.#closed || this.full) return false
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    })
    res.socket?.setNoDelay(true)
    res.socket?.setTimeout(0)
    const stream: Stream = {
      res,
      heartbeat: setInterval(() => this.#write(stream, ': ping\n\n'), this.#heartbeatMs),
    }
    stream.heartbeat.unref()
    this.#streams.add(stream)
    this.onChange?.(this.#streams.size)
    res.once('close', () => this.#remove(stream))
    this.#write(stream, 'retry: 2000\n\n')
    const replay = this.#replayAfter(options.lastEventId)
    if (replay !== undefined) {
      for (const entry of replay) this.#write(stream, format(entry))
    } else {
      const last = this.#nextId - 1
      for (const entry of options.initial?.() ?? []) {
        // the snapshot carries the id of the latest event, so a resume continues after it
        this.#write(stream, format({ ...entry, id: last }))
      }
    }
    return true
  }

  /** End every stream (the gateway is stopping) and refuse new ones. */
  close(): void {
    this.#closed = true
    for (const stream of [...this.#streams]) {
      stream.res.end()
      this.#remove(stream)
    }
  }

  #replayAfter(lastEventId: string | undefined): SseEvent[] | undefined {
    if (lastEventId === undefined || !/^\d+$/.test(lastEventId)) return undefined
    const last = Number(lastEventId)
    if (last >= this.#nextId) return undefined
    const oldest = this.#history[0]?.id ?? this.#nextId
    // events between `last` and the oldest kept one are gone: start over with a snapshot
    if (last + 1 < oldest) return undefined
    return this.#history.filter((entry) => entry.id > last)
  }

  #write(stream: Stream, text: string): void {
    const { res } = stream
    if (res.destroyed || res.writableEnded) return
    res.write(text)
    if (res.writableLength > this.#maxBufferedBytes) {
      this.#dropped++
      res.destroy()
      this.#remove(stream)
    }
  }

  #remove(stream: Stream): void {
    clearInterval(stream.heartbeat)
    if (this.#streams.delete(stream)) this.onChange?.(this.#streams.size)
  }
}

function format(entry: SseEvent): string {
  return `id: ${entry.id}\nevent: ${entry.event}\ndata: ${entry.data}\n\n`
}
