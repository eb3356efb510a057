import { ErrorCode, MessageType, type Request, type Response } from '@ringdht/protocol'
import type { Counters } from '../counters.js'
import type { Admission } from './admission.js'
import type { Membership } from './membership.js'
import type { Router } from './router.js'
import type { RequestContext } from './rpc/server.js'
import type { StatusService } from './status-service.js'

/** Request types the core serves itself; capabilities cannot claim them. */
export const CORE_TYPES = [
  MessageType.FIND_SUCCESSOR,
  MessageType.GET_PREDECESSOR,
  MessageType.GET_SUCCESSOR_LIST,
  MessageType.NOTIFY,
  MessageType.PING,
  MessageType.LEAVE,
  MessageType.STATUS,
] as const

export interface CoreRequestsComponents {
  membership: Pick<Membership, 'handleNeighbours' | 'handleNotify' | 'handleLeave'>
  router: Pick<Router, 'handleFindSuccessor'>
  status: Pick<StatusService, 'handleStatus'>
  admission: Admission
  counters: Pick<Counters, 'refused'>
}

/** The ring's own requests: lookups, neighbours, NOTIFY, PING, LEAVE and STATUS. */
export class CoreRequests {
  readonly #c: CoreRequestsComponents

  constructor(components: CoreRequestsComponents) {
    this.#c = components
  }

  /** The answer to a core request; undefined for any other type (a capability's). */
  handle(
    request: Request,
    context: RequestContext,
  ): Promise<Partial<Response>> | Partial<Response> | undefined {
    const { membership, router } = this.#c
    switch (request.type) {
      case MessageType.FIND_SUCCESSOR:
        return router.handleFindSuccessor(request, context.signal)
      case MessageType.GET_PREDECESSOR:
      case MessageType.GET_SUCCESSOR_LIST:
        return membership.handleNeighbours()
      case MessageType.NOTIFY:
        return this.#refusal(request, context, 'NOTIFY') ?? membership.handleNotify(request)
      case MessageType.PING:
        return {}
      case MessageType.LEAVE:
        return this.#refusal(request, context, 'LEAVE') ?? membership.handleLeave(request)
      case MessageType.STATUS:
        return this.#c.status.handleStatus(request, context)
      default:
        return undefined
    }
  }

  /**
   * NOTIFY and LEAVE speak for their sender: the peer Noise authenticated for the
   * connection must be the one the message names, and one that may be a member at all.
   * Undefined when it is; a refusal otherwise.
   */
  #refusal(request: Request, context: RequestContext, what: string): Partial<Response> | undefined {
    const caller = context.remotePeer.toString()
    let refusal: string | undefined
    if (request.sender?.peerId !== caller) refusal = `${what} must name its own sender`
    else if (!this.#c.admission.admits(caller))
      refusal = `${caller} may not be a member of this ring`
    if (refusal === undefined) return undefined
    this.#c.counters.refused++
    return { error: ErrorCode.FORBIDDEN, message: refusal }
  }
}
