/**
 * Child process: dials the echo server once and measures request/response
 * round trips over that connection, either on streams opened up front
 * (`open-stream`) or on a new stream per request (`new-stream`).
 */
import type { Connection, Stream } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import * as lp from 'it-length-prefixed'
import { createLibp2p, type Libp2p } from 'libp2p'
import { failChild, guardChildLifetime, serveCommands } from '../harness/child-runtime.js'
import { benchStack } from '../stack.js'
import { type OperationOutcome, runWorkload, type WorkloadResult } from '../workload.js'
import { ECHO_MAX_STREAMS, ECHO_PROTOCOL } from './echo-protocol.js'

export type FloorMode = 'open-stream' | 'new-stream'

export interface FloorRunArgs {
  mode: FloorMode
  count: number
  concurrency: number
  payloadBytes: number
  timeLimitMs: number
  operationTimeoutMs: number
}

interface FramedStream {
  stream: Stream
  frames: AsyncIterator<{ subarray(): Uint8Array }>
}

let node: Libp2p | undefined
let connection: Connection | undefined

const stop = async (): Promise<void> => {
  await node?.stop()
}
guardChildLifetime(stop)

function frame(stream: Stream): FramedStream {
  return { stream, frames: lp.decode(stream)[Symbol.asyncIterator]() }
}

async function roundTrip(framed: FramedStream, payload: Uint8Array): Promise<void> {
  if (!framed.stream.send(lp.encode.single(payload))) await framed.stream.onDrain()
  const reply = await framed.frames.next()
  if (reply.done === true) throw new Error('echo stream ended early')
  if (reply.value.subarray().byteLength !== payload.byteLength) {
    throw new Error('echo reply has the wrong length')
  }
}

async function openStream(signal: AbortSignal): Promise<Stream> {
  if (connection === undefined) throw new Error('not connected')
  return connection.newStream(ECHO_PROTOCOL, { signal, maxOutboundStreams: ECHO_MAX_STREAMS })
}

async function run(args: FloorRunArgs): Promise<WorkloadResult> {
  const payload = new Uint8Array(args.payloadBytes).fill(7)
  if (args.mode === 'new-stream') {
    return runWorkload({
      ...args,
      operation: async (_index, signal): Promise<OperationOutcome> => {
        const stream = await openStream(signal)
        try {
          await roundTrip(frame(stream), payload)
          await stream.close({ signal })
        } catch (err) {
          stream.abort(err instanceof Error ? err : new Error(String(err)))
          throw err
        }
        return { ok: true, requests: 1, hops: 1 }
      },
    })
  }
  const idle: FramedStream[] = []
  const setupSignal = AbortSignal.timeout(args.operationTimeoutMs)
  for (let i = 0; i < args.concurrency; i++) idle.push(frame(await openStream(setupSignal)))
  const all = [...idle]
  try {
    // warm each stream once so protocol negotiation is not part of the figures
    await Promise.all(all.map((framed) => roundTrip(framed, payload)))
    return await runWorkload({
      ...args,
      operation: async (): Promise<OperationOutcome> => {
        const framed = idle.pop()
        if (framed === undefined) throw new Error('no idle stream (concurrency bookkeeping bug)')
        try {
          await roundTrip(framed, payload)
        } finally {
          idle.push(framed)
        }
        return { ok: true, requests: 1, hops: 1 }
      },
    })
  } finally {
    await Promise.all(all.map(async ({ stream }) => stream.close().catch(() => {})))
  }
}

try {
  node = await createLibp2p({ ...benchStack() })
  serveCommands({
    info: { peerId: node.peerId.toString() },
    stop,
    commands: {
      connect: async (args: { multiaddr: string }) => {
        if (node === undefined) throw new Error('not started')
        connection = await node.dial(multiaddr(args.multiaddr), {
          signal: AbortSignal.timeout(10_000),
        })
        return connection.remotePeer.toString()
      },
      run,
      rss: async () => process.memoryUsage().rss,
    },
  })
} catch (err) {
  failChild(err)
}
