import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { Request, Response } from '@ringdht/protocol'
import { compareRingIds, inHalfOpenInterval, type RingId } from '@ringdht/ring'
import { pino } from 'pino'
import type { Neighbours } from '../src/core/neighbours.js'
import { type RingNode, ringNode } from '../src/core/ring-node.js'
import type { RequestOptions } from '../src/core/rpc/channel.js'
import type { MemberRequests } from '../src/core/rpc/member-requests.js'

export const silent = pino({ level: 'silent' })

/** `count` ring nodes with real peer ids, in ring order. */
export async function ringNodes(count: number): Promise<RingNode[]> {
  const nodes: RingNode[] = []
  for (let i = 0; i < count; i++) {
    const key = await generateKeyPair('Ed25519')
    nodes.push(ringNode(peerIdFromPrivateKey(key), []))
  }
  return nodes.sort((a, b) => compareRingIds(a.id, b.id))
}

/** A Neighbours view of `self` set by hand, as a unit test wants it. */
export class StubNeighbours implements Neighbours {
  successors: RingNode[]
  predecessor: RingNode | undefined
  formerPredecessor: RingNode | undefined
  fingers: (RingNode | undefined)[] = []
  readonly failures: string[] = []

  constructor(
    readonly self: RingNode,
    successors: RingNode[],
    predecessor?: RingNode,
  ) {
    this.successors = successors.length > 0 ? successors : [self]
    this.predecessor = predecessor
  }

  get successor(): RingNode {
    return this.successors[0] ?? this.self
  }

  get alone(): boolean {
    return this.successor === this.self
  }

  cutOff = false

  owns(position: RingId): boolean | undefined {
    if (this.predecessor === undefined) return this.alone ? true : undefined
    return inHalfOpenInterval(position, this.predecessor.id, this.self.id)
  }

  routingCandidates(): readonly RingNode[] {
    const all = [...this.successors, ...this.fingers].filter(
      (n): n is RingNode => n !== undefined && n.key !== this.self.key,
    )
    return [...new Map(all.map((n) => [n.key, n])).values()]
  }

  reportFailure(node: RingNode): void {
    this.failures.push(node.key)
  }
}

export type StubAnswer = (
  node: RingNode,
  request: Partial<Request>,
  options: RequestOptions,
) => Partial<Response> | Error | Promise<Partial<Response> | Error>

/** Records every request sent and answers with `answer` (an Error is thrown). */
export class StubPool implements MemberRequests {
  readonly sent: Array<{ to: string; request: Partial<Request> }> = []
  answer: StubAnswer

  constructor(answer: StubAnswer = () => ({})) {
    this.answer = answer
  }

  async request(
    node: RingNode,
    request: Partial<Request>,
    options: RequestOptions,
  ): Promise<Response> {
    this.sent.push({ to: node.key, request })
    const answer = await this.answer(node, request, options)
    if (answer instanceof Error) throw answer
    return stubResponse(answer)
  }
}

/** A Response with every proto3 default filled in, and `fields` on top. */
export function stubResponse(fields: Partial<Response> = {}): Response {
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
    ...fields,
  }
}
