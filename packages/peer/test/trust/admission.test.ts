import assert from 'node:assert/strict'
import { chmod, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { pino } from 'pino'
import { generatePuzzleKey, puzzleBits, solvesPuzzle } from '../../src/core/id-puzzle.js'
import { loadOrCreateIdentity } from '../../src/core/identity.js'
import { createPeer, InvalidInputError, type RingPeer } from '../../src/index.js'
import { tempDir, waitFor } from '../helpers.js'
import { identityIn, peerIdOf } from './attacker.js'

const FAST = {
  stabilizeMs: 100,
  fixFingersMs: 200,
  checkPredecessorMs: 300,
  allowlistReloadMs: 100,
}

describe('admission of members', () => {
  const cleanups: Array<() => Promise<void>> = []
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup()
  })

  it('generates identities that solve the id puzzle, and members refuse those that do not', async () => {
    const key = await generatePuzzleKey(8)
    assert.ok(puzzleBits(peerIdFromPrivateKey(key)) >= 8)
    const seed = await createPeer({ idDifficulty: 8, timers: FAST })
    cleanups.push(() => seed.stop())
    assert.ok(solvesPuzzle(seed.peerId, 8))
    // a peer whose id does not solve the puzzle (difficulty 0 picks any id) cannot join
    let weak: RingPeer | undefined
    for (let i = 0; i < 50 && weak === undefined; i++) {
      const candidate = await createPeer({
        idDifficulty: 0,
        timers: FAST,
        bootstrap: [String(seed.getMultiaddrs()[0])],
      })
      if (solvesPuzzle(candidate.peerId, 8)) await candidate.stop()
      else weak = candidate
    }
    assert.ok(weak)
    cleanups.push(() => (weak as RingPeer).stop())
    await weak.ready.catch(() => {})
    // it keeps notifying; once the seed has refused it a few times, it is still not taken in
    await waitFor(
      async () => ((await seed.status()).counters.refused ?? 0) >= 3,
      'the seed to refuse the weak id',
    )
    const view = seed.routingSnapshot()
    assert.notEqual(view.predecessor, weak.ringId)
    assert.ok(!view.successors.includes(weak.ringId))
  })

  it('keeps strangers out of a ring with an allowlist, and lets them in once the file lists them', async () => {
    const dirs = await Promise.all([tempDir(), tempDir(), tempDir()])
    for (const d of dirs) cleanups.push(d.remove)
    const keys = await Promise.all(dirs.map((d) => identityIn(join(d.path, 'node'))))
    const allowlist = join(dirs[0]?.path as string, 'members.txt')
    const [first, second, stranger] = keys.map(peerIdOf) as [string, string, string]
    await writeFile(allowlist, `# the ring's members\n${first}\n${second}\n`)
    const init = (i: number) => ({
      dataDir: join(dirs[i]?.path as string, 'node'),
      idDifficulty: 0,
      allowlistFile: allowlist,
      timers: FAST,
    })
    const a = await createPeer(init(0))
    cleanups.push(() => a.stop())
    const b = await createPeer({ ...init(1), bootstrap: [String(a.getMultiaddrs()[0])] })
    cleanups.push(() => b.stop())
    await b.ready
    await waitFor(() => a.routingSnapshot().predecessor === b.ringId, 'the listed member to join')
    const c = await createPeer({ ...init(2), bootstrap: [String(a.getMultiaddrs()[0])] })
    cleanups.push(() => c.stop())
    await c.ready.catch(() => {})
    const inRing = () =>
      [a, b].some((p) => {
        const v = p.routingSnapshot()
        return v.predecessor === c.ringId || v.successors.includes(c.ringId)
      })
    const refusedBefore =
      ((await a.status()).counters.refused ?? 0) + ((await b.status()).counters.refused ?? 0)
    await waitFor(
      async () =>
        ((await a.status()).counters.refused ?? 0) + ((await b.status()).counters.refused ?? 0) >=
        refusedBefore + 3,
      'the members to refuse the unlisted peer',
    )
    assert.equal(inRing(), false, `${stranger} is not a member while unlisted`)
    await writeFile(allowlist, `${first}\n${second}\n${stranger}\n`)
    await waitFor(inRing, 'the newly listed peer to become a member', 20_000)
  })

  it('refuses a stored identity that does not solve the puzzle, and warns when others can read it', async () => {
    const dir = await tempDir()
    cleanups.push(dir.remove)
    let key = await identityIn(dir.path)
    while (solvesPuzzle(peerIdFromPrivateKey(key), 4)) key = await identityIn(dir.path)
    await assert.rejects(
      loadOrCreateIdentity(dir.path, 4, pino({ level: 'silent' })),
      InvalidInputError,
    )
    await chmod(join(dir.path, 'peer.key'), 0o644)
    const warnings: string[] = []
    const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push(line) })
    await loadOrCreateIdentity(dir.path, 0, logger)
    assert.ok(
      warnings.some((w) => /readable by other users/.test(w)),
      warnings.join('\n'),
    )
  })
})
