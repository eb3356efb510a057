import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { multiaddr } from '@multiformats/multiaddr'
import fc from 'fast-check'
import { hostOf, onSeveralHosts, placeReplicas } from '../../src/core/replica-placement.js'

interface Member {
  key: string
  host: string
}

const host = (m: Member): string => m.host
const keys = (members: readonly Member[]): string[] => members.map((m) => m.key)

/** The rule before placement knew hosts: the first r-1 distinct successors other than the owner. */
function firstDistinct(owner: Member, successors: readonly Member[], replicas: number): Member[] {
  const out: Member[] = []
  for (const s of successors) {
    if (out.length >= replicas - 1) break
    if (s.key !== owner.key && !out.some((o) => o.key === s.key)) out.push(s)
  }
  return out
}

/** A ring of members m0..m(n-1), each on one of `hosts` hosts; owner m0, successors m1.. */
const ring = fc
  .record({
    hosts: fc.integer({ min: 1, max: 6 }),
    size: fc.integer({ min: 1, max: 14 }),
    replicas: fc.integer({ min: 1, max: 6 }),
  })
  .chain(({ hosts, size, replicas }) =>
    fc
      .array(fc.integer({ min: 0, max: hosts - 1 }), { minLength: size, maxLength: size })
      .map((on) => ({
        replicas,
        members: on.map((h, i): Member => ({ key: `m${i}`, host: `h${h}` })),
      })),
  )

