import { createClient, type PeerStatus, type RingClient } from '../../peer.js'

/** What `waitForRingFormed` needs of a started node. */
export interface StartedNode {
  index: number
  multiaddr?: string
}

export interface RingFormedOptions {
  psk?: Uint8Array
  deadlineMs: number
  /** Pause between two looks at the members' views. */
  intervalMs?: number
}

/** Successors every member must list, in order, besides its predecessor. */
const SUCCESSORS_CHECKED = 3

/**
 * Waits until every node sees the ring as it is: its predecessor is the node before it
 * and its successor list begins with the nodes after it. A node is "ready" once it has
 * joined, but for a second or two after a burst of joins a member may not know its
 * replicas yet, and writes then fail with "1 of 2 required replicas acknowledged" (the CLI
 * retries them, but a user's first command should not need to). Resolves with
 * `undefined` once formed, or with what was still wrong at the deadline.
 */
export async function waitForRingFormed(
  nodes: readonly StartedNode[],
  options: RingFormedOptions,
): Promise<string | undefined> {
  const clients: RingClient[] = []
  const deadline = Date.now() + options.deadlineMs
  let problem: string | undefined = 'no member answered yet'
  try {
    for (const node of nodes) {
      if (node.multiaddr === undefined) return `node ${node.index} has no address`
      clients.push(
        await createClient({
          peer: node.multiaddr,
          ...(options.psk === undefined ? {} : { psk: options.psk }),
        }),
      )
    }
    while (Date.now() < deadline) {
      problem = await ringProblem(nodes, clients)
      if (problem === undefined) return undefined
      await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 200))
    }
    return problem
  } finally {
    await Promise.all(clients.map((client) => client.close().catch(() => {})))
  }
}

/** What keeps the ring from being formed now, or undefined. */
async function ringProblem(
  nodes: readonly StartedNode[],
  clients: readonly RingClient[],
): Promise<string | undefined> {
  let views: PeerStatus[]
  try {
    views = await Promise.all(
      clients.map((client) => client.status({ signal: AbortSignal.timeout(2_000) })),
    )
  } catch (err) {
    return `a member did not answer its status: ${(err as Error).message}`
  }
  return neighbourProblem(
    views.map((view, i) => ({ name: `node ${nodes[i]?.index ?? i}`, view })),
    SUCCESSORS_CHECKED,
  )
}

/**
 * Members whose view of their neighbours is not the ring's, from their statuses: each
 * must know the member before it (by ring id) as its predecessor and list the next
 * `successorsChecked` members (fewer in a smaller ring) first in its successor list.
 * Undefined when every one does.
 */
export function neighbourProblem(
  members: ReadonlyArray<{ name: string; view: PeerStatus }>,
  successorsChecked: number,
): string | undefined {
  const order = [...members].sort((a, b) =>
    a.view.ringId < b.view.ringId ? -1 : a.view.ringId > b.view.ringId ? 1 : 0,
  )
  const n = order.length
  if (n <= 1) return undefined
  const checked = Math.min(successorsChecked, n - 1)
  let wrong = 0
  let example: string | undefined
  for (const [at, { name, view }] of order.entries()) {
    let problem: string | undefined
    if (view.predecessor?.peerId !== order[(at - 1 + n) % n]?.view.peerId) {
      problem = `${name} does not know its predecessor yet`
    }
    for (let k = 1; k <= checked && problem === undefined; k++) {
      if (view.successors[k - 1]?.peerId !== order[(at + k) % n]?.view.peerId) {
        problem = `${name} does not list its ${k === 1 ? 'successor' : `successor ${k}`} yet`
      }
    }
    if (problem === undefined) continue
    wrong++
    example ??= problem
  }
  return wrong === 0
    ? undefined
    : `${wrong} of ${n} members with wrong neighbours (e.g. ${example})`
}
