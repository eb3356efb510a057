import { createClient, type RingClient } from '../../peer.js'

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
  let views: Awaited<ReturnType<RingClient['status']>>[]
  try {
    views = await Promise.all(
      clients.map((client) => client.status({ signal: AbortSignal.timeout(2_000) })),
    )
  } catch (err) {
    return `a member did not answer its status: ${(err as Error).message}`
  }
  const order = views
    .map((view, i) => ({ view, index: nodes[i]?.index ?? i }))
    .sort((a, b) => (a.view.ringId < b.view.ringId ? -1 : a.view.ringId > b.view.ringId ? 1 : 0))
  const n = order.length
  const checked = Math.min(SUCCESSORS_CHECKED, n - 1)
  for (const [at, { view, index }] of order.entries()) {
    if (n === 1) break
    const before = order[(at - 1 + n) % n]?.view.peerId
    if (view.predecessor?.peerId !== before) {
      return `node ${index} does not know its predecessor yet`
    }
    for (let k = 1; k <= checked; k++) {
      if (view.successors[k - 1]?.peerId !== order[(at + k) % n]?.view.peerId) {
        return `node ${index} does not list its ${k === 1 ? 'successor' : `successor ${k}`} yet`
      }
    }
  }
  return undefined
}