describe('replica placement: replicas on distinct hosts where addresses allow', () => {
  it('takes the nearest member of each new host, skipping the owner host', () => {
    const m = (i: number, h: string): Member => ({ key: `m${i}`, host: h })
    const owner = m(0, 'A')
    const successors = [m(1, 'A'), m(2, 'B'), m(3, 'B'), m(4, 'C'), m(5, 'A')]
    assert.deepEqual(keys(placeReplicas(owner, successors, 3, host)), ['m2', 'm4'])
  })

  it('fills with the nearest skipped members when there are fewer hosts than r', () => {
    const m = (i: number, h: string): Member => ({ key: `m${i}`, host: h })
    const owner = m(0, 'A')
    const successors = [m(1, 'A'), m(2, 'A'), m(3, 'B'), m(4, 'B')]
    // B is the only other host: m3 for it, then m1 (the nearest skipped) fills; ring order
    assert.deepEqual(keys(placeReplicas(owner, successors, 3, host)), ['m1', 'm3'])
    assert.deepEqual(keys(placeReplicas(owner, successors, 4, host)), ['m1', 'm2', 'm3'])
  })

  it('is the old rule when every member is on one host, or each on its own', () => {
    fc.assert(
      fc.property(ring, fc.boolean(), ({ members, replicas }, oneHost) => {
        const placed = members.map((m) => ({ key: m.key, host: oneHost ? 'h' : m.key }))
        const [owner, ...successors] = placed as [Member, ...Member[]]
        // a successor list may repeat members and name the owner (a small ring)
        const list = [...successors, ...successors.slice(0, 2), owner]
        assert.deepEqual(
          keys(placeReplicas(owner, list, replicas, host)),
          keys(firstDistinct(owner, list, replicas)),
        )
      }),
    )
  })

  it('puts r copies on r distinct hosts whenever the successors show r hosts', () => {
    fc.assert(
      fc.property(ring, ({ members, replicas }) => {
        const [owner, ...successors] = members as [Member, ...Member[]]
        const placed = placeReplicas(owner, successors, replicas, host)
        const all = [owner, ...successors]
        const hostsThere = new Set(all.map(host)).size
        assert.equal(placed.length, Math.min(replicas - 1, successors.length) || 0)
        assert.equal(new Set(keys(placed)).size, placed.length, 'no member twice')
        assert.ok(!placed.some((p) => p.key === owner.key), 'never the owner')
        const copies = [owner, ...placed]
        assert.equal(
          new Set(copies.map(host)).size,
          Math.min(hostsThere, copies.length),
          'as many hosts as there are, up to r',
        )
        // ring order, each from the list
        const order = placed.map((p) => successors.indexOf(p))
        assert.deepEqual(
          order,
          [...order].sort((a, b) => a - b),
        )
      }),
    )
  })

  it('is deterministic: the same list gives the same set, whoever computes it', () => {
    fc.assert(
      fc.property(ring, ({ members, replicas }) => {
        const [owner, ...successors] = members as [Member, ...Member[]]
        const copy = successors.map((s) => ({ ...s }))
        assert.deepEqual(
          keys(placeReplicas(owner, successors, replicas, host)),
          keys(placeReplicas({ ...owner }, copy, replicas, host)),
        )
      }),
    )
  })

  it('lets a read at the next member meet every replica of the owner (enough hosts)', () => {
    // while two members take themselves for a key's owner (see the README), the owner's
    // successor reads its own copy and its replicas: they must hold every copy the owner
    // placed besides its own, so a write acknowledged by the owner and one replica is met
    fc.assert(
      fc.property(ring, ({ members, replicas }) => {
        const [owner, next, ...rest] = members as [Member, Member, ...Member[]]
        if (next === undefined) return
        const hosts = new Set([next, ...rest].map(host)).size
        if (hosts < replicas + 1) return // not enough hosts: the fill may place otherwise
        const writers = placeReplicas(owner, [next, ...rest], replicas, host)
        const readers = [next, ...placeReplicas(next, rest, replicas, host)]
        for (const w of writers) assert.ok(keys(readers).includes(w.key), `${w.key} is read`)
      }),
    )
  })

  it('keys hosts by IP, preferring an address that is not loopback; DNS names as they are', () => {
    const key = '12D3KooWGRUVh8V2VSAYg5Sv5mw6rKn2ax2GgSZ3tAtLCW7bSK3P'
    const node = (...addrs: string[]) => ({ key, multiaddrs: addrs.map((a) => multiaddr(a)) })
    assert.equal(hostOf(node('/ip4/127.0.0.2/tcp/1')), 'ip:127.0.0.2')
    assert.equal(hostOf(node('/ip4/127.0.0.1/tcp/1', '/ip4/10.0.0.5/tcp/1')), 'ip:10.0.0.5')
    assert.equal(hostOf(node('/ip6/::1/tcp/1', '/ip6/2001:db8::1/tcp/1')), 'ip:2001:db8::1')
    assert.equal(hostOf(node('/dns4/Node-1.example/tcp/1')), 'dns:node-1.example')
    assert.equal(hostOf(node('/dns4/a.example/tcp/1', '/ip4/10.0.0.5/tcp/1')), 'ip:10.0.0.5')
    assert.equal(hostOf(node()), `peer:${key}`)
    assert.equal(
      onSeveralHosts([node('/ip4/127.0.0.1/tcp/1'), node('/ip4/127.0.0.1/tcp/2')]),
      false,
    )
    assert.equal(onSeveralHosts([node('/ip4/127.0.0.1/tcp/1'), node('/ip4/127.0.0.2/tcp/2')]), true)
  })

  it('gives a frozen node (a RingNode) the same host every time, a changing one its current host', () => {
    const key = '12D3KooWGRUVh8V2VSAYg5Sv5mw6rKn2ax2GgSZ3tAtLCW7bSK3P'
    const frozen = Object.freeze({
      key,
      multiaddrs: Object.freeze([multiaddr('/ip4/10.0.0.7/tcp/1')]),
    })
    assert.equal(hostOf(frozen), 'ip:10.0.0.7')
    assert.equal(hostOf(frozen), 'ip:10.0.0.7')
    const changing = { key, multiaddrs: [multiaddr('/ip4/10.0.0.8/tcp/1')] }
    assert.equal(hostOf(changing), 'ip:10.0.0.8')
    changing.multiaddrs = [multiaddr('/ip4/10.0.0.9/tcp/1')]
    assert.equal(hostOf(changing), 'ip:10.0.0.9', 'not remembered: it is not frozen')
  })
})
