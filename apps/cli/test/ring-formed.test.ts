import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { neighbourProblem } from '../src/commands/cluster/ring-formed.js'
import type { PeerStatus } from '../src/peer.js'

/** A member's status holding only what the check reads. */
function view(id: string, predecessor: string | undefined, successors: string[]): PeerStatus {
  const info = (peerId: string) => ({ peerId, ringId: peerId, multiaddrs: [] })
  return {
    peerId: id,
    ringId: id,
    predecessor: predecessor === undefined ? undefined : info(predecessor),
    successors: successors.map(info),
  } as unknown as PeerStatus
}

describe('neighbourProblem', () => {
  it('passes a ring where everyone knows its neighbours', () => {
    const members = [
      view('a', 'c', ['b', 'c']),
      view('b', 'a', ['c', 'a']),
      view('c', 'b', ['a', 'b']),
    ].map((v) => ({ name: v.peerId, view: v }))
    assert.equal(neighbourProblem(members, 3), undefined)
  })

  it('names a member without its predecessor, or with its successor list short', () => {
    const noPredecessor = [view('a', undefined, ['b']), view('b', 'a', ['a'])]
    assert.match(
      neighbourProblem(
        noPredecessor.map((v) => ({ name: v.peerId, view: v })),
        3,
      ) ?? '',
      /1 of 2 members .*a does not know its predecessor/,
    )
    const short = [view('a', 'c', ['b']), view('b', 'a', ['c', 'a']), view('c', 'b', ['a', 'b'])]
    assert.match(
      neighbourProblem(
        short.map((v) => ({ name: v.peerId, view: v })),
        3,
      ) ?? '',
      /a does not list its successor 2/,
    )
    assert.equal(
      neighbourProblem(
        short.map((v) => ({ name: v.peerId, view: v })),
        1,
      ),
      undefined,
    )
  })
})
