import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { Libp2p, PrivateKey } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { type Request, type Response, RPC_PROTOCOL } from '@ringdht/protocol'
import { createNode } from '../../src/core/libp2p-node.js'
import { RpcChannel } from '../../src/core/rpc/channel.js'
import type { RingPeer } from '../../src/index.js'
import { silent } from '../stubs.js'

/**
 * A raw libp2p node that speaks ringdht's wire protocol by hand, with whatever identity
 * it is given: a stranger (a client), or a member's own key (a member misbehaving). It
 * sends any request a hostile peer could craft and returns the answer as it came.
 */
export class Attacker {
  readonly node: Libp2p
  readonly #channels = new Map<string, RpcChannel>()

  private constructor(node: Libp2p) {
    this.node = node
  }

  static async start(privateKey?: PrivateKey): Promise<Attacker> {
    const node = await createNode({
      ...(privateKey === undefined ? {} : { privateKey }),
      listen: [],
      psk: undefined,
      muxer: 'mplex',
      maxStreamBufferBytes: 8 << 20,
    })
    return new Attacker(node)
  }

  get peerId(): string {
    return this.node.peerId.toString()
  }

  /** Send `request` to `target` on `protocol` and return the answer. */
  async ask(
    target: RingPeer,
    request: Partial<Request>,
    protocol = RPC_PROTOCOL,
  ): Promise<Response> {
    const id = `${target.peerId}:${protocol}`
    let channel = this.#channels.get(id)
    if (channel === undefined) {
      channel = new RpcChannel(
        {
          openStream: (signal) =>
            this.node.dialProtocol(target.getMultiaddrs(), protocol, { signal }),
          logger: silent,
        },
        { maxInFlight: 8, maxFrameBytes: 8 << 20, idleStreamMs: 60_000, openTimeoutMs: 5_000 },
      )
      this.#channels.set(id, channel)
    }
    return channel.request({ maxHops: 32, ...request }, { timeoutMs: 10_000 })
  }

  async stop(): Promise<void> {
    for (const channel of this.#channels.values()) channel.close()
    await this.node.stop()
  }
}

/** A fresh identity written where `createPeer({ dataDir })` finds it, so a test can also act with it. */
export async function identityIn(dataDir: string): Promise<PrivateKey> {
  const key = await generateKeyPair('Ed25519')
  await mkdir(dataDir, { recursive: true })
  await writeFile(join(dataDir, 'peer.key'), privateKeyToProtobuf(key), { mode: 0o600 })
  return key
}

export function peerIdOf(key: PrivateKey): string {
  return peerIdFromPrivateKey(key).toString()
}
