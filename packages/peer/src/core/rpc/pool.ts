import type { Libp2p } from '@libp2p/interface'
import type { Request, Response } from '@ringdht/protocol'
import type { Logger } from 'pino'
import type { RingNode } from '../ring-node.js'
import { type RequestOptions, RpcChannel, type RpcChannelInit } from './channel.js'

export interface ChannelPoolComponents {
  libp2p: Pick<Libp2p, 'dialProtocol'>
  logger: Logger
  /** The latest known addresses of a peer (a restarted peer may listen elsewhere). */
  latest(node: RingNode): RingNode
}

export interface ChannelPoolInit extends RpcChannelInit {
  protocol: string
}

/** One RpcChannel per remote peer, created on first use. */
export class ChannelPool {
  readonly #components: ChannelPoolComponents
  readonly #init: ChannelPoolInit
  readonly #channels = new Map<string, RpcChannel>()
  #closed = false

  constructor(components: ChannelPoolComponents, init: ChannelPoolInit) {
    this.#components = components
    this.#init = init
  }

  request(node: RingNode, request: Partial<Request>, options: RequestOptions): Promise<Response> {
    return this.channel(node).request(request, options)
  }

  channel(node: RingNode): RpcChannel {
    let channel = this.#channels.get(node.key)
    if (channel === undefined || this.#closed) {
      channel = new RpcChannel(
        {
          openStream: (signal) => {
            const latest = this.#components.latest(node)
            const target = latest.multiaddrs.length > 0 ? [...latest.multiaddrs] : latest.peerId
            return this.#components.libp2p.dialProtocol(target, this.#init.protocol, { signal })
          },
          logger: this.#components.logger,
        },
        this.#init,
      )
      if (this.#closed) channel.close()
      else this.#channels.set(node.key, channel)
    }
    return channel
  }

  close(): void {
    this.#closed = true
    for (const channel of this.#channels.values()) channel.close()
    this.#channels.clear()
  }
}
