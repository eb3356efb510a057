import type { Bully } from '@ringdht/protocol'
import { InvalidInputError } from '../errors.js'

/** Values of `Bully.kind` on the wire. Stable: never renumber, only add. */
export const BULLY_KIND = {
  election: 1,
  answer: 2,
  coordinator: 3,
  heartbeat: 4,
} as const

export type BullyKind = (typeof BULLY_KIND)[keyof typeof BULLY_KIND]

/** Longest group name, UTF-8 bytes: names are sent in every message. */
export const MAX_GROUP_BYTES = 256

/** Most members in one group: an election message goes to every higher member. */
export const MAX_GROUP_MEMBERS = 256

/** A Bully message as received, checked: the sender is the authenticated caller, not a field. */
export interface BullyWireMessage {
  readonly kind: BullyKind
  readonly group: string
  /** The coordinator's term (coordinator messages, heartbeat answers); 0: none. */
  readonly term: number
}

const KINDS = new Set<number>(Object.values(BULLY_KIND))

/** A group name callers may use: non-empty, at most MAX_GROUP_BYTES. Throws InvalidInputError. */
export function checkGroupName(group: unknown): string {
  if (typeof group !== 'string' || group.length === 0) {
    throw new InvalidInputError('a bully group needs a name')
  }
  const bytes = new TextEncoder().encode(group).byteLength
  if (bytes > MAX_GROUP_BYTES) {
    throw new InvalidInputError(`group name is ${bytes} bytes; the limit is ${MAX_GROUP_BYTES}`)
  }
  return group
}

/**
 * Check a Bully message from the network. Untrusted: a missing message, an unknown kind, a
 * bad group name, a term past 2^53 or a coordinator without a term throw InvalidInputError
 * (answered INVALID_INPUT), and nothing changes.
 */
export function bullyFromWire(wire: Bully | undefined): BullyWireMessage {
  if (wire === undefined) throw new InvalidInputError('a bully request needs its message')
  if (!KINDS.has(wire.kind)) throw new InvalidInputError(`unknown bully kind ${wire.kind}`)
  const group = checkGroupName(wire.group)
  if (wire.term > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new InvalidInputError('bully term is out of range')
  }
  const term = Number(wire.term)
  const kind = wire.kind as BullyKind
  if (kind === BULLY_KIND.coordinator && term === 0) {
    throw new InvalidInputError('a coordinator message needs its term')
  }
  return { kind, group, term }
}

export function bullyToWire(kind: BullyKind, group: string, term = 0): Bully {
  return { kind, group, term: BigInt(term) }
}
