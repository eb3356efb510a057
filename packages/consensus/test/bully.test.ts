import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type BullyMessage, BullyNode } from '../src/index.js'

/** Delivers messages instantly among live members until quiet, ticking deadlines. */
function settle(nodes: Map<string, BullyNode>, alive: Set<string>, pending: BullyMessage[]) {
  let now = 0
  let sent = 0
  for (let guard = 0; guard < 1000; guard++) {
    const message = pending.shift()
    if (message !== undefined) {
      sent++
      const node = nodes.get(message.to)
      if (node !== undefined && alive.has(message.to)) pending.push(...node.receive(message, now))
      continue
    }
    const deadlines = [...nodes.values()]
      .filter((n) => alive.has(n.self) && n.deadline !== undefined)
      .map((n) => n.deadline as number)
    if (deadlines.length === 0) return sent
    now = Math.min(...deadlines)
    for (const node of nodes.values()) if (alive.has(node.self)) pending.push(...node.tick(now))
  }
  throw new Error('no quiescence')
}

describe('Bully election', () => {
  const ids = ['n1', 'n2', 'n3', 'n4', 'n5']
  const group = () => new Map(ids.map((id) => [id, new BullyNode({ self: id, members: ids })]))

  it('elects the highest live member, and again after it fails', () => {
    const nodes = group()
    const alive = new Set(ids)
    settle(nodes, alive, (nodes.get('n1') as BullyNode).startElection(0))
    for (const node of nodes.values()) assert.equal(node.leader, 'n5', node.self)
    alive.delete('n5')
    const sent = settle(nodes, alive, (nodes.get('n2') as BullyNode).suspect('n5', 0))
    for (const id of alive) assert.equal(nodes.get(id)?.leader, 'n4', id)
    assert.ok(sent > 0)
  })

  it('a recovering higher member takes over', () => {
    const nodes = group()
    const alive = new Set(['n1', 'n2', 'n3'])
    settle(nodes, alive, (nodes.get('n1') as BullyNode).startElection(0))
    for (const id of alive) assert.equal(nodes.get(id)?.leader, 'n3')
    alive.add('n4')
    settle(nodes, alive, (nodes.get('n4') as BullyNode).startElection(0))
    for (const id of alive) assert.equal(nodes.get(id)?.leader, 'n4')
  })
})
