import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Request, Response, Record as WireRecord } from '@ringdht/protocol'
import { clockwiseDistance, ringIdFromHex, ringIdOf, ringIdToHex } from '@ringdht/ring'
import type { RingMemberInfo } from '../../src/client/ring-walk.js'
import { scanRing } from '../../src/client/scan.js'
import { PeerUnreachableError } from '../../src/errors.js'

const encoder = new TextEncoder()
const decoder = new TextDecoder()
const KEYS = [...Array(60).keys()].map((i) => `key-${i}`)

function memberAt(quarter: number, health: 'ok' | 'unreachable'): RingMemberInfo {
  const ringId = ringIdToHex((BigInt(quarter) << 62n) + 12345n)
  return {
    peerId: `m${quarter}`,
    ringId,
    multiaddrs: [],
    range: { start: ringId, end: ringId },
    keyCount: 0,
    replicaKeyCount: 0,
    health,
  }
}

/**
 * A dialled member in front of a ring that holds KEYS: it answers each SCAN with the
 * keys of (rangeStart, rangeEnd] after the cursor, `limit` at a time, in ring order.
 */
function stubDialled() {
  const records = KEYS.map((key) => ({ key: encoder.encode(key), position: ringIdOf(key) }))
  const asked: Array<{ relayTo: string; rangeStart: bigint; rangeEnd: bigint }> = []
  const call = async (request: Partial<Request>): Promise<Response> => {
    const start = request.rangeStart as bigint
    const end = request.rangeEnd as bigint
    asked.push({ relayTo: request.relayTo?.peerId as string, rangeStart: start, rangeEnd: end })
    const inRange = records
      .filter((r) => {
        const d = clockwiseDistance(start, r.position)
        return start === end || (d > 0n && d <= clockwiseDistance(start, end))
      })
      .sort((a, b) => {
        const da = clockwiseDistance(start, a.position)
        const db = clockwiseDistance(start, b.position)
        return da === db ? Buffer.compare(a.key, b.key) : da < db ? -1 : 1
      })
    const afterAt =
      request.afterKey === undefined
        ? 0
        : inRange.findIndex((r) => Buffer.compare(r.key, request.afterKey as Uint8Array) === 0) + 1
    const page = inRange.slice(afterAt, afterAt + (request.limit as number))
    const wire: WireRecord[] = page.map((r) => ({
      key: r.key as Uint8Array<ArrayBuffer>,
      value: r.key as Uint8Array<ArrayBuffer>,
    }))
    return {
      id: 0,
      error: 0,
      message: '',
      hops: 0,
      path: [],
      peers: [],
      records: wire,
      done: afterAt + page.length >= inRange.length,
      replicas: 0,
      digests: [],
      applied: 0,
    }
  }
  return { dialled: { call }, asked }
}

async function collect(iterable: AsyncIterable<{ key: Uint8Array }>): Promise<string[]> {
  const keys: string[] = []
  for await (const { key } of iterable) keys.push(decoder.decode(key))
  return keys
}

