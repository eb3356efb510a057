import type { Uint8ArrayList } from 'uint8arraylist'
import { DECODE_COLLECTION_LIMITS } from './limits.js'
import { Request, Response, type Version } from './rpc.generated.js'

export type Decoded<T> =
  | { readonly ok: true; readonly message: T }
  | { readonly ok: false; readonly reason: string }

const REQUEST_LIMITS = {
  limits: {
    path: DECODE_COLLECTION_LIMITS.path,
    sender: { multiaddrs: DECODE_COLLECTION_LIMITS.multiaddrs },
    relayTo: { multiaddrs: DECODE_COLLECTION_LIMITS.multiaddrs },
    records: DECODE_COLLECTION_LIMITS.records,
    successors: DECODE_COLLECTION_LIMITS.peers,
    predecessor: { multiaddrs: DECODE_COLLECTION_LIMITS.multiaddrs },
    logOp: { entries: DECODE_COLLECTION_LIMITS.records },
    queueOp: { taskIds: DECODE_COLLECTION_LIMITS.queueTasks },
  },
}

const RESPONSE_LIMITS = {
  limits: {
    path: DECODE_COLLECTION_LIMITS.path,
    peers: DECODE_COLLECTION_LIMITS.peers,
    records: DECODE_COLLECTION_LIMITS.records,
    digests: DECODE_COLLECTION_LIMITS.digests,
    logState: { entries: DECODE_COLLECTION_LIMITS.records },
    topicResult: { entries: DECODE_COLLECTION_LIMITS.records },
    queueResult: {
      tasks: DECODE_COLLECTION_LIMITS.queueTasks,
      stats: { workers: DECODE_COLLECTION_LIMITS.queueWorkers },
      home: { multiaddrs: DECODE_COLLECTION_LIMITS.multiaddrs },
    },
  },
}

/**
 * A Request as decoding would produce it: the given fields plus proto3 defaults for the
 * rest. For requests handled in-process, which never pass through the codec.
 */
export function requestWithDefaults(fields: Partial<Request> & Pick<Request, 'type'>): Request {
  return {
    id: 0,
    hops: 0,
    maxHops: 0,
    trace: false,
    path: [],
    local: false,
    toOwner: false,
    writeQuorum: 0,
    readQuorum: 0,
    limit: 0,
    records: [],
    successors: [],
    buckets: 0,
    ttlMs: 0n,
    ...fields,
  }
}

/** Decode untrusted bytes as a Request. Never throws. */
export function decodeRequest(bytes: Uint8Array | Uint8ArrayList): Decoded<Request> {
  try {
    const request = Request.decode(bytes, REQUEST_LIMITS)
    request.target = unsigned(request.target)
    request.rangeStart = unsigned(request.rangeStart)
    request.rangeEnd = unsigned(request.rangeEnd)
    request.afterPosition = unsigned(request.afterPosition)
    if (request.version !== undefined) unsignedVersion(request.version)
    for (const record of request.records)
      if (record.version !== undefined) unsignedVersion(record.version)
    return { ok: true, message: request }
  } catch (err) {
    return { ok: false, reason: reasonOf(err) }
  }
}

/** Decode untrusted bytes as a Response. Never throws. */
export function decodeResponse(bytes: Uint8Array | Uint8ArrayList): Decoded<Response> {
  try {
    const response = Response.decode(bytes, RESPONSE_LIMITS)
    if (response.record?.version !== undefined) unsignedVersion(response.record.version)
    for (const record of response.records)
      if (record.version !== undefined) unsignedVersion(record.version)
    for (const digest of response.digests) {
      digest.start = BigInt.asUintN(64, digest.start)
      digest.end = BigInt.asUintN(64, digest.end)
    }
    if (response.status !== undefined) {
      response.status.rangeStart = BigInt.asUintN(64, response.status.rangeStart)
      response.status.rangeEnd = BigInt.asUintN(64, response.status.rangeEnd)
    }
    return { ok: true, message: response }
  } catch (err) {
    return { ok: false, reason: reasonOf(err) }
  }
}

export function encodeRequest(request: Partial<Request>): Uint8Array {
  return Request.encode(request as Request)
}

export function encodeResponse(response: Partial<Response>): Uint8Array {
  return Response.encode(response as Response)
}

/*
 * protons-runtime reads fixed64 as a signed integer; ring ids are unsigned 64-bit, so
 * every fixed64 field is brought back to [0, 2^64) right after decoding.
 */
function unsigned(value: bigint | undefined): bigint | undefined {
  return value === undefined ? undefined : BigInt.asUintN(64, value)
}

function unsignedVersion(version: Version): void {
  version.writer = BigInt.asUintN(64, version.writer)
}

function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
