import { REJECT_CODES } from '@ringdht/consensus'
import { ErrorCode, type Request, type Response } from '@ringdht/protocol'
import { ringIdOf } from '@ringdht/ring'
import type { CapabilityContext } from '../core/capability.js'
import type { RequestContext } from '../core/rpc/server.js'
import { InvalidInputError, KeyTooLargeError } from '../errors.js'
import { KEYS_PAGE } from './carry-over.js'
import type { DurableAcceptor } from './durable-acceptor.js'
import { keyString, PAXOS_KIND, proposerMessageFromWire, replyToWire } from './paxos-wire.js'

/** A register key from the wire: present, and within the key size limit. */
export function validRegisterKey(key: Uint8Array | undefined, maxKeyBytes: number): Uint8Array {
  if (key === undefined || key.byteLength === 0) throw new InvalidInputError('a key is required')
  if (key.byteLength > maxKeyBytes) {
    throw new KeyTooLargeError(`key is ${key.byteLength} bytes; the limit is ${maxKeyBytes}`)
  }
  return key
}

/**
 * An acceptor's side of a PAXOS request: only ring members in the key's replica set may
 * propose here, and only with ballots in their own name. A malformed message or a ballot
 * from far beyond anything seen is answered INVALID_INPUT; neither changes any state.
 */
export async function servePaxos(
  request: Request,
  context: RequestContext,
  ctx: CapabilityContext,
  acceptor: DurableAcceptor,
): Promise<Partial<Response>> {
  const listing = request.paxos?.kind === PAXOS_KIND.keys
  // a listing names the range it asks for by its end, the asker's own position
  const key = listing ? undefined : validRegisterKey(request.key, ctx.config.limits.maxKeyBytes)
  const position = key === undefined ? request.rangeEnd : ringIdOf(key)
  if (position === undefined) throw new InvalidInputError('a key listing needs its range')
  const caller = context.remotePeer.toString()
  const { members, counters } = ctx
  if (!(await members.isMember(caller, context.signal))) {
    counters.refused++
    return { error: ErrorCode.FORBIDDEN, message: 'only ring members may send paxos messages' }
  }
  // an acceptor answers the key's proposer even when the ring moved it out of the key's
  // replica set: the proposer's joint quorums need that set until the key is carried
  // over. One that holds the key's state, wherever it is; one that does not (rounds ask
  // a quorum only, so a member of the set may never have seen the key), within the
  // successor-list bound of the key's position (`mayAccept`)
  const holdsKey = key !== undefined && acceptor.holds(keyString(key))
  const allowed = holdsKey
    ? await members.mayHold(caller, position, context.signal)
    : await members.mayAccept(caller, position, context.signal)
  if (!allowed) {
    counters.refused++
    return {
      error: ErrorCode.FORBIDDEN,
      message: "only the members of a key's replica set may propose for it",
    }
  }
  if (key === undefined) return listKeys(request, ctx, acceptor)
  const message = proposerMessageFromWire(keyString(key), request.paxos)
  if (message.ballot.proposer !== caller) {
    counters.refused++
    return { error: ErrorCode.FORBIDDEN, message: 'a ballot must be in the sender’s own name' }
  }
  const reply = await acceptor.receive(message)
  if (reply.type === 'reject' && reply.code === REJECT_CODES.ballotTooFar) {
    return {
      error: ErrorCode.INVALID_INPUT,
      message: `ballot counter ${message.ballot.counter} is too far above the highest this acceptor has seen; nothing changed`,
    }
  }
  if (reply.type === 'reject' && reply.code === REJECT_CODES.malformed) {
    return { error: ErrorCode.INVALID_INPUT, message: 'malformed paxos message; nothing changed' }
  }
  return { paxos: replyToWire(reply) }
}

/** A page of the keys this acceptor holds in (range_start, range_end]. */
function listKeys(
  request: Request,
  ctx: CapabilityContext,
  acceptor: DurableAcceptor,
): Partial<Response> {
  const { rangeStart, rangeEnd } = request
  if (rangeStart === undefined || rangeEnd === undefined) {
    throw new InvalidInputError('a key listing needs range_start and range_end')
  }
  const limit = Math.min(request.limit || KEYS_PAGE, ctx.config.limits.maxPageRecords)
  const keys = acceptor.keysIn(rangeStart, rangeEnd, request.afterKey, limit)
  return {
    records: keys.map((key) => ({ key: key as Uint8Array<ArrayBuffer> })),
    done: keys.done !== false,
  }
}
