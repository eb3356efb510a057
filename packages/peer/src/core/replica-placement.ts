import type { Multiaddr } from '@multiformats/multiaddr'
import type { RingNode } from './ring-node.js'

/**
 * The machine a member runs on, as far as its addresses tell (Cassandra's rack
 * awareness, by IP): `ip:<address>` for its first IP address, preferring one that is
 * not loopback or unspecified (a member listening on 0.0.0.0 advertises 127.0.0.1 next to
 * its real address, and every machine has a 127.0.0.1), `dns:<name>` for a DNS address,
 * and `peer:<peer id>` when it has none: a member whose host is unknown counts as a host
 * of its own.
 */
export function hostOf(node: Pick<RingNode, 'key' | 'multiaddrs'>): string {
  // a RingNode is frozen (see ringNode): its host never changes, and placing a key's
  // replicas asks for the host of every successor (parsing their addresses) on each get
  if (!Object.isFrozen(node) || !Object.isFrozen(node.multiaddrs)) return hostFromAddresses(node)
  let host = hostsOfFrozenNodes.get(node)
  if (host === undefined) {
    host = hostFromAddresses(node)
    hostsOfFrozenNodes.set(node, host)
  }
  return host
}

const hostsOfFrozenNodes = new WeakMap<object, string>()

function hostFromAddresses(node: Pick<RingNode, 'key' | 'multiaddrs'>): string {
  let local: string | undefined
  let dns: string | undefined
  for (const address of node.multiaddrs) {
    const host = hostOfAddress(address)
    if (host === undefined) continue
    if (host.kind === 'dns') dns ??= `dns:${host.value}`
    else if (isLocalIp(host.value)) local ??= `ip:${host.value}`
    else return `ip:${host.value}`
  }
  return local ?? dns ?? `peer:${node.key}`
}

function hostOfAddress(address: Multiaddr): { kind: 'ip' | 'dns'; value: string } | undefined {
  for (const component of address.getComponents()) {
    const value = component.value
    if (value === undefined) continue
    if (component.name === 'ip4' || component.name === 'ip6') return { kind: 'ip', value }
    if (component.name.startsWith('dns')) return { kind: 'dns', value: value.toLowerCase() }
  }
  return undefined
}

function isLocalIp(ip: string): boolean {
  return ip.startsWith('127.') || ip === '0.0.0.0' || ip === '::1' || ip === '::'
}

/**
 * The members that hold copies of a key besides its owner: walking the owner's successors
 * nearest first, each member on a host that neither the owner nor a member already taken
 * is on, until there are `replicas - 1`; when the successors run out first (fewer hosts
 * than r), the nearest members skipped fill the set. Returned in ring order.
 *
 * One machine running several members then cannot hold all r copies of a key while the
 * successor list shows r hosts. When every member is on one host (or every member on its
 * own), this is exactly the first r-1 distinct successors. It only ever picks from
 * `successors`: with the owner's successor list, every replica lies among the owner's
 * first `successorListLength` successors (the bound the trust check and the stray pass
 * rely on).
 *
 * Every member that computes a key's replica set (the owner writing and repairing, a
 * member reading for an unreachable owner, the stray pass, coordination) calls this, so
 * they agree as far as their views of the ring agree.
 */
export function placeReplicas<Node extends { readonly key: string }>(
  owner: Node,
  successors: readonly Node[],
  replicas: number,
  host: (node: Node) => string = hostOf as unknown as (node: Node) => string,
): Node[] {
  const wanted = replicas - 1
  if (wanted <= 0) return []
  const seen = new Set([owner.key])
  const candidates = successors.filter((node) => !seen.has(node.key) && seen.add(node.key))
  const taken = new Set<number>()
  const hosts = new Set([host(owner)])
  for (let i = 0; i < candidates.length && taken.size < wanted; i++) {
    const h = host(candidates[i] as Node)
    if (hosts.has(h)) continue
    hosts.add(h)
    taken.add(i)
  }
  for (let i = 0; i < candidates.length && taken.size < wanted; i++) taken.add(i)
  return candidates.filter((_, i) => taken.has(i))
}

/** True when `nodes` are on more than one host: only then can placement skip a member. */
export function onSeveralHosts(nodes: Iterable<Pick<RingNode, 'key' | 'multiaddrs'>>): boolean {
  let first: string | undefined
  for (const node of nodes) {
    const h = hostOf(node)
    first ??= h
    if (h !== first) return true
  }
  return false
}
