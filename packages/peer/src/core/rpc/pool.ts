import type { Libp2p } from '@libp2p/interface'
import type { Request, Response } from '@ringdht/protocol'
import type { Logger } from 'pino'
import type { RingNode } from '../ring-node.js'
import { type RequestOptions, RpcChannel, type RpcChannelInit } from './channel.js'

/** What the pool dials with, and its owner's hooks. */
export interface ChannelPoolComponents {
  libp2p: Pick<Libp2p, 'dialProtocol'>
  logger: Logger
  /** The latest known addresses of a peer (a restarted peer may listen elsewhere). */
  latest(node: RingNode): RingNode
  /**
   * Called after the pool closed its channel to `node` because of `maxChannels`, `drop`
   * or `retain` (not on `close`): the owner decides whether the connection goes too.
   */
  onEvict?(node: RingNode): void
}

/** Settings of every channel, the protocol they speak and the pool's bound. */
export interface ChannelPoolInit extends RpcChannelInit {
  protocol: string
  /**
   * Most channels kept at once; opening one more closes the least recently used.
   * Default: no limit (a ring member talks to a bounded set of neighbours anyway).
   */
  maxChannels?: number
}

interface Entry {
  readonly node: RingNode
  readonly channel: RpcChannel
}

/** One RpcChannel per remote peer (keyed by peer id string), created on first use. */
export class ChannelPool {
  readonly #components: ChannelPoolComponents
  readonly #init: ChannelPoolInit
  /** With `maxChannels`, least recently used first (a Map keeps insertion order). */
  readonly #entries = new Map<string, Entry>()
  #closed = false

  constructor(components: ChannelPoolComponents, init: ChannelPoolInit) {
    this.#components = components
    this.#init = init
  }

  /** Channels currently kept. */
  get size(): number {
    return this.#entries.size
  }

  /** Whether a channel to the peer with this id string is kept. */
  has(key: string): boolean {
    return this.#entries.has(key)
  }

  /** Send `request` to `node` on its channel. */
  request(node: RingNode, request: Partial<Request>, options: RequestOptions): Promise<Response> {
    return this.channel(node).request(request, options)
  }

  /** The channel to `node`, created on first use (evicting the least recently used when full). */
  channel(node: RingNode): RpcChannel {
    const known = this.#entries.get(node.key)
    if (known !== undefined && !this.#closed) {
      if (this.#init.maxChannels !== undefined) {
        // move to the most recently used end
        this.#entries.delete(node.key)
        this.#entries.set(node.key, known)
      }
      return known.channel
    }
    const channel = new RpcChannel(
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
    // a closed pool hands out closed channels, whose requests fail at once
    if (this.#closed) {
      channel.close()
      return channel
    }
    this.#entries.set(node.key, { node, channel })
    const max = this.#init.maxChannels
    if (max !== undefined) {
      for (const key of this.#entries.keys()) {
        if (this.#entries.size <= max) break
        this.drop(key)
      }
    }
    return channel
  }

  /** Close the channel to the peer with this id string, if one is kept. */
  drop(key: string): void {
    const entry = this.#entries.get(key)
    if (entry === undefined) return
    this.#entries.delete(key)
    entry.channel.close()
    this.#components.onEvict?.(entry.node)
  }

  /** Close every channel whose peer id string is not in `keys` (peers that left). */
  retain(keys: ReadonlySet<string>): void {
    for (const key of [...this.#entries.keys()]) if (!keys.has(key)) this.drop(key)
  }

  /** Close every channel without calling `onEvict`; later channels are born closed. */
  close(): void {
    this.#closed = true
    for (const { channel } of this.#entries.values()) channel.close()
    this.#entries.clear()
  }
}
