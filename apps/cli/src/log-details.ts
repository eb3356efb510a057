import { ringIdToHex } from '@ringdht/ring'

const MAX_DEPTH = 3
const MAX_ITEMS = 8
const MAX_STRING = 200

/**
 * An event's detail as a log field: plain data kept with its structure (a member stays
 * `{peerId, ringId, multiaddrs}`), ring positions as hex, peer ids and multiaddrs as
 * their strings. Bounded (depth, list length, string length), since some of it came from
 * the network.
 */
export function summarizeDetail(detail: unknown, depth = 0): unknown {
  if (detail == null) return detail
  if (typeof detail === 'bigint') return ringIdToHex(detail)
  if (typeof detail === 'number' || typeof detail === 'boolean') return detail
  if (typeof detail === 'string') return clip(detail)
  if (typeof detail !== 'object') return undefined
  if (depth >= MAX_DEPTH) return clip(String(detail))
  if (Array.isArray(detail)) {
    const items = detail.slice(0, MAX_ITEMS).map((item) => summarizeDetail(item, depth + 1))
    return detail.length > MAX_ITEMS ? [...items, `… ${detail.length - MAX_ITEMS} more`] : items
  }
  if (detail instanceof Uint8Array) return `${detail.byteLength} bytes`
  // PeerId, Multiaddr and the like: objects whose own toString says what they are
  if (Object.getPrototypeOf(detail) !== Object.prototype && hasOwnToString(detail)) {
    return clip(String(detail))
  }
  const out: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(detail)) {
    const summary = summarizeDetail(value, depth + 1)
    if (summary !== undefined) out[name] = summary
  }
  return out
}

function hasOwnToString(value: object): boolean {
  return typeof value.toString === 'function' && value.toString !== Object.prototype.toString
}

function clip(text: string): string {
  return text.length > MAX_STRING ? `${text.slice(0, MAX_STRING)}…` : text
}