describe('scanRing', () => {
  it('yields every key once, paging each reachable member through its range', async () => {
    const walk = [memberAt(0, 'ok'), memberAt(1, 'ok'), memberAt(2, 'ok'), memberAt(3, 'ok')]
    const { dialled, asked } = stubDialled()
    const keys = await collect(scanRing(dialled, walk, 3, { pageSize: 4 }))
    assert.deepEqual([...keys].sort(), [...KEYS].sort())
    assert.ok(asked.length > walk.length, 'some ranges took several pages')
  })

  it('an unreachable member range is read from the next reachable member', async () => {
    const walk = [
      memberAt(0, 'ok'),
      memberAt(1, 'unreachable'),
      memberAt(2, 'ok'),
      memberAt(3, 'ok'),
    ]
    const { dialled, asked } = stubDialled()
    const keys = await collect(scanRing(dialled, walk, 3, { pageSize: 100 }))
    assert.deepEqual([...keys].sort(), [...KEYS].sort())
    assert.ok(!asked.some((a) => a.relayTo === 'm1'), 'the unreachable member is not asked')
    const m2 = asked.find((a) => a.relayTo === 'm2')
    assert.equal(m2?.rangeStart, ringIdFromHex(memberAt(0, 'ok').ringId), 'm2 serves from m0')
  })

  it('refuses to export short when replicas members in a row are unreachable', async () => {
    const { dialled, asked } = stubDialled()
    // the run wraps past the end of the walk: m3 then m0
    const walk = [
      memberAt(0, 'unreachable'),
      memberAt(1, 'ok'),
      memberAt(2, 'ok'),
      memberAt(3, 'unreachable'),
    ]
    await assert.rejects(collect(scanRing(dialled, walk, 2)), PeerUnreachableError)
    assert.equal(asked.length, 0, 'nothing is read before the walk is checked')
    const keys = await collect(scanRing(dialled, walk, 3))
    assert.deepEqual([...keys].sort(), [...KEYS].sort())
  })

  it('reads an unreachable member range from all its reachable replicas, newest version first', async () => {
    // an acknowledged write is on W of r members: m1's keys may be on m2 or on m3 only
    const walk = [
      memberAt(0, 'ok'),
      memberAt(1, 'unreachable'),
      memberAt(2, 'ok'),
      memberAt(3, 'ok'),
    ]
    const inM1Range = KEYS.filter((key) => {
      const d = clockwiseDistance(ringIdFromHex(walk[0]?.ringId as string), ringIdOf(key))
      return (
        d > 0n &&
        d <=
          clockwiseDistance(
            ringIdFromHex(walk[0]?.ringId as string),
            ringIdFromHex(walk[1]?.ringId as string),
          )
      )
    })
    assert.ok(inM1Range.length >= 3, 'the test needs keys in m1 range')
    const [onlyOnM3, newerOnM3, deletedOnM3] = inM1Range as [string, string, string]
    const version = (timestamp: bigint) => ({ timestamp, writer: 1n })
    const held = new Map<string, WireRecord[]>([
      [
        'm2',
        inM1Range
          .filter((key) => key !== onlyOnM3)
          .map((key) => ({
            key: encoder.encode(key) as Uint8Array<ArrayBuffer>,
            value: encoder.encode(`${key}=old`) as Uint8Array<ArrayBuffer>,
            version: version(1n),
          })),
      ],
      [
        'm3',
        [onlyOnM3, newerOnM3, deletedOnM3].map((key) => ({
          key: encoder.encode(key) as Uint8Array<ArrayBuffer>,
          ...(key === deletedOnM3
            ? {}
            : { value: encoder.encode(`${key}=new`) as Uint8Array<ArrayBuffer> }),
          version: version(2n),
        })),
      ],
    ])
    const asked: string[] = []
    const call = async (request: Partial<Request>): Promise<Response> => {
      const holder = request.relayTo?.peerId as string
      asked.push(holder)
      const start = request.rangeStart as bigint
      const end = request.rangeEnd as bigint
      const records = (held.get(holder) ?? [])
        .filter((r) => {
          const d = clockwiseDistance(start, ringIdOf(r.key))
          return d > 0n && d <= clockwiseDistance(start, end)
        })
        .sort((a, b) =>
          clockwiseDistance(start, ringIdOf(a.key)) < clockwiseDistance(start, ringIdOf(b.key))
            ? -1
            : 1,
        )
      return {
        id: 0,
        error: 0,
        message: '',
        hops: 0,
        path: [],
        peers: [],
        records,
        done: true,
        replicas: 0,
        digests: [],
        applied: 0,
      }
    }
    const found = new Map<string, string>()
    for await (const { key, value } of scanRing({ call }, walk, 3)) {
      assert.ok(!found.has(decoder.decode(key)), `${decoder.decode(key)} once`)
      found.set(decoder.decode(key), decoder.decode(value))
    }
    assert.equal(found.get(onlyOnM3), `${onlyOnM3}=new`, 'a key on the second replica only')
    assert.equal(found.get(newerOnM3), `${newerOnM3}=new`, 'the newest version wins')
    assert.ok(!found.has(deletedOnM3), 'a newer tombstone hides the older value')
    for (const key of inM1Range.slice(3)) assert.equal(found.get(key), `${key}=old`)
    assert.ok(asked.includes('m3'), 'the second replica is asked')
  })
})
