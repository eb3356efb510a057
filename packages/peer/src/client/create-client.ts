import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { DEFAULT_LIMITS, RPC_PROTOCOL } from '@ringdht/protocol'
import type { Logger } from 'pino'
import { pino } from 'pino'
import { positiveInteger } from '../config.js'
import { createNode } from '../core/libp2p-node.js'
import { RpcChannel } from '../core/rpc/channel.js'
import { ChannelPool } from '../core/rpc/pool.js'
import { InvalidInputError } from '../errors.js'
import { DialledMember } from './dialled-member.js'
import { DirectRouting } from './direct-routing.js'
import { RingClient } from './ring-client.js'

/** Options of `createClient`; all but `peer` optional, defaults below. */
export interface RingClientInit {
  /** Multiaddr of any ring member; `/p2p/<id>` is checked when present. */
  peer: string
  /** Swarm key of a private ring. */
  psk?: Uint8Array
  /** Deadline of each request. Default 10000. */
  timeoutMs?: number
  /** Hop limit of requests. Default 32. */
  maxHops?: number
  muxer?: 'mplex' | 'yamux'
  /** Largest frame accepted. Default 4 MiB. */
  maxFrameBytes?: number
  /** Requests in flight at once; more wait. Default 64. */
  maxInFlight?: number
  logger?: Logger
  /**
   * `'direct'` (default): learn the ring's members and send each get/put/delete straight
   * to the key's owner (a get tries the owner's replicas next when the owner cannot be
   * reached), falling back to the dialled member whenever that fails or the ring is not
   * known yet. `'via-peer'`: the dialled member routes every request.
   */
  routing?: 'direct' | 'via-peer'
  /** How often the direct routing view is refreshed (jittered ±20%). Default 30000. */
  refreshMs?: number
  /** Members the client keeps a connection to at once (direct routing). Default 64. */
  maxDirectPeers?: number
  /** Copies of each key in the ring, the replicas a get may try. Default 3. */
  replicas?: number
}

/** Streams to members stay open this long without traffic: a client's requests come in bursts. */
const IDLE_STREAM_MS = 300_000

/** Dial one ring member as a client (no listening, no joining). */
export async function createClient(init: RingClientInit): Promise<RingClient> {
  let target: ReturnType<typeof multiaddr>
  try {
    target = multiaddr(init.peer)
    // /p2p/<id> is optional: without it the Noise handshake tells us who answered,
    // which is what a healthcheck or `--peer /ip4/127.0.0.1/tcp/4001` needs
    const id = target.getComponents().find((c) => c.name === 'p2p')?.value
    if (id !== undefined) peerIdFromString(id)
  } catch (err) {
    throw new InvalidInputError(`bad peer address ${init.peer}: ${(err as Error).message}`)
  }
  const maxFrameBytes = init.maxFrameBytes ?? DEFAULT_LIMITS.maxFrameBytes
  const timeoutMs = init.timeoutMs ?? 10_000
  const maxHops = init.maxHops ?? DEFAULT_LIMITS.maxHops
  const maxInFlight = init.maxInFlight ?? 64
  const routing = init.routing ?? 'direct'
  if (routing !== 'direct' && routing !== 'via-peer') {
    throw new InvalidInputError(`routing must be 'direct' or 'via-peer', not ${String(routing)}`)
  }
  const refreshMs = positiveInteger('refreshMs', init.refreshMs ?? 30_000)
  const maxDirectPeers = positiveInteger('maxDirectPeers', init.maxDirectPeers ?? 64)
  const replicas = positiveInteger('replicas', init.replicas ?? 3)
  const libp2p = await createNode({
    listen: [],
    psk: init.psk,
    muxer: init.muxer ?? 'mplex',
    maxStreamBufferBytes: maxFrameBytes,
  })
  const logger = init.logger ?? pino({ level: 'silent' })
  const channelInit = {
    maxInFlight,
    maxFrameBytes,
    idleStreamMs: IDLE_STREAM_MS,
    openTimeoutMs: timeoutMs,
  }
  const dialled = new DialledMember(
    {
      channel: new RpcChannel(
        { openStream: (signal) => libp2p.dialProtocol(target, RPC_PROTOCOL, { signal }), logger },
        channelInit,
      ),
    },
    { timeoutMs, maxHops },
  )
  const options = { replicas, timeoutMs, maxFrameBytes, logger }
  if (routing === 'via-peer') return new RingClient({ libp2p, dialled }, options)
  const channels = new ChannelPool(
    {
      libp2p,
      logger,
      // the view replaces a member whose addresses changed, so the node is the latest
      latest: (node) => node,
      // a member the client no longer talks to should not keep a connection open
      onEvict: (node) => void libp2p.hangUp(node.peerId).catch(() => {}),
    },
    { ...channelInit, protocol: RPC_PROTOCOL, maxChannels: maxDirectPeers },
  )
  const direct = new DirectRouting(
    { dialled, channels, logger },
    { refreshMs, replicas, timeoutMs, maxHops },
  )
  return new RingClient({ libp2p, dialled, routing: direct }, options)
}
