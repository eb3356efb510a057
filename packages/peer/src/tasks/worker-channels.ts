import type { Libp2p, PeerId } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import {
  type PeerInfo,
  type Request,
  type Response,
  requestWithDefaults,
  TASKS_PROTOCOL,
} from '@ringdht/protocol'
import type { Logger } from 'pino'
import { RpcChannel } from '../core/rpc/channel.js'
import type { RequestHandler } from '../core/rpc/server.js'
import { PeerUnreachableError, wireCodeOf } from '../errors.js'
import { MAX_WORKER_CONCURRENCY } from './dispatch-policy.js'
import type { WorkerChannel } from './queue-worker.js'

/**
 * A worker's channel to a home that is this very member: the tasks protocol's handler
 * called in process, as a stream from `self` would reach it (libp2p cannot dial itself).
 * Closing it is the stream closing: the home forgets the worker.
 */
export function localWorkerChannel(serve: RequestHandler, self: PeerId): WorkerChannel {
  const closed = new AbortController()
  const context = {
    remotePeer: self,
    signal: closed.signal,
    streamState: new Map<string, unknown>(),
  }
  return {
    async request(request: Partial<Request>, options): Promise<Response> {
      if (closed.signal.aborted) throw new PeerUnreachableError('channel closed')
      const signals = [closed.signal, AbortSignal.timeout(options.timeoutMs)]
      if (options.signal !== undefined) signals.push(options.signal)
      const ended = AbortSignal.any(signals)
      const full = requestWithDefaults({ type: 0, ...request })
      const answer = serve(full, context).then(
        (response) => ({ ...emptyResponse(), ...response }),
        (err: unknown) => ({
          ...emptyResponse(),
          error: wireCodeOf(err),
          message: err instanceof Error ? err.message : 'internal error',
        }),
      )
      return await new Promise<Response>((resolve, reject) => {
        const stop = () => reject(ended.reason ?? new PeerUnreachableError('channel closed'))
        ended.addEventListener('abort', stop, { once: true })
        void answer.then(resolve).finally(() => ended.removeEventListener('abort', stop))
      })
    },
    close(): void {
      closed.abort(new PeerUnreachableError('channel closed'))
    },
  }
}

/** A worker's channel to a home elsewhere: one stream of the tasks protocol. */
export function remoteWorkerChannel(
  libp2p: Pick<Libp2p, 'dialProtocol'>,
  home: PeerInfo,
  init: { logger: Logger; maxFrameBytes: number; timeoutMs: number },
): WorkerChannel {
  const addresses = home.multiaddrs.map((bytes) => {
    const address = multiaddr(bytes)
    return address.getComponents().some((c) => c.name === 'p2p')
      ? address
      : address.encapsulate(`/p2p/${home.peerId}`)
  })
  return new RpcChannel(
    {
      openStream: (signal) => libp2p.dialProtocol(addresses, TASKS_PROTOCOL, { signal }),
      logger: init.logger,
    },
    {
      maxInFlight: MAX_WORKER_CONCURRENCY * 2,
      maxFrameBytes: init.maxFrameBytes,
      // a worker's TAKEs keep the stream busy; an idle one is noticed by its requests
      idleStreamMs: 600_000,
      openTimeoutMs: init.timeoutMs,
    },
  )
}

function emptyResponse(): Response {
  return {
    id: 0,
    error: 0,
    message: '',
    hops: 0,
    path: [],
    peers: [],
    records: [],
    done: false,
    replicas: 0,
    digests: [],
    applied: 0,
  }
}
