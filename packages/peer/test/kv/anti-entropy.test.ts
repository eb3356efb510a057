import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import type { RingId } from '@ringdht/ring'
import { MemoryStore } from '@ringdht/store'
import type { RingNode } from '../../src/core/ring-node.js'
import { Counters } from '../../src/counters.js'
import { AntiEntropy } from '../../src/kv/replication/anti-entropy.js'
import type { ReplicaSync, SyncOptions } from '../../src/kv/replication/replica-sync.js'
import type { StrayRecords } from '../../src/kv/replication/stray-records.js'
import { ringNodes, StubNeighbours, silent } from '../stubs.js'

let n: RingNode[]
const at = (i: number): RingNode => n[i] as RingNode

// partition-4-4: after the heal, the writes the other side acknowledged for this member's
// range were on that side's owner and replicas, further along the successor list than
// this member's replicas; catching up compared the range with its replicas only
describe('AntiEntropy', () => {
  before(async () => {
    n = await ringNodes(6)
  })

  function antiEntropyOf(self: RingNode, successors: RingNode[], predecessor: RingNode) {
    const syncs: Array<{ to: string; pull: boolean; push: boolean }> = []
    const sync = {
      async sync(node: RingNode, _start: RingId, _end: RingId, options: SyncOptions) {
        syncs.push({ to: node.key, pull: options.pull, push: options.push !== false })
        return { pulled: 0, pushed: 0, differing: 0 }
      },
    } as unknown as ReplicaSync
    const antiEntropy = new AntiEntropy(
      {
        neighbours: new StubNeighbours(self, successors, predecessor),
        sync,
        strays: { pass: async () => {} } as unknown as StrayRecords,
        store: new MemoryStore(),
        counters: new Counters(),
        emit: () => {},
        logger: silent,
      },
      { replicas: 3, tombstoneGraceMs: 60_000, maxRecordsPerPass: 1000 },
    )
    return { antiEntropy, syncs }
  }

  it('compares the primary range with the replicas both ways; catching up, also pulls it from the rest of the successor list', async () => {
    const { antiEntropy, syncs } = antiEntropyOf(at(0), [at(1), at(2), at(3), at(4)], at(5))
    const signal = new AbortController().signal
    assert.equal(await antiEntropy.pass(signal), true)
    assert.deepEqual(
      syncs.map((s) => [s.to, s.pull, s.push]),
      [
        [at(1).key, true, true],
        [at(2).key, true, true],
      ],
    )
    syncs.length = 0
    assert.equal(await antiEntropy.pass(signal, { catchingUp: true }), true)
    assert.deepEqual(
      syncs.map((s) => [s.to, s.pull, s.push]),
      [
        [at(1).key, true, true],
        [at(2).key, true, true],
        [at(3).key, true, false],
        [at(4).key, true, false],
      ],
      'pull only from members that are no replicas of the range',
    )
  })
})
