/**
 * The slice of the @ringdht/peer API (notes/peer-api.md) the benchmark uses,
 * written down structurally so the bench builds and runs its other parts
 * whether or not the peer package exports it yet. `loadRingdht()` checks at
 * run time that the real module provides it.
 */

export type RingdhtBytes = Uint8Array | string

export interface RingdhtOpResult {
  hops: number
  path?: string[]
  replicas?: number
}

export interface RingdhtGetResult extends RingdhtOpResult {
  value: Uint8Array
}

/** A ring position as the peer reports it: a bigint, or 16 hex digits from a client. */
export type RingPosition = bigint | string

export interface RingdhtStatus {
  peerId: unknown
  ringId: RingPosition
  /** Records in the primary range (predecessor, self]. */
  keyCount: number
  /** Every record in the local store, replicas included. */
  storedCount?: number
  range?: { start: RingPosition; end: RingPosition }
  successors?: unknown[]
  fingers?: unknown[]
}

export interface RingdhtMemberInfo {
  peerId: string
  ringId: string
  keyCount?: number
  replicaKeyCount?: number
  range?: { start: string; end: string }
}

export interface RingdhtPeer {
  ready: Promise<unknown>
  peerId: { toString(): string }
  ringId: RingPosition
  getMultiaddrs(): Array<{ toString(): string }>
  put(
    key: RingdhtBytes,
    value: RingdhtBytes,
    options?: { signal?: AbortSignal },
  ): Promise<RingdhtOpResult>
  get(
    key: RingdhtBytes,
    options?: { signal?: AbortSignal; trace?: boolean },
  ): Promise<RingdhtGetResult | undefined>
  status(): RingdhtStatus | Promise<RingdhtStatus>
  stop(): Promise<void>
}

export interface RingdhtClient {
  put(
    key: RingdhtBytes,
    value: RingdhtBytes,
    options?: { signal?: AbortSignal; trace?: boolean },
  ): Promise<RingdhtOpResult>
  get(
    key: RingdhtBytes,
    options?: { signal?: AbortSignal; trace?: boolean },
  ): Promise<RingdhtGetResult | undefined>
  ring(options?: { signal?: AbortSignal }): Promise<RingdhtMemberInfo[]>
  status(options?: { signal?: AbortSignal }): Promise<RingdhtStatus>
  close(): Promise<void>
}

export interface RingdhtPeerInit {
  listen?: string[]
  bootstrap?: string[]
  dataDir?: string
}

export interface RingdhtClientInit {
  peer: string
  timeoutMs?: number
}

export interface RingdhtModule {
  createPeer(init: RingdhtPeerInit): Promise<RingdhtPeer>
  createClient(init: RingdhtClientInit): Promise<RingdhtClient>
}

export type RingdhtAvailability =
  | { available: true; module: RingdhtModule }
  | { available: false; reason: string }

/** The package name, kept in a variable so TypeScript does not bind to its current types. */
const PEER_PACKAGE = '@ringdht/peer'

/** Loads @ringdht/peer and checks it exports the contract's factories. */
export async function loadRingdht(): Promise<RingdhtAvailability> {
  let loaded: Record<string, unknown>
  try {
    loaded = (await import(PEER_PACKAGE)) as Record<string, unknown>
  } catch (err) {
    return { available: false, reason: `cannot import ${PEER_PACKAGE}: ${String(err)}` }
  }
  if (typeof loaded.createPeer !== 'function' || typeof loaded.createClient !== 'function') {
    return {
      available: false,
      reason: `${PEER_PACKAGE} does not export createPeer/createClient yet (not built or not written)`,
    }
  }
  return { available: true, module: loaded as unknown as RingdhtModule }
}

/** A ring position from either representation. */
export function toRingId(position: RingPosition): bigint {
  return typeof position === 'bigint' ? position : BigInt(`0x${position}`)
}

/** A ring position as 16 hex digits. */
export function toRingHex(position: RingPosition): string {
  return typeof position === 'bigint' ? position.toString(16).padStart(16, '0') : position
}
