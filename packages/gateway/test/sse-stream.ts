import assert from 'node:assert/strict'

export interface StreamedEvent {
  id?: string
  event?: string
  data?: string
}

/**
 * An open Server-Sent Events response, read in the background: `next(check)` waits (with a
 * deadline) for the first event not yet taken that passes `check`.
 */
export class EventStream {
  readonly events: StreamedEvent[] = []
  readonly #controller = new AbortController()
  #taken = 0
  #ended: Error | undefined

  private constructor() {}

  static async open(url: string, headers: Record<string, string> = {}): Promise<EventStream> {
    const stream = new EventStream()
    const response = await fetch(url, { headers, signal: stream.#controller.signal })
    assert.equal(response.status, 200)
    assert.match(response.headers.get('content-type') ?? '', /text\/event-stream/)
    void stream.#read(response.body as ReadableStream<Uint8Array>)
    return stream
  }

  async next(check: (event: StreamedEvent) => boolean, timeoutMs = 15_000): Promise<StreamedEvent> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      while (this.#taken < this.events.length) {
        const event = this.events[this.#taken++] as StreamedEvent
        if (check(event)) return event
      }
      if (this.#ended !== undefined) throw this.#ended
      if (Date.now() > deadline) {
        throw new Error(`no such event within ${timeoutMs} ms; got ${JSON.stringify(this.events)}`)
      }
      await new Promise((done) => setTimeout(done, 20))
    }
  }

  close(): void {
    this.#controller.abort()
  }

  async #read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder()
    let buffer = ''
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk, { stream: true })
        for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
          const event: StreamedEvent = {}
          for (const line of buffer.slice(0, end).split('\n')) {
            const [field, ...rest] = line.split(': ')
            if (field === 'id' || field === 'event' || field === 'data') {
              event[field] = rest.join(': ')
            }
          }
          buffer = buffer.slice(end + 2)
          if (event.event !== undefined) this.events.push(event)
        }
      }
      this.#ended = new Error('the stream ended')
    } catch (err) {
      this.#ended = err as Error
    }
  }
}
