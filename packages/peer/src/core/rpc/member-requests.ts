import type { Request, Response } from '@ringdht/protocol'
import type { RingNode } from '../ring-node.js'
import type { RequestOptions } from './channel.js'

/**
 * Send one request to a member and wait for its answer: the one thing most components
 * need from the channel pool, and what their unit tests stub.
 */
export interface MemberRequests {
  request(node: RingNode, request: Partial<Request>, options: RequestOptions): Promise<Response>
}
