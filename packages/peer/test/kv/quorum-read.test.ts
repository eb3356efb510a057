import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { HybridLogicalClock, MemoryStore } from '@ringdht/store'
import type { RingNode } from '../../src/core/ring-node.js'
import { Counters } from '../../src/counters.js'
import { PeerUnreachableError, QuorumNotReachedError } from '../../src/errors.js'
import { QuorumRead } from '../../src/kv/quorum-read.js'
import { ringNodes, StubPool, silent } from '../stubs.js'

let n: RingNode[]
const at = (i: number) => n[i] as RingNode
const key = new TextEncoder().encode('k')

/** Members 0-1 are the key's replicas, 2-3 spares; `holds` answers with a copy, `down` fails. */
function readWith(answers: { holds?: number[]; down?: number[] }) {
  const pool = new StubPool((node) => {
    const i = n.indexOf(node)
    if (answers.down?.includes(i)) return new PeerUnreachableError('down')
    if (!answers.holds?.includes(i)) return {}
    return {
      record: {
        key: key as Uint8Array<ArrayBuffer>,
        value: new TextEncoder().encode('v') as Uint8Array<ArrayBuffer>,
        version: { timestamp: 1_000n << 16n, writer: 1n },
      },
    }
  })
  const reads = new QuorumRead(
    {
      store: new MemoryStore(),
      pool,
      counters: new Counters(),
      logger: silent,
      lifetime: new AbortController().signal,
      clock: new HybridLogicalClock(() => 1_000_000),
    },
    { requestTimeoutMs: 1000 },
  )
  const read = reads.read({
    key,
    replicas: [at(0), at(1)],
    spares: [at(2), at(3)],
    needed: 2,
    hops: 0,
    signal: undefined,
  })
  return { read, pool }
}

describe('QuorumRead', () => {
  before(async () => {
    n = await ringNodes(4)
  })

  it('answers absent when the replicas answer nothing', async () => {
    assert.equal(await readWith({}).read, undefined)
  })

  // the fault suite's kill-two-adjacent: the owner and the replica holding an acknowledged
  // write died, the third replica had no copy yet, and a spare's "nothing" made the quorum
  it('does not count a spare that holds nothing: no quorum rather than a wrong absent', async () => {
    const { read, pool } = readWith({ down: [0] })
    await assert.rejects(read, QuorumNotReachedError)
    assert.deepEqual(
      pool.sent.map((s) => n.findIndex((m) => m.key === s.to)),
      [0, 1, 2, 3],
      'every spare is asked in turn',
    )
  })

  it('counts a spare that holds a (hinted) copy', async () => {
    const found = await readWith({ down: [0], holds: [3] }).read
    assert.equal(new TextDecoder().decode(found?.value), 'v')
  })
})
