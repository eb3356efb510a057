import { MessageType, type Request, type Response } from '@ringdht/protocol'
import type { MemberInfo } from '../core/ring-node.js'
import type { RpcChannel } from '../core/rpc/channel.js'
import { memberToWire, type PeerStatus, statusFromWire } from '../core/status.js'
import { errorFromWire, PeerUnreachableError } from '../errors.js'
import type { OperationOptions } from '../operations.js'

/** The channel a `DialledMember` sends on; tests hand it a stub. */
export interface DialledMemberComponents {
  /** The one long-lived channel to the member the client dialled. */
  channel: Pick<RpcChannel, 'request' | 'close'>
}

/** Applied to every request sent through the dialled member. */
export interface DialledMemberInit {
  /** Deadline of each request. */
  timeoutMs: number
  /** Hop limit of each request. */
  maxHops: number
}

/**
 * The member a client dialled: it routes every request the client cannot (or does not
 * want to) send to the owner itself, and relays status requests to any other member, so
 * a client learns the ring without connecting to each member.
 */
export class DialledMember {
  readonly channel: Pick<RpcChannel, 'request' | 'close'>
  readonly #init: DialledMemberInit

  constructor(components: DialledMemberComponents, init: DialledMemberInit) {
    this.channel = components.channel
    this.#init = init
  }

  /** Send `request` for the dialled member to route; a wire error is thrown as its class. */
  async call(request: Partial<Request>, options: OperationOptions): Promise<Response> {
    const response = await this.channel.request(
      { hops: 0, maxHops: this.#init.maxHops, trace: options.trace ?? false, ...request },
      {
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        timeoutMs: this.#init.timeoutMs,
      },
    )
    if (response.error !== 0) throw errorFromWire(response.error, response.message)
    return response
  }

  /**
   * The status of `member` (relayed by the dialled member), or of the dialled member.
   * A bound function, so the ring walk can take it as it is.
   */
  statusOf = async (
    member: MemberInfo | undefined,
    options: { signal?: AbortSignal },
  ): Promise<PeerStatus> => {
    const response = await this.call(
      {
        type: MessageType.STATUS,
        ...(member === undefined ? {} : { relayTo: memberToWire(member) }),
      },
      options,
    )
    const status = statusFromWire(response.status)
    if (status === undefined) throw new PeerUnreachableError('the member sent no usable status')
    return status
  }

  /** Close the channel; requests in flight fail with PeerUnreachableError. */
  close(): void {
    this.channel.close()
  }
}
